"""Drafts of the papers OshSU issues to its guests (КАОЖ duties, 1.5): ky, ru and en."""

from __future__ import annotations

from scripts.template_drafts.layout import CENTER, LEFT, Builder


def issued_transcript(b: Builder) -> None:
    """A guest student's transcript of records (courses, credits, grades), or a guest staff
    member's certificate of the stay, for the guest's home university."""
    b.letterhead()
    b.para(
        "{{ date|long_date }}  " + b.ky_ru("№", "№", "No.") + " {{ number }}",
        align=LEFT,
        before=6,
        after=8,
    )
    b.version_line()
    b.para(
        "{% if participant == 'student' %}"
        + b.ky_ru("ТРАНСКРИПТ", "ТРАНСКРИПТ", "TRANSCRIPT OF RECORDS")
        + "{% else %}"
        + b.ky_ru("МААЛЫМКАТ", "СПРАВКА", "CERTIFICATE OF STAY")
        + "{% endif %}",
        bold=True,
        align=CENTER,
        size=14,
        before=6,
        after=2,
    )
    b.para(
        b.ky_ru(
            "академиялык мобилдүүлүк боюнча кабыл алынган катышуучуга",
            "участнику академической мобильности, принятому в ОшГУ",
            "issued to a participant of academic mobility hosted by Osh State University",
        ),
        align=CENTER,
        italic=True,
        after=8,
    )
    b.fields_table(
        [
            (b.ky_ru("Аты-жөнү", "Ф. И. О.", "Name"), "{{ full_name }}"),
            ("{%tr if birth_date %}", ""),
            (b.ky_ru("Туулган күнү", "Дата рождения", "Date of birth"),
             "{{ birth_date|short_date }}"),
            ("{%tr endif %}", ""),
            (b.ky_ru("Жарандыгы", "Гражданство", "Citizenship"), "{{ citizenship }}"),
            (
                b.ky_ru("Жиберүүчү окуу жай", "Направляющий вуз", "Home institution"),
                "{{ home_institution }} ({{ home_country }})",
            ),
            (b.ky_ru("Кабыл алган факультет", "Принимающий факультет", "Host faculty"),
             "{{ faculty }}"),
            ("{%tr if specialty %}", ""),
            (b.ky_ru("Адистик", "Специальность", "Field of study"), "{{ specialty }}"),
            ("{%tr endif %}", ""),
            ("{%tr if programme %}", ""),
            (b.ky_ru("Программа", "Программа", "Programme"), "{{ programme }}"),
            ("{%tr endif %}", ""),
            (b.ky_ru("Мөөнөтү", "Срок", "Period"), "{{ period_from|period(period_to) }}"),
            (b.ky_ru("Максаты", "Цель", "Purpose"), "{{ purpose }}"),
        ]
    )  # fmt: skip
    b.para(
        b.ky_ru(
            "Ош мамлекеттик университети жогоруда аталган катышуучунун көрсөтүлгөн мөөнөттө "
            "академиялык мобилдүүлүк программасы боюнча университетте болгондугун тастыктайт."
            "{% if grades %} Катышуучу төмөнкү сабактарды өздөштүрүп, төмөнкү бааларды алды "
            "(баалар AVN маалымат системасында катталган):{% endif %}",
            "Ошский государственный университет подтверждает, что названный участник находился "
            "в университете в указанный срок по программе академической мобильности."
            "{% if grades %} Участник изучил следующие дисциплины и получил следующие оценки "
            "(оценки внесены в информационную систему AVN):{% endif %}",
            "Osh State University certifies that the participant named above stayed at the "
            "university for the period stated, under the academic mobility programme."
            "{% if grades %} The participant took the following courses and obtained the "
            "following grades (as recorded in the university's AVN records system):{% endif %}",
        ),
        indent=True,
        before=8,
        after=6,
    )
    b.tag("{%p if grades %}")
    b.loop_table(
        [
            b.ky_ru("№", "№", "No."),
            b.ky_ru("Сабак", "Дисциплина", "Course"),
            b.ky_ru("Кредит (ECTS)", "Кредиты (ECTS)", "Credits (ECTS)"),
            b.ky_ru("Балл (100)", "Балл (100)", "Score (of 100)"),
            b.ky_ru("Тамга баа", "Буквенная оценка", "Letter grade"),
            b.ky_ru("5 баллдык баа", "Оценка (5-балльная)", "Grade (5-point)"),
        ],
        [
            "{{ loop.index }}",
            "{{ c.title }}",
            "{{ c.credits|num }}",
            "{{ c.score_100 }}",
            "{{ c.letter }}",
            "{{ c.points }}",
        ],
        "c in grades",
        (1, 6.5, 2.5, 2.2, 2.3, 2.5),
        total=[
            "",
            b.ky_ru("Бардыгы", "Итого", "Total"),
            "{{ total_credits|num }}",
            "",
            "",
            "",
        ],
    )
    b.tag("{%p endif %}")
    b.signature(before=24)
    b.signature("countersigner", before=12)
    b.executor()
