"""Drafts of the papers issue 12 added: the referral letter (also English), the staff member's
short trip report, the dean's expulsion submission and the faculty's mobility report (its
wide table in a landscape section). Table rows never split across pages."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from scripts.template_drafts.layout import CENTER, LEFT, Builder
from scripts.template_drafts.orders import period_cell


def rows_never_split(b: Builder) -> None:
    """w:cantSplit on every row: a row that would cross a page moves to the next whole."""
    for table in b.doc.tables:
        for row in table.rows:
            trpr = row._tr.get_or_add_trPr()
            if trpr.find(qn("w:cantSplit")) is None:
                trpr.insert(0, OxmlElement("w:cantSplit"))


def _letter_number(b: Builder) -> None:
    b.para(
        "{{ date|long_date }}  " + b.ky_ru("№", "№", "No.") + " {{ number }}",
        align=LEFT,
        before=6,
        after=8,
    )
    b.version_line()


def referral_letter(b: Builder) -> None:
    b.letterhead()
    _letter_number(b)
    b.right_block(["{{ host_institution }}", "({{ host_country }})"])
    b.heading(b.ky_ru("ЖОЛДОМО КАТ", "НАПРАВЛЕНИЕ", "LETTER OF REFERRAL"), size=14, before=12)
    b.para(
        b.ky_ru(
            "Ош мамлекеттик университети {{ faculty }}, «{{ specialty }}» адистигинин "
            "{{ year_of_study }}-курсунун, {{ group }} тобунун студенти {{ full_name }} "
            "{{ programme }} программасы боюнча академиялык мобилдүүлүккө "
            "{{ period_from|period(period_to) }} {{ host_institution }} ({{ host_country }}) "
            "окуу жайына жолдойт.",
            "Ошский государственный университет направляет "
            "{% if female %}студентку{% else %}студента{% endif %} "
            "{{ full_name|inflect('accusative', gender) }} ({{ faculty }}, специальность "
            "«{{ specialty }}», {{ year_of_study }} курс, группа {{ group }}) "
            "{{ period_from|period(period_to) }} на академическую мобильность по программе "
            "{{ programme }} в {{ host_institution }} ({{ host_country }}).",
            "Osh State University hereby refers its student {{ full_name }} ({{ faculty }}, "
            "field of study «{{ specialty }}», year {{ year_of_study }}, group {{ group }}) to "
            "{{ host_institution }} ({{ host_country }}) for academic mobility under the "
            "{{ programme }} programme {{ period_from|period(period_to) }}.",
        ),
        indent=True,
        after=6,
    )
    b.para(
        b.ky_ru(
            "Негизи: {{ invitation.issuer }} окуу жайынын {{ invitation.date|date_of }} "
            "{% if invitation.number %}№ {{ invitation.number }} {% endif %}чакыруу каты.",
            "Основание: приглашение принимающего вуза ({{ invitation.issuer }}) от "
            "{{ invitation.date|long_date }}{% if invitation.number %} № {{ invitation.number }}"
            "{% endif %}.",
            "Basis: the letter of invitation of {{ invitation.issuer }} of "
            "{{ invitation.date|long_date }}{% if invitation.number %}, "
            "No. {{ invitation.number }}{% endif %}.",
        ),
        indent=True,
        after=6,
    )
    b.tag("{%p if plan_credits %}")
    b.para(
        b.ky_ru(
            "Студенттин жекече окуу планы (ЖОП) боюнча кабыл алуучу окуу жайда окуунун көлөмү: "
            "{{ plan_credits|num }} ECTS кредити.",
            "Объём обучения в принимающем вузе по индивидуальному учебному плану: "
            "{{ plan_credits|num }} ECTS.",
            "The student's individual study plan comprises {{ plan_credits|num }} ECTS credits "
            "at your institution.",
        ),
        indent=True,
        after=6,
    )
    b.tag("{%p endif %}")
    b.para(
        b.ky_ru(
            "Студентти кабыл алууңузду жана мобилдүүлүк аяктагандан кийин окуу натыйжаларын "
            "камтыган транскриптти Ош мамлекеттик университетине жөнөтүүңүздү суранабыз.",
            "Просим принять {% if female %}студентку{% else %}студента{% endif %} и по окончании "
            "мобильности направить в Ошский государственный университет транскрипт с "
            "результатами обучения.",
            "We kindly ask you to receive the student and, at the end of the mobility, to send "
            "Osh State University the transcript of records.",
        ),
        indent=True,
        after=6,
    )
    b.para(
        b.ky_ru("Байланыш үчүн: ", "Контактное лицо: ", "Contact: ")
        + "{{ contact.position }} {{ contact.full_name }}, e-mail: {{ contact.email }}, "
        + b.ky_ru("тел.: ", "тел.: ", "tel.: ")
        + "{{ contact.phone }}",
        indent=True,
        before=4,
    )
    b.para(b.ky_ru("Урматтоо менен,", "С уважением,", "Yours sincerely,"), align=LEFT, before=14)
    b.signature(before=4)
    b.executor()
    rows_never_split(b)


def staff_report_form(b: Builder) -> None:
    b.right_block(
        [b.ky_ru("Эл аралык байланыштар департаментине", "В Департамент международных связей ОшГУ")]
    )
    b.heading(
        b.ky_ru(
            "ИШ САПАР ТУУРАЛУУ КЫСКАЧА ОТЧЕТ",
            "КРАТКИЙ ОТЧЁТ О КОМАНДИРОВКЕ",
        ),
        before=12,
        after=2,
    )
    b.para(
        b.ky_ru(
            "(ОшМУнун академиялык мобилдүүлүк жөнүндө жобосунун 3.6-пункту)",
            "(пункт 3.6 Положения об академической мобильности ОшГУ)",
        ),
        align=CENTER,
        italic=True,
        size=10,
        after=8,
    )
    b.fields_table(
        [
            (b.ky_ru("Аты-жөнү", "Ф. И. О."), "{{ staff.full_name }}"),
            (b.ky_ru("Кызматы", "Должность"), "{{ staff.position }}"),
            (
                b.ky_ru("Кафедра, факультет", "Кафедра, факультет"),
                "{{ staff.department }}, {{ staff.faculty }}",
            ),
            (
                b.ky_ru("Кабыл алуучу тарап", "Принимающая сторона"),
                "{{ host_institution }}{% if host_city %}, {{ host_city }}{% endif %} "
                "({{ host_country }})",
            ),
            (
                b.ky_ru("Мөөнөтү", "Срок"),
                "{{ period_from|period(period_to) }} ("
                + b.ky_ru("{{ days }} күн", "календарных дней: {{ days }}")
                + ")",
            ),
            (
                b.ky_ru("Буйрук", "Приказ"),
                b.ky_ru(
                    "{{ order.issuer }}, {{ order.date|date_of }}"
                    "{% if order.number %} № {{ order.number }}{% endif %} буйрук",
                    "{{ order.issuer }}, от {{ order.date|long_date }}"
                    "{% if order.number %} № {{ order.number }}{% endif %}",
                ),
            ),
            (b.ky_ru("Максаты", "Цель"), "{{ purpose }}"),
            (b.ky_ru("Каржылоо булагы", "Источник финансирования"), "{{ funding_source }}"),
        ]
    )
    for number, field, ky, ru in (
        (1, "work_done", "Аткарылган иштер", "Выполненная работа"),
        (
            2,
            "results",
            "Жыйынтыктар (макулдашуулар, басылмалар, байланыштар)",
            "Результаты (договорённости, публикации, контакты)",
        ),
        (
            3,
            "proposals",
            "Кызматташууну өнүктүрүү боюнча сунуштар",
            "Предложения по развитию сотрудничества",
        ),
    ):
        b.para(f"{number}. " + b.ky_ru(ky, ru), bold=True, align=LEFT, before=10, after=4)
        b.tag("{%p if " + field + " %}")
        b.para("{{ " + field + " }}", indent=True)
        b.tag("{%p else %}")
        b.blank_lines(3)
        b.tag("{%p endif %}")
    b.para(
        "4. "
        + b.ky_ru(
            "Кафедрада талкууланды жана факультетте презентацияланды (күнү, протокол №)",
            "Обсуждено на кафедре и представлено на факультете (дата, № протокола)",
        ),
        bold=True,
        align=LEFT,
        before=10,
        after=4,
    )
    b.blank_lines(2)
    b.para("{{ date|long_date }}", align=LEFT, before=14)
    b.para(
        b.ky_ru("Кызматкердин колу: ", "Подпись сотрудника: ")
        + "____________ {{ staff.full_name }}",
        align=LEFT,
        before=6,
    )
    b.para(
        b.ky_ru("Кабыл алды: ", "Принял: ")
        + "{{ addressee.position }} ____________ {{ addressee.full_name }}",
        align=LEFT,
        before=10,
    )
    rows_never_split(b)


def expulsion_submission(b: Builder) -> None:
    b.letterhead()
    b.right_block(
        [
            b.ky_ru("ОшМУнун ректору", "Ректору ОшГУ"),
            b.ky_ru(
                "{{ addressee.full_name }}",
                "{{ addressee.full_name|inflect('dative', addressee.gender) }}",
            ),
        ]
    )
    b.heading(b.ky_ru("СУНУШ", "ПРЕДСТАВЛЕНИЕ"), size=14, before=12, after=2)
    b.para(
        b.ky_ru("студентти окуудан четтетүү жөнүндө", "об отчислении студента"),
        bold=True,
        align=CENTER,
        after=4,
    )
    b.para(
        "{{ date|long_date }}{% if number %}  № {{ number }}{% endif %}",
        align=LEFT,
        before=6,
        after=6,
    )
    b.version_line()
    b.para(
        b.ky_ru(
            "{{ faculty }}, «{{ specialty }}» адистигинин {{ year_of_study }}-курсунун, "
            "{{ group }} тобунун {% if tuition == 'budget' %}бюджеттик{% else %}келишимдик"
            "{% endif %} негизде окуган студенти {{ full_name }} "
            "{{ period_from|period(period_to) }} {{ host_institution }} ({{ host_country }}) "
            "окуу жайында академиялык мобилдүүлүк "
            "боюнча билим алды. Кабыл алуучу окуу жайдын транскриптине ({{ transcript.issuer }}, "
            "{{ transcript.date|long_date }}{% if transcript.number %}, № {{ transcript.number }}"
            "{% endif %}) ылайык студент канааттандырарлык эмес баа алган дисциплиналардын "
            "кредиттеринин суммасы {{ failed_credits|num }} кредитти түзөт жана белгиленген "
            "{{ threshold }} кредиттен ашат.",
            "{% if female %}Студентка{% else %}Студент{% endif %} {{ full_name }} ({{ faculty }}, "
            "специальность «{{ specialty }}», {{ year_of_study }} курс, группа {{ group }}, "
            "{% if tuition == 'budget' %}бюджетная{% else %}контрактная{% endif %} форма "
            "обучения) {{ period_from|period(period_to) }} "
            "{% if female %}обучалась{% else %}обучался{% endif %} по программе академической "
            "мобильности в принимающем вузе {{ host_institution }} ({{ host_country }}). "
            "Согласно транскрипту "
            "принимающего вуза ({{ transcript.issuer }} от {{ transcript.date|long_date }}"
            "{% if transcript.number %} № {{ transcript.number }}{% endif %}) сумма кредитов "
            "дисциплин с неудовлетворительной оценкой составляет {{ failed_credits|num }} ECTS, "
            "что превышает установленный порог в {{ threshold }} ECTS.",
        ),
        indent=True,
        after=6,
    )
    b.tag("{%p if courses %}")
    b.loop_table(
        b.ky_ru("№|Дисциплина|Кредит|Баа", "№|Дисциплина|Кредиты|Оценка").split("|"),
        ["{{ loop.index }}", "{{ c.title }}", "{{ c.credits|num }}", "{{ c.grade }}"],
        "c in courses",
        (0.8, 10, 2.5, 3.7),
        total=["", b.ky_ru("Бардыгы", "Итого"), "{{ courses_credits|num }}", ""],
    )
    b.tag("{%p endif %}")
    b.para(
        b.ky_ru(
            "«ОшМУнун академиялык мобилдүүлүк жөнүндө жобосунун» 4.8-пунктуна (факультеттин "
            "деканатынын милдеттери) ылайык, кабыл алуучу окуу жайда канааттандырарлык эмес "
            "баа алган дисциплиналардын кредиттеринин суммасы {{ threshold }} кредиттен ашкан "
            "студент кайтып келгенден кийин белгиленген тартипте окуудан четтетилет. Ушуга "
            "байланыштуу студент {{ full_name }} окуудан четтетүүнү сунуштайм.",
            "В соответствии с пунктом 4.8 Положения об академической мобильности ОшГУ "
            "(обязанности деканата факультета) студент, у которого сумма кредитов дисциплин "
            "с неудовлетворительной оценкой в принимающем вузе превышает {{ threshold }} ECTS, "
            "после возвращения отчисляется в установленном порядке. В связи с этим прошу "
            "отчислить {% if female %}студентку{% else %}студента{% endif %} "
            "{{ full_name|inflect('accusative', gender) }}.",
        ),
        indent=True,
        before=6,
    )
    b.signature()
    b.people_signing(b.ky_ru("Макулдашылды:", "Согласовано:"), "agreed_by")
    rows_never_split(b)


def faculty_mobility_report(b: Builder) -> None:
    b.letterhead()
    b.right_block(
        [
            b.ky_ru("ЭАБДнын директору", "Директору ДМС ОшГУ"),
            b.ky_ru(
                "{{ addressee.full_name }}",
                "{{ addressee.full_name|inflect('dative', addressee.gender) }}",
            ),
        ]
    )
    b.heading(
        b.ky_ru(
            "ФАКУЛЬТЕТТЕ АКАДЕМИЯЛЫК МОБИЛДҮҮЛҮКТҮН АТКАРЫЛЫШЫ ЖӨНҮНДӨ ОТЧЕТ",
            "ОТЧЁТ О РЕАЛИЗАЦИИ АКАДЕМИЧЕСКОЙ МОБИЛЬНОСТИ НА ФАКУЛЬТЕТЕ",
        ),
        before=12,
        after=4,
    )
    b.para("{{ faculty }}", bold=True, align=CENTER)
    b.para("{{ period_from|period(period_to) }}", align=CENTER, after=8)
    b.para(
        b.ky_ru(
            "Отчетто факультеттин мобилдүүлүгү көрсөтүлгөн мезгил менен кесилишкен бардык "
            "иштери камтылды: чет өлкөгө жиберилген студенттер — {{ outgoing_students|length }}, "
            "кызматкерлер — {{ outgoing_staff|length }}, кабыл алынган катышуучулар — "
            "{{ incoming|length }}; бардыгы {{ total }}.",
            "Отчёт охватывает все дела факультета, мобильность по которым пересекается с "
            "отчётным периодом: направленные студенты — {{ outgoing_students|length }}, "
            "сотрудники — {{ outgoing_staff|length }}, принятые участники — "
            "{{ incoming|length }}; всего {{ total }}.",
        ),
        indent=True,
    )
    b.para(
        b.ky_ru(
            "Таблицалар кийинки барактарда (альбомдук багытта).",
            "Таблицы — на следующих страницах (альбомная ориентация).",
        ),
        indent=True,
        after=6,
    )
    b.signature()
    b.para("{{ date|long_date }}", align=LEFT, before=6)
    b.landscape_section()
    headers = b.ky_ru(
        "№|Аты-жөнү|Топ / кафедра|Окуу жай|Өлкө|Программа|Мөөнөтү|Абалы|Жыйынтыгы",
        "№|Ф. И. О.|Группа / кафедра|Вуз|Страна|Программа|Срок|Состояние|Результат",
    ).split("|")
    widths = (0.9, 5.2, 2.6, 5.2, 2.4, 2.8, 2.6, 2.5, 2.5)  # 26.7 cm of 26.7 landscape
    for title_ky, title_ru, loop in (
        ("1. Чет өлкөгө жиберилген студенттер", "1. Направленные студенты", "outgoing_students"),
        ("2. Чет өлкөгө жиберилген кызматкерлер", "2. Направленные сотрудники", "outgoing_staff"),
        ("3. ОшМУга келген катышуучулар", "3. Принятые в ОшГУ участники", "incoming"),
    ):
        b.para(b.ky_ru(title_ky, title_ru), bold=True, align=LEFT, before=8, after=4)
        b.tag("{%p if " + loop + " %}")
        b.loop_table(
            headers,
            [
                "{{ loop.index }}",
                "{{ r.full_name }}",
                "{{ r.unit or '' }}",
                "{{ r.institution }}",
                "{{ r.country }}",
                "{{ r.programme or '' }}",
                period_cell("r"),
                "{{ r.status }}",
                "{{ r.result or '' }}",
            ],
            "r in " + loop,
            widths,
            size=9,
        )
        b.tag("{%p else %}")
        b.para(b.ky_ru("Жок.", "Нет."), align=LEFT)
        b.tag("{%p endif %}")
    rows_never_split(b)
