"""The regulation's annexes: 1 nomination, 2 study plan (ЖОП), 4 report, 5 questionnaire,
6 parents' consent."""

from __future__ import annotations

from scripts.template_drafts.layout import CENTER, LEFT, Builder
from scripts.template_drafts.orders import period_cell, tuition

ELECTIVE_KY = "Университеттик компонент / элективдүү курс"
ELECTIVE_RU = "Вузовский компонент / элективный курс"


def _to_eabd(b: Builder) -> None:
    b.right_block(
        [b.ky_ru("Эл аралык байланыштар департаментине", "В Департамент международных связей ОшГУ")]
    )


def plan_tables(b: Builder, plan: str) -> None:
    """The ЖОП proper, for `plan` ("plan" in annex 2, "s.plan" inside the nomination)."""
    b.para(
        b.ky_ru("Окуу жылы: ", "Учебный год: ")
        + "{{ "
        + plan
        + ".academic_year }}; "
        + b.ky_ru("семестр: ", "семестр: ")
        + "{{ "
        + plan
        + ".semester|term }}; "
        + b.ky_ru("ЖОПтун версиясы: ", "версия ИУП: ")
        + "{{ "
        + plan
        + ".version }}",
        align=LEFT,
        before=6,
        after=4,
    )
    b.para(
        b.ky_ru(
            "1. Кабыл алуучу окуу жайда окула турган дисциплиналар",
            "1. Дисциплины, изучаемые в принимающем вузе",
        ),
        bold=True,
        align=LEFT,
        after=4,
    )
    b.loop_table(
        b.ky_ru(
            "№|Дисциплина (КАОЖ)|Кредит (ECTS)|ОшМУдагы алмаштырылуучу дисциплина",
            "№|Дисциплина (принимающий вуз)|Кредиты (ECTS)|Перезачитываемая дисциплина ОшГУ",
        ).split("|"),
        [
            "{{ loop.index }}",
            "{{ c.title }}",
            "{{ c.credits|num }}",
            "{% if c.replaces %}{{ c.replaces }}{% else %}"
            + b.ky_ru(ELECTIVE_KY, ELECTIVE_RU)
            + "{% endif %}",
        ],
        "c in " + plan + ".host_courses",
        (0.8, 6.5, 2.2, 7.5),
        total=["", b.ky_ru("Бардыгы", "Итого"), "{{ " + plan + ".host_credits|num }}", ""],
    )
    b.tag("{%p if " + plan + ".distance_courses %}")
    b.para(
        b.ky_ru(
            "2. ОшМУда дистанттык түрдө окула турган айырма дисциплиналар",
            "2. Разница дисциплин, изучаемая в ОшГУ дистанционно",
        ),
        bold=True,
        align=LEFT,
        before=8,
        after=4,
    )
    b.loop_table(
        b.ky_ru("№|Дисциплина|Кредит|Окутуучу", "№|Дисциплина|Кредиты|Преподаватель").split("|"),
        ["{{ loop.index }}", "{{ c.title }}", "{{ c.credits|num }}", "{{ c.teacher }}"],
        "c in " + plan + ".distance_courses",
        (0.8, 8, 2.2, 6),
        total=["", b.ky_ru("Бардыгы", "Итого"), "{{ " + plan + ".distance_credits|num }}", ""],
    )
    b.tag("{%p endif %}")
    b.tag("{%p if " + plan + ".changes %}")
    b.para(
        b.ky_ru("ЖОПко киргизилген өзгөртүүлөр:", "Изменения, внесённые в ИУП:"),
        bold=True,
        align=LEFT,
        before=8,
    )
    b.tag("{%p for ch in " + plan + ".changes %}")
    b.para(
        "{{ ch.version }}"
        + b.ky_ru("-версия, ", "-я версия, ")
        + "{{ ch.date|long_date }}: {{ ch.description }}",
        indent=True,
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")


def dean_nomination(b: Builder) -> None:
    b.annex_mark(1)
    _to_eabd(b)
    b.heading(b.ky_ru("БИЛДИРҮҮ", "ПРЕДСТАВЛЕНИЕ"), size=14, before=12)
    b.para("{{ date|long_date }}{% if number %}  № {{ number }}{% endif %}", align=CENTER, after=8)
    b.para(
        b.ky_ru(
            "{{ faculty }} факультеттик конкурстун жыйынтыгы боюнча төмөндө аталган "
            "студенттерди {{ programme }} программасы боюнча академиялык мобилдүүлүккө "
            "катышууга сунуштайт. Ар бир студенттин жекече окуу планы (ЖОП, 2-тиркеме) "
            "тиркелет.",
            "{{ faculty }} по итогам факультетского конкурса представляет нижеследующих "
            "студентов для участия в академической мобильности по программе {{ programme }}. "
            "Индивидуальный учебный план (ИУП, приложение 2) каждого студента прилагается.",
        ),
        indent=True,
        after=6,
    )
    # Eight columns fit a portrait page at 8 pt with whole words and dates (issue 12.6).
    b.loop_table(
        b.ky_ru(
            "№|Аты-жөнү|Адистик, курс, топ|Окуу негизи|GPA|Окуу тили, деңгээли|"
            "Кабыл алуучу окуу жай (өлкө)|Мөөнөтү",
            "№|Ф. И. О.|Специальность, курс, группа|Основа обучения|GPA|"
            "Язык обучения, уровень|Принимающий вуз (страна)|Срок",
        ).split("|"),
        [
            "{{ loop.index }}",
            "{{ s.full_name }}",
            "{{ s.specialty }}, {{ s.year_of_study }}"
            + b.ky_ru("-курс", " курс")
            + ", {{ s.group }}",
            tuition(b, "s"),
            "{{ s.gpa|num }}",
            "{{ s.language }}",
            "{{ s.host_institution }} ({{ s.host_country }})",
            period_cell("s"),
        ],
        "s in students",
        (0.7, 3.3, 3.0, 1.7, 1.0, 2.0, 3.1, 2.2),
        size=8,
    )
    b.people_signing(b.ky_ru("Макулдашылды:", "Согласовано:"), "agreed_by")
    b.signature("dean")
    # A short stay has no ЖОП (1.3.5): its annex is left out.
    b.tag("{%p for s in students if s.plan %}")
    b.page_break()
    b.annex_mark(2)
    b.heading(b.ky_ru("ЖЕКЕЧЕ ОКУУ ПЛАН (ЖОП)", "ИНДИВИДУАЛЬНЫЙ УЧЕБНЫЙ ПЛАН (ИУП)"))
    b.para(
        "{{ s.full_name }} — {{ s.specialty }}, {{ s.year_of_study }}"
        + b.ky_ru("-курс, ", " курс, ")
        + "{{ s.group }}; {{ s.host_institution }} "
        "({{ s.host_country }}), {{ s.period_from|period(s.period_to) }}",
        align=CENTER,
    )
    plan_tables(b, "s.plan")
    b.tag("{%p endfor %}")


def study_plan(b: Builder) -> None:
    b.annex_mark(2)
    b.right_block(
        [
            b.ky_ru("БЕКИТЕМИН", "УТВЕРЖДАЮ"),
            "{{ approved_by.position }}",
            "____________ {{ approved_by.full_name }}",
            "{{ date|long_date }}",
        ]
    )
    b.heading(b.ky_ru("ЖЕКЕЧЕ ОКУУ ПЛАН (ЖОП)", "ИНДИВИДУАЛЬНЫЙ УЧЕБНЫЙ ПЛАН (ИУП)"), before=12)
    b.fields_table(
        [
            (b.ky_ru("Студенттин аты-жөнү", "Ф. И. О. студента"), "{{ full_name }}"),
            (b.ky_ru("Факультет", "Факультет"), "{{ faculty }}"),
            (b.ky_ru("Адистик", "Специальность"), "{{ specialty }}"),
            (b.ky_ru("Курс, топ", "Курс, группа"), "{{ year_of_study }}, {{ group }}"),
            (
                b.ky_ru("Кабыл алуучу окуу жай", "Принимающий вуз"),
                "{{ host_institution }} ({{ host_country }})",
            ),
            (b.ky_ru("Программа", "Программа"), "{{ programme }}"),
            (b.ky_ru("Мөөнөтү", "Срок"), "{{ period_from|period(period_to) }}"),
        ]
    )
    plan_tables(b, "plan")
    b.people_signing(b.ky_ru("Макулдашылды:", "Согласовано:"), "agreed_by")
    b.para(
        b.ky_ru("Студент: ", "Студент: ") + "____________ {{ full_name }}", align=LEFT, before=10
    )


def trip_report_form(b: Builder) -> None:
    b.annex_mark(4)
    _to_eabd(b)
    b.heading(
        b.ky_ru("АКАДЕМИЯЛЫК МОБИЛДҮҮЛҮК БОЮНЧА ОТЧЕТ", "ОТЧЁТ ОБ АКАДЕМИЧЕСКОЙ МОБИЛЬНОСТИ"),
        before=12,
    )
    b.fields_table(
        [
            (b.ky_ru("Аты-жөнү", "Ф. И. О."), "{{ full_name }}"),
            (
                b.ky_ru("Факультет, адистик", "Факультет, специальность"),
                "{{ faculty }}, {{ specialty }}",
            ),
            (b.ky_ru("Курс, топ", "Курс, группа"), "{{ year_of_study }}, {{ group }}"),
            (
                b.ky_ru("Кабыл алуучу окуу жай", "Принимающий вуз"),
                "{{ host_institution }} ({{ host_country }})",
            ),
            (b.ky_ru("Программа", "Программа"), "{{ programme }}"),
            (b.ky_ru("Мөөнөтү", "Срок"), "{{ period_from|period(period_to) }}"),
        ]
    )
    b.para(
        b.ky_ru(
            "1. Окулган дисциплиналар жана алынган баалар",
            "1. Изученные дисциплины и полученные оценки",
        ),
        bold=True,
        align=LEFT,
        before=10,
        after=4,
    )
    b.tag("{%p if courses %}")
    b.loop_table(
        b.ky_ru("№|Дисциплина|Кредит|Баа", "№|Дисциплина|Кредиты|Оценка").split("|"),
        ["{{ loop.index }}", "{{ c.title }}", "{{ c.credits|num }}", "{{ c.grade }}"],
        "c in courses",
        (0.8, 10, 2.5, 3.7),
    )
    b.tag("{%p else %}")
    b.blank_lines(4)
    b.tag("{%p endif %}")
    for number, field, ky, ru in (
        (2, "academic_results", "Академиялык жыйынтыктар", "Академические результаты"),
        (3, "experience", "Алган тажрыйба жана таасирлер", "Полученный опыт и впечатления"),
        (4, "suggestions", "Сунуштар", "Предложения"),
    ):
        b.para(f"{number}. " + b.ky_ru(ky, ru), bold=True, align=LEFT, before=10, after=4)
        b.tag("{%p if " + field + " %}")
        b.para("{{ " + field + " }}", indent=True)
        b.tag("{%p else %}")
        b.blank_lines(3)
        b.tag("{%p endif %}")
    b.para("{{ date|long_date }}", align=LEFT, before=14)
    b.para(
        b.ky_ru("Студенттин колу: ", "Подпись студента: ") + "____________ {{ full_name }}",
        align=LEFT,
        before=6,
    )


def questionnaire(b: Builder) -> None:
    b.annex_mark(5)
    b.heading(
        b.ky_ru(
            "АКАДЕМИЯЛЫК МОБИЛДҮҮЛҮККӨ КАТЫШУУЧУНУН АНКЕТАСЫ",
            "АНКЕТА УЧАСТНИКА АКАДЕМИЧЕСКОЙ МОБИЛЬНОСТИ",
        ),
        before=12,
    )
    b.fields_table(
        [
            (b.ky_ru("Аты-жөнү", "Ф. И. О."), "{{ full_name }}"),
            (b.ky_ru("Туулган күнү", "Дата рождения"), "{{ birth_date|short_date }}"),
            (b.ky_ru("Жарандыгы", "Гражданство"), "{{ citizenship }}"),
            (b.ky_ru("Паспорттун номери", "Номер паспорта"), "{{ passport_number }}"),
            (b.ky_ru("Факультет", "Факультет"), "{{ faculty }}"),
            (b.ky_ru("Адистик", "Специальность"), "{{ specialty }}"),
            (b.ky_ru("Курс, топ", "Курс, группа"), "{{ year_of_study }}, {{ group }}"),
            (b.ky_ru("Окуу негизи", "Основа обучения"), tuition(b)),
            ("GPA", "{{ gpa|num }}"),
            (
                b.ky_ru("Чет тилдерин билүүсү", "Владение иностранными языками"),
                "{% for l in languages %}{{ l.language }} ({{ l.level }})"
                "{% if not loop.last %}; {% endif %}{% endfor %}",
            ),
            (b.ky_ru("Телефон", "Телефон"), "{{ phone }}"),
            ("E-mail", "{{ email }}"),
            (b.ky_ru("Дареги", "Адрес"), "{{ address }}"),
            (
                b.ky_ru("Кабыл алуучу окуу жай", "Принимающий вуз"),
                "{{ host_institution }} ({{ host_country }})",
            ),
            (b.ky_ru("Программа", "Программа"), "{{ programme }}"),
            (b.ky_ru("Мөөнөтү", "Срок"), "{{ period_from|period(period_to) }}"),
            (b.ky_ru("Каржылоо булагы", "Источник финансирования"), "{{ funding_source }}"),
            (
                b.ky_ru(
                    "Мурда академиялык мобилдүүлүккө катышкан",
                    "Ранее участвовал(а) в академической мобильности",
                ),
                "{% if previous_mobility %}{{ previous_mobility }}{% else %}"
                + b.ky_ru("жок", "нет")
                + "{% endif %}",
            ),
        ]
    )
    b.para(
        b.ky_ru(
            "Көрсөтүлгөн маалыматтардын тууралыгын тастыктайм.",
            "Подтверждаю достоверность указанных сведений.",
        ),
        indent=True,
        before=10,
    )
    b.para("{{ date|long_date }}", align=LEFT, before=10)
    b.para(b.ky_ru("Колу: ", "Подпись: ") + "____________ {{ full_name }}", align=LEFT, before=6)


def parents_consent(b: Builder) -> None:
    b.annex_mark(6)
    b.right_block([b.ky_ru("ОшМУнун ректоруна", "Ректору ОшГУ")])
    b.heading(
        b.ky_ru(
            "АТА-ЭНЕНИН МАКУЛДУГУ ЖАНА КЕПИЛДИК КАТ", "СОГЛАСИЕ РОДИТЕЛЕЙ И ГАРАНТИЙНОЕ ПИСЬМО"
        ),
        before=12,
    )
    b.para(
        b.ky_ru(
            "Мен, {{ parent_full_name }} (туугандык байланышы: {{ parent_relation }}; паспорт "
            "{{ parent_passport }}; дареги: {{ parent_address }}; тел.: {{ parent_phone }}), "
            "төмөндө аталган студенттин академиялык мобилдүүлүк программасы боюнча окууга "
            "жиберилишине макулдугумду берем:",
            "Я, {{ parent_full_name }} (степень родства: {{ parent_relation }}; паспорт "
            "{{ parent_passport }}; адрес: {{ parent_address }}; тел.: {{ parent_phone }}), "
            "даю согласие на направление нижеуказанного студента на обучение по программе "
            "академической мобильности:",
        ),
        indent=True,
        after=6,
    )
    b.fields_table(
        [
            (b.ky_ru("Студенттин аты-жөнү", "Ф. И. О. студента"), "{{ full_name }}"),
            (
                b.ky_ru("Факультет, адистик", "Факультет, специальность"),
                "{{ faculty }}, {{ specialty }}",
            ),
            (b.ky_ru("Курс, топ", "Курс, группа"), "{{ year_of_study }}, {{ group }}"),
            (
                b.ky_ru("Кабыл алуучу окуу жай", "Принимающий вуз"),
                "{{ host_institution }} ({{ host_country }})",
            ),
            (b.ky_ru("Программа", "Программа"), "{{ programme }}"),
            (b.ky_ru("Мөөнөтү", "Срок"), "{{ period_from|period(period_to) }}"),
            (b.ky_ru("Каржылоо булагы", "Источник финансирования"), "{{ funding_source }}"),
        ]
    )
    b.para(
        b.ky_ru(
            "Мобилдүүлүк мезгилиндеги жол, жашоо жана медициналык камсыздандыруу "
            "чыгымдарынын каржылоо булагы тарабынан жабылбаган бөлүгүн төлөөгө, студенттин "
            "белгиленген мөөнөттө кайтып келишине жана «ОшМУнун академиялык мобилдүүлүк "
            "жөнүндө жобосунун» талаптарын аткарышына кепилдик берем.",
            "Гарантирую оплату расходов на проезд, проживание и медицинское страхование в "
            "части, не покрываемой источником финансирования, своевременное возвращение "
            "студента и выполнение им требований Положения об академической мобильности ОшГУ.",
        ),
        indent=True,
        before=8,
    )
    b.para("{{ date|long_date }}", align=LEFT, before=14)
    b.para(
        b.ky_ru("Колу: ", "Подпись: ") + "____________ {{ parent_full_name }}", align=LEFT, before=6
    )
