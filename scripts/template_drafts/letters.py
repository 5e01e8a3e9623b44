"""Letters, notices and the recognition decision."""

from __future__ import annotations

from scripts.template_drafts.layout import CENTER, LEFT, Builder
from scripts.template_drafts.orders import period_cell


def _letter_number(b: Builder) -> None:
    b.para(
        "{{ date|long_date }}  " + b.ky_ru("№", "№", "No.") + " {{ number }}",
        align=LEFT,
        before=6,
        after=8,
    )
    b.version_line()


def invitation_request(b: Builder) -> None:
    b.letterhead()
    _letter_number(b)
    # The address block is printed as typed: the caller gives the position in the case the
    # letter's language needs (Russian dative "Ректору ...").
    b.right_block(
        [
            "{{ addressee.position }}",
            "{{ addressee_institution }}",
            "({{ addressee_country }})",
            "{{ addressee.full_name }}",
        ]
    )
    b.para(
        "{{ addressee.full_name|dear(addressee.gender) }}" + b.ky_ru("!", "!", ","),
        bold=True,
        align=CENTER,
        before=12,
        after=8,
    )
    b.para(
        b.ky_ru(
            "Ош мамлекеттик университети Сизге урматын билдирип, "
            "{% if agreement %}ортобуздагы кызматташуу келишиминин ("
            "{{ agreement.issuer }}, {{ agreement.date|long_date }}"
            "{% if agreement.number %}, № {{ agreement.number }}{% endif %}) жана {% endif %}"
            "{{ programme }} программасынын алкагында төмөндө аталган студенттерди академиялык "
            "мобилдүүлүк боюнча кабыл алууңузду суранат:",
            "Ошский государственный университет выражает Вам своё уважение и в рамках "
            "{% if agreement %}договора о сотрудничестве ({{ agreement.issuer }} от "
            "{{ agreement.date|long_date }}{% if agreement.number %} № {{ agreement.number }}"
            "{% endif %}) и {% endif %}программы {{ programme }} просит принять на академическую "
            "мобильность следующих студентов:",
            "Osh State University presents its compliments and, "
            "{% if agreement %}under our cooperation agreement ({{ agreement.issuer }} of "
            "{{ agreement.date|long_date }}{% if agreement.number %}, No. {{ agreement.number }}"
            "{% endif %}) and {% endif %}within the {{ programme }} programme, kindly asks you to "
            "accept the following students for academic mobility:",
        ),
        indent=True,
        after=6,
    )
    b.loop_table(
        b.ky_ru(
            "№|Аты-жөнү|Адистик|Курс|Мөөнөтү",
            "№|Ф. И. О.|Специальность|Курс|Срок",
            "No.|Full name|Field of study|Year|Period",
        ).split("|"),
        [
            "{{ loop.index }}",
            "{{ s.full_name }}",
            "{{ s.specialty }}",
            "{{ s.year_of_study }}",
            period_cell("s"),
        ],
        "s in students",
        (0.8, 5.5, 5.2, 1.3, 4.2),
    )
    b.para(
        b.ky_ru(
            "Студенттерге расмий чакыруу катын жана тиешелүү окуу планын (курстардын тизмесин) "
            "жөнөтүүңүздү өтүнөбүз: алар студенттердин жекече окуу пландарын түзүүгө жана "
            "жиберүү жөнүндө буйрукка негиз болот.",
            "Просим направить студентам официальные приглашения и соответствующий учебный план "
            "(перечень курсов): они служат основанием для индивидуальных учебных планов "
            "студентов и приказа о направлении.",
            "We would be grateful if you could send the students official letters of invitation "
            "and the relevant curriculum (the list of courses): they are the basis of the "
            "students' individual study plans and of the order sending them.",
        ),
        indent=True,
        before=8,
    )
    b.para(
        b.ky_ru("Байланыш үчүн: ", "Контактное лицо: ", "Contact: ")
        + "{{ contact.position }} {{ contact.full_name }}, e-mail: {{ contact.email }}, "
        + b.ky_ru("тел.: ", "тел.: ", "tel.: ")
        + "{{ contact.phone }}",
        indent=True,
        before=6,
    )
    b.para(b.ky_ru("Урматтоо менен,", "С уважением,", "Yours sincerely,"), align=LEFT, before=14)
    b.signature(before=4)
    b.executor()


def recognition_decision(b: Builder) -> None:
    b.letterhead()
    b.heading(b.ky_ru("ЧЕЧИМ", "РЕШЕНИЕ"), size=15, before=10)
    b.para(
        b.ky_ru(
            "академиялык мобилдүүлүктүн жыйынтыгы боюнча кредиттерди таануу (перезачет) жөнүндө",
            "о перезачёте кредитов по итогам академической мобильности",
        ),
        bold=True,
        align=CENTER,
        after=6,
    )
    b.date_number_line()
    b.para(
        b.ky_ru(
            "{{ faculty }}, «{{ specialty }}» адистигинин {{ year_of_study }}-курсунун, "
            "{{ group }} тобунун студенти {{ full_name }} {{ period_from|period(period_to) }} "
            "{{ host_institution }} ({{ host_country }}) окуу жайында академиялык мобилдүүлүк "
            "боюнча билим алды. Кабыл алуучу окуу жайдын транскриптинин ({{ transcript.issuer }}, "
            "{{ transcript.date|long_date }}{% if transcript.number %}, № {{ transcript.number }}"
            "{% endif %}) жана студенттин арызынын негизинде комиссия ECTS системасына таянып "
            "дисциплиналарды төмөнкүдөй карады:",
            "{% if female %}Студентка{% else %}Студент{% endif %} {{ full_name }} ({{ faculty }}, "
            "специальность «{{ specialty }}», {{ year_of_study }} курс, группа {{ group }}) "
            "{{ period_from|period(period_to) }} {% if female %}обучалась{% else %}обучался"
            "{% endif %} по программе академической мобильности в {{ host_institution }} "
            "({{ host_country }}). На основании транскрипта принимающего вуза "
            "({{ transcript.issuer }} от {{ transcript.date|long_date }}"
            "{% if transcript.number %} № {{ transcript.number }}{% endif %}) и заявления студента "
            "комиссия на основе системы ECTS рассмотрела дисциплины:",
        ),
        indent=True,
        before=8,
        after=6,
    )
    elective = b.ky_ru(
        "Университеттик компонент / элективдүү курс", "Вузовский компонент / элективный курс"
    )
    b.loop_table(
        b.ky_ru(
            "№|Дисциплина (КАОЖ)|Кредит|КАОЖдогу баа|Шкала|100 балл|ОшМУдагы баа "
            "(тамга / 5 балл)|ОшМУдагы дисциплина|Чечим",
            "№|Дисциплина (принимающий вуз)|Кредиты|Оценка вуза|Шкала|100 баллов|"
            "Оценка ОшГУ (буква / 5 баллов)|Дисциплина ОшГУ|Решение",
        ).split("|"),
        [
            "{{ loop.index }}",
            "{{ c.host_course }}",
            "{{ c.credits|num }}",
            "{{ c.host_grade }}",
            "{{ c.host_scale }}",
            "{{ c.score_100 }}",
            "{{ c.home_grade }} / {{ c.home_points }}",
            "{% if c.home_course %}{{ c.home_course }}{% else %}" + elective + "{% endif %}",
            "{% if c.credited %}"
            + b.ky_ru("эсептелди", "зачтено")
            + "{% else %}"
            + b.ky_ru("эсептелген жок", "не зачтено")
            + "{% endif %}",
        ],
        "c in courses",
        (0.7, 3.3, 1.4, 1.4, 1.5, 1.2, 1.9, 3.3, 1.9),
        size=9,
    )
    b.para(
        b.ky_ru(
            "Эсептелген кредиттер: {{ credited_credits|num }}; эсептелбеген "
            "кредиттер: {{ failed_credits|num }}.",
            "Зачтено кредитов: {{ credited_credits|num }}; не зачтено: {{ failed_credits|num }}.",
        ),
        align=LEFT,
        before=6,
    )
    b.para(b.ky_ru("ЧЕЧИМ:", "РЕШИЛИ:"), bold=True, align=LEFT, before=8, after=4)
    record = b.ky_ru(
        "эсептелген дисциплиналар AVN системасына, зачеттук китепчеге жана дипломдун "
        "тиркемесине киргизилсин",
        "зачтённые дисциплины внести в систему AVN, зачётную книжку и приложение к диплому",
    )
    b.tag("{%p if outcome == 'all_credited' %}")
    b.para(
        b.ky_ru("Бардык дисциплиналар эсептелсин; ", "Зачесть все дисциплины; ") + record + ".",
        indent=True,
    )
    b.tag("{%p elif outcome == 'summer_retake' %}")
    b.para(
        record[:1].upper()
        + record[1:]
        + b.ky_ru(
            "; эсептелбеген дисциплиналар боюнча академиялык карыз ({{ failed_credits|num }} "
            "кредит) кошумча (жайкы) семестрде акы төлөө негизинде жоюлсун.",
            "; академическую задолженность по незачтённым дисциплинам "
            "({{ failed_credits|num }} кредитов) ликвидировать в дополнительном (летнем) "
            "семестре на платной основе.",
        ),
        indent=True,
    )
    b.tag("{%p else %}")
    b.para(
        b.ky_ru(
            "Эсептелбеген кредиттердин суммасы ({{ failed_credits|num }}) 15 кредиттен "
            "ашкандыктан, студентти белгиленген тартипте окуудан четтетүү сунушталсын.",
            "В связи с тем, что сумма незачтённых кредитов ({{ failed_credits|num }}) превышает "
            "15 кредитов, представить студента к отчислению в установленном порядке.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")
    b.people_signing(b.ky_ru("Комиссиянын мүчөлөрү:", "Члены комиссии:"), "commission")
    b.signature()


def missed_deadline_notice(b: Builder) -> None:
    b.letterhead()
    _letter_number(b)
    b.right_block(
        [
            b.ky_ru(
                "Студент {{ full_name }}",
                "{% if female %}Студентке{% else %}Студенту{% endif %} "
                "{{ full_name|inflect('dative', gender) }}",
            ),
            "{{ faculty }}, {{ specialty }}",
            "{{ year_of_study }}" + b.ky_ru("-курс, ", " курс, ") + "{{ group }}",
        ]
    )
    b.heading(b.ky_ru("ЭСКЕРТҮҮ", "УВЕДОМЛЕНИЕ"), before=12)
    b.para(
        b.ky_ru(
            "{% if order %}ОшМУнун буйругуна ({{ order.issuer }}, {{ order.date|long_date }}"
            "{% if order.number %}, № {{ order.number }}{% endif %}) ылайык {% endif %}"
            "Сиз {{ deadline|date_to }} чейин төмөнкү милдетти аткарышыңыз керек болчу:",
            "{% if order %}В соответствии с приказом ОшГУ ({{ order.issuer }} от "
            "{{ order.date|long_date }}{% if order.number %} № {{ order.number }}{% endif %}) "
            "{% endif %}Вы должны были до {{ deadline|long_date }} выполнить следующее:",
        ),
        indent=True,
    )
    b.para("{{ duty }}", indent=True, italic=True, before=4, after=4)
    b.para(
        b.ky_ru(
            "Белгиленген мөөнөт өтүп кетти, милдет аткарылган жок.",
            "Установленный срок истёк, обязанность не выполнена.",
        ),
        indent=True,
    )
    b.tag("{%p if new_deadline %}")
    b.para(
        b.ky_ru(
            "Милдетти {{ new_deadline|date_to }} чейин аткарууңуз талап кылынат.",
            "Вам необходимо выполнить её до {{ new_deadline|long_date }}",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")
    b.tag("{%p if consequence %}")
    b.para("{{ consequence }}", indent=True)
    b.tag("{%p endif %}")
    b.para(
        b.ky_ru("Көчүрмөсү: факультеттин деканатына.", "Копия: в деканат факультета."),
        align=LEFT,
        size=10,
        before=8,
    )
    b.signature()
    b.executor()


def incoming_invitation(b: Builder) -> None:
    b.letterhead()
    _letter_number(b)
    b.heading(b.ky_ru("ЧАКЫРУУ КАТЫ", "ПРИГЛАШЕНИЕ", "LETTER OF INVITATION"), size=14)
    b.para(
        "{{ full_name|dear(gender) }}" + b.ky_ru("!", "!", ","),
        bold=True,
        align=CENTER,
        after=8,
    )
    b.para(
        b.ky_ru(
            "Ош мамлекеттик университети Сизди {{ programme }} программасы боюнча академиялык "
            "мобилдүүлүккө {% if participant == 'student' %}студент{% else %}кызматкер"
            "{% endif %} катары {{ period_from|period(period_to) }} кабыл алууга даяр экенин "
            "билдирет.",
            "Ошский государственный университет подтверждает готовность принять Вас в качестве "
            "{% if participant == 'student' %}студента{% else %}сотрудника{% endif %} по "
            "программе академической мобильности {{ programme }} "
            "{{ period_from|period(period_to) }}",
            "Osh State University is pleased to confirm that it will host you as "
            "{% if participant == 'student' %}a student{% else %}a staff member{% endif %} in "
            "academic mobility ({{ programme }}) {{ period_from|period(period_to) }}.",
        ),
        indent=True,
        after=6,
    )
    b.fields_table(
        [
            (b.ky_ru("Аты-жөнү", "Ф. И. О.", "Full name"), "{{ full_name }}"),
            (b.ky_ru("Жарандыгы", "Гражданство", "Citizenship"), "{{ citizenship }}"),
            ("{%tr if passport_number %}", ""),
            (b.ky_ru("Паспорт", "Паспорт", "Passport"), "{{ passport_number }}"),
            ("{%tr endif %}", ""),
            (
                b.ky_ru("Жиберүүчү окуу жай", "Направляющий вуз", "Sending institution"),
                "{{ home_institution }} ({{ home_country }})",
            ),
            (
                b.ky_ru("Кабыл алуучу факультет", "Принимающий факультет", "Host faculty"),
                "{{ faculty }}",
            ),
            (
                b.ky_ru("Адистик / кафедра", "Специальность / кафедра", "Field / department"),
                "{{ specialty }}",
            ),
            (b.ky_ru("Мөөнөтү", "Срок", "Period"), "{{ period_from|period(period_to) }}"),
            (b.ky_ru("Максаты", "Цель", "Purpose"), "{{ purpose }}"),
        ]
    )
    b.tag("{%p if fee_waived %}")
    b.para(
        b.ky_ru(
            "Эки тараптуу келишимге ылайык окуу акысы алынбайт.",
            "В соответствии с двусторонним договором плата за обучение не взимается.",
            "Under the bilateral agreement no tuition fee is charged.",
        ),
        indent=True,
        before=6,
    )
    b.tag("{%p endif %}")
    b.tag("{%p if accommodation %}")
    b.para("{{ accommodation }}", indent=True, before=4)
    b.tag("{%p endif %}")
    b.para(
        b.ky_ru("Сизге координатор бекитилди: ", "Ваш координатор: ", "Your coordinator: ")
        + "{{ coordinator.position }} {{ coordinator.full_name }}, e-mail: "
        "{{ coordinator.email }}, "
        + b.ky_ru("тел.: ", "тел.: ", "tel.: ")
        + "{{ coordinator.phone }}.",
        indent=True,
        before=4,
    )
    b.para(
        b.ky_ru(
            "Визаны алуу, Кыргыз Республикасынын аймагына кирүү жана миграциялык каттоо "
            "тартиптерин сактоо катышуучунун милдети; ЭАБД каттоо боюнча жардам көрсөтөт.",
            "Получение визы, соблюдение порядка въезда в Кыргызскую Республику и миграционной "
            "регистрации — обязанность участника; ДМС оказывает содействие в регистрации.",
            "Obtaining a visa and observing the rules of entry into the Kyrgyz Republic and of "
            "migration registration are the participant's duty; the International Relations "
            "Department of Osh State University assists with the registration.",
        ),
        indent=True,
        before=4,
    )
    b.signature()
    b.executor()
