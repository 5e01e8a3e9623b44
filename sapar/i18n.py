"""The interface in Kyrgyz (default), Russian and English: one row per message, so a
translation is never missing in one language only. `t()` for phrases, `label()` for the
names of states, steps, kinds, papers and roles."""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("ky", "ru", "en")
LANGUAGE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}

# key: (ky, ru, en)
_PHRASES: dict[str, tuple[str, str, str]] = {
    "app.title": (
        "Сапар — академиялык мобилдүүлүк",
        "Сапар — академическая мобильность",
        "Sapar — academic mobility",
    ),
    "app.university": (
        "Ош мамлекеттик университети",
        "Ошский государственный университет",
        "Osh State University",
    ),
    "nav.cases": ("Иштер", "Дела", "Cases"),
    "nav.new_case": ("Жаңы иш", "Новое дело", "New case"),
    "nav.overdue": ("Мөөнөтү өткөндөр", "Просроченные", "Overdue"),
    "nav.logout": ("Чыгуу", "Выйти", "Log out"),
    "login.title": ("Кирүү", "Вход", "Log in"),
    "login.username": ("Колдонуучу аты", "Имя пользователя", "Username"),
    "login.password": ("Сырсөз", "Пароль", "Password"),
    "login.submit": ("Кирүү", "Войти", "Log in"),
    "login.failed": (
        "Колдонуучу аты же сырсөз туура эмес",
        "Неверное имя пользователя или пароль",
        "Wrong username or password",
    ),
    "login.locked": (
        "Өтө көп ийгиликсиз аракет: {minutes} мүнөттөн кийин кайталаңыз",
        "Слишком много неудачных попыток: повторите через {minutes} мин.",
        "Too many failed attempts: try again in {minutes} minutes",
    ),
    "list.title": ("Мобилдүүлүк иштери", "Дела по мобильности", "Mobility cases"),
    "list.search": ("Аты-жөнү боюнча издөө", "Поиск по ФИО", "Search by name"),
    "list.filter": ("Чыпкалоо", "Фильтр", "Filter"),
    "list.reset": ("Тазалоо", "Сбросить", "Reset"),
    "list.all": ("Баары", "Все", "All"),
    "list.overdue_only": ("Мөөнөтү өткөндөр гана", "Только просроченные", "Overdue only"),
    "list.empty": ("Иш табылган жок", "Дел не найдено", "No cases found"),
    "list.next": ("Кийинки →", "Далее →", "Next →"),
    "list.first": ("← Башына", "← В начало", "← First page"),
    "list.shown": ("Көрсөтүлдү: {n}", "Показано: {n}", "Shown: {n}"),
    "field.participant": ("Катышуучу", "Участник", "Participant"),
    "field.full_name": ("Аты-жөнү", "ФИО", "Full name"),
    "field.kind": ("Түрү", "Вид", "Kind"),
    "field.state": ("Абалы", "Состояние", "State"),
    "field.faculty": ("Факультет", "Факультет", "Faculty"),
    "field.department": ("Кафедра", "Кафедра", "Department"),
    "field.programme": ("Программа", "Программа", "Programme"),
    "field.host": ("Кабыл алуучу окуу жай", "Принимающий вуз", "Host institution"),
    "field.host_country": ("Өлкө", "Страна", "Country"),
    "field.host_city": ("Шаар", "Город", "City"),
    "field.academic_year": ("Окуу жылы", "Учебный год", "Academic year"),
    "field.dates": ("Мөөнөтү", "Сроки", "Dates"),
    "field.start_date": ("Башталышы", "Начало", "Start"),
    "field.end_date": ("Аякташы", "Окончание", "End"),
    "field.actual_end_date": (
        "Чыныгы кайтуу күнү",
        "Фактическая дата возвращения",
        "Actual return date",
    ),
    "field.purpose": ("Максаты", "Цель", "Purpose"),
    "field.funding_source": ("Каржылоо булагы", "Источник финансирования", "Funding"),
    "field.scope": ("Багыты", "Охват", "Scope"),
    "field.direction": ("Багыт", "Направление", "Direction"),
    "field.participant_kind": ("Ким", "Кто", "Who"),
    "field.level": ("Деңгээли", "Уровень", "Level"),
    "field.year": ("Курсу", "Курс", "Year of study"),
    "field.semester": ("Семестр", "Семестр", "Semester"),
    "field.gpa": ("GPA (4.0 шкала)", "GPA (шкала 4.0)", "GPA (4.0 scale)"),
    "field.funding_basis": ("Окуу акысы", "Основа обучения", "Tuition basis"),
    "field.tuition_debt": (
        "Контракт боюнча карызы бар",
        "Есть задолженность по контракту",
        "Has tuition debt",
    ),
    "field.specialty": ("Адистиги", "Специальность", "Specialty"),
    "field.group_name": ("Тайпасы", "Группа", "Group"),
    "field.basis": ("Негизи (3.2)", "Основание (3.2)", "Basis (3.2)"),
    "field.partner": ("Өнөктөш (келишим)", "Партнёр (соглашение)", "Partner (agreement)"),
    "field.position": ("Кызматы", "Должность", "Position"),
    "field.home_institution": ("Жиберүүчү окуу жай", "Направляющий вуз", "Home institution"),
    "field.citizenship": ("Жарандыгы", "Гражданство", "Citizenship"),
    "field.email": ("Эл. почта", "Эл. почта", "E-mail"),
    "field.competitive": (
        "Конкурстук программа (GPA > 3.0)",
        "Конкурсная программа (GPA > 3.0)",
        "Competitive programme (GPA > 3.0)",
    ),
    "field.language_certificate_required": (
        "Тил сертификаты талап кылынат",
        "Нужен языковой сертификат",
        "Language certificate required",
    ),
    "field.reason": ("Себеби", "Причина", "Reason"),
    "field.failed_credits": ("Тапшырылбаган кредиттер", "Несданные кредиты", "Failed credits"),
    "field.version": ("Версия", "Версия", "Version"),
    "field.outcome": ("Таануу жыйынтыгы", "Итог признания", "Recognition outcome"),
    "field.doc_type": ("Документтин түрү", "Тип документа", "Document type"),
    "field.file": ("Файл (PDF же DOCX)", "Файл (PDF или DOCX)", "File (PDF or DOCX)"),
    "field.overdue": ("Мөөнөтү өттү", "Просрочено", "Overdue"),
    "field.due": ("Мөөнөт", "Срок", "Due"),
    "field.status": ("Абалы", "Статус", "Status"),
    "direction.outgoing": ("ОшМУдан чыгуучу", "Исходящая (из ОшГУ)", "Outgoing (from OshSU)"),
    "direction.incoming": ("ОшМУга келүүчү", "Входящая (в ОшГУ)", "Incoming (to OshSU)"),
    "pk.student": ("Студент", "Студент", "Student"),
    "pk.staff": ("Кызматкер (ИПК)", "Сотрудник (ППС)", "Staff member"),
    "case.title": ("Иш №{id}", "Дело №{id}", "Case #{id}"),
    "case.mobility": ("Мобилдүүлүк", "Мобильность", "Mobility"),
    "case.documents": ("Документтер", "Документы", "Documents"),
    "case.no_documents": ("Азырынча документ жок", "Документов пока нет", "No documents yet"),
    "case.upload": ("Жүктөө", "Загрузить", "Upload"),
    "case.download": ("Жүктөп алуу", "Скачать", "Download"),
    "case.deadlines": ("Мөөнөттөр", "Сроки", "Deadlines"),
    "case.no_deadlines": ("Ачык мөөнөт жок", "Сроков нет", "No deadlines"),
    "case.actions": ("Кийинки кадамдар", "Следующие шаги", "Next steps"),
    "case.no_actions": (
        "Бул абалда сиз жасай турган кадам жок",
        "В этом состоянии у вас нет доступных шагов",
        "There is no step for you in this state",
    ),
    "case.history": ("Тарых", "История", "History"),
    "case.refused": ("Баш тартылды", "Отказано", "Refused"),
    "case.done": ("Аткарылды: {event}", "Выполнено: {event}", "Done: {event}"),
    "case.uploaded": ("Жүктөлдү: {doc}", "Загружено: {doc}", "Uploaded: {doc}"),
    "case.generated": ("түзүлгөн", "сформирован", "generated"),
    "case.uploaded_origin": ("жүктөлгөн", "загружен", "uploaded"),
    "case.needed": (
        "Кийинки кадамга керектүү",
        "Нужно для следующего шага",
        "Needed for the next step",
    ),
    "new.title": ("Жаңы мобилдүүлүк иши", "Новое дело о мобильности", "New mobility case"),
    "new.submit": ("Ишти ачуу", "Открыть дело", "Open the case"),
    "new.kind_hint": (
        "Түрү даталардан аныкталат: 1 айга чейин — кыска мөөнөттүү (1.3.5)",
        "Вид определяется по датам: до 1 месяца — краткосрочная (1.3.5)",
        "The kind follows from the dates: up to one month is short-term (1.3.5)",
    ),
    "new.created": ("Иш №{id} ачылды", "Дело №{id} открыто", "Case #{id} opened"),
    "overdue.title": ("Мөөнөтү өткөн милдеттер", "Просроченные обязанности", "Overdue duties"),
    "overdue.by_faculty": ("Факультеттер боюнча", "По факультетам", "By faculty"),
    "overdue.none": ("Мөөнөтү өткөн эч нерсе жок", "Просроченного нет", "Nothing is overdue"),
    "overdue.days": ("{n} күн кечикти", "просрочено на {n} дн.", "{n} days late"),
    "error.title": ("Ката", "Ошибка", "Error"),
    "error.forbidden": ("Уруксат жок", "Нет доступа", "Not permitted"),
    "error.not_found": ("Табылган жок", "Не найдено", "Not found"),
    "error.back": ("Артка", "Назад", "Back"),
    "error.csrf": (
        "Форманын мөөнөтү бүттү; баракты жаңыртып, кайталаңыз",
        "Форма устарела; обновите страницу и повторите",
        "The form has expired; reload the page and try again",
    ),
    "error.conflict": (
        "Бул ишти башка бирөө өзгөрттү; баракты жаңыртыңыз",
        "Дело изменил кто-то другой; обновите страницу",
        "Someone else changed this case; reload the page",
    ),
    "history.who": ("Ким", "Кто", "Who"),
    "history.when": ("Качан", "Когда", "When"),
    "history.what": ("Эмне", "Что", "What"),
    "history.system": ("система", "система", "system"),
    "lang.switch": ("Тил", "Язык", "Language"),
    "common.save": ("Сактоо", "Сохранить", "Save"),
    "common.yes": ("ооба", "да", "yes"),
    "common.no": ("жок", "нет", "no"),
    "common.none": ("—", "—", "—"),
}

# Labels of stored values, by group: (ky, ru, en)
_LABELS: dict[str, dict[str, tuple[str, str, str]]] = {
    "kind": {
        "outgoing_student_long": (
            "Студент, узак мөөнөттүү",
            "Студент, долгосрочная",
            "Student, long-term",
        ),
        "outgoing_student_short": (
            "Студент, кыска мөөнөттүү",
            "Студент, краткосрочная",
            "Student, short-term",
        ),
        "outgoing_staff": ("Кызматкердин сапары", "Командировка сотрудника", "Staff trip"),
        "incoming_student": ("Келген студент", "Входящий студент", "Incoming student"),
        "incoming_staff": ("Келген кызматкер", "Входящий сотрудник", "Incoming staff"),
    },
    "state": {
        "application": ("Арыз", "Заявление", "Application"),
        "nominated": ("Сунушталды", "Выдвинут", "Nominated"),
        "invited": ("Чакыруу келди", "Приглашение получено", "Invited"),
        "ordered": ("Буйрук чыкты", "Приказ издан", "Order issued"),
        "abroad": ("Чет өлкөдө", "За рубежом", "Abroad"),
        "returned": ("Кайтып келди", "Вернулся", "Returned"),
        "recognition": ("Таануу", "Признание", "Recognition"),
        "closed": ("Жабылды", "Закрыто", "Closed"),
        "withdrawn": ("Баш тартты", "Отозвано", "Withdrawn"),
        "rejected": ("Четке кагылды", "Отклонено", "Rejected"),
        "cancelled": ("Жокко чыгарылды", "Отменено", "Cancelled"),
        "head_approved": ("Кафедра башчысы макулдады", "Одобрено зав. кафедрой", "Head approved"),
        "dean_approved": ("Декан макулдады", "Одобрено деканом", "Dean approved"),
        "project_lead_approved": (
            "Долбоор жетекчиси макулдады",
            "Одобрено руководителем проекта",
            "Project lead approved",
        ),
        "vice_rector_approved": (
            "Проректор макулдады",
            "Одобрено проректором",
            "Vice-rector approved",
        ),
        "reported": ("Отчет берилди", "Отчёт сдан", "Reported"),
        "accepted": ("Кабыл алынды", "Принят", "Accepted"),
        "enrolled": ("Катталды", "Зачислен", "Enrolled"),
        "at_oshsu": ("ОшМУда", "В ОшГУ", "At OshSU"),
        "transcript_issued": ("Транскрипт берилди", "Транскрипт выдан", "Transcript issued"),
    },
    "event": {
        "open": ("Иш ачылды", "Дело открыто", "Case opened"),
        "nominate": ("Декандын сунушу", "Представление декана", "Nominate"),
        "receive_invitation": (
            "Чакыруу катын каттоо",
            "Зарегистрировать приглашение",
            "Record the invitation",
        ),
        "issue_order": ("Буйрук чыгаруу", "Издать приказ", "Issue the order"),
        "depart": ("Жөнөп кетти", "Выбыл", "Departed"),
        "return_home": ("Кайтып келди", "Вернулся", "Returned home"),
        "start_recognition": ("Таанууну баштоо", "Начать признание", "Start recognition"),
        "decide_recognition": ("Таануу боюнча чечим", "Решение о признании", "Decide recognition"),
        "withdraw": ("Баш тартуу", "Отозвать", "Withdraw"),
        "reject": ("Четке кагуу", "Отклонить", "Reject"),
        "cancel": ("Жокко чыгаруу", "Отменить", "Cancel"),
        "approve_by_head": (
            "Кафедра башчысынын макулдугу",
            "Одобрение зав. кафедрой",
            "Head's approval",
        ),
        "approve_by_dean": ("Декандын макулдугу", "Одобрение декана", "Dean's approval"),
        "approve_by_project_lead": (
            "Долбоор жетекчисинин макулдугу",
            "Одобрение руководителя проекта",
            "Project lead's approval",
        ),
        "approve_by_vice_rector": (
            "Проректордун макулдугу",
            "Одобрение проректора",
            "Vice-rector's approval",
        ),
        "file_report": ("Отчетторду каттоо", "Принять отчёты", "File the reports"),
        "close": ("Ишти жабуу", "Закрыть дело", "Close the case"),
        "accept": ("Кабыл алуу", "Принять", "Accept"),
        "enrol": ("Каттоо", "Зачислить", "Enrol"),
        "arrive": ("Келди", "Прибыл", "Arrived"),
        "issue_transcript": ("Транскрипт берүү", "Выдать транскрипт", "Issue the transcript"),
        "attach_document": ("Документ жүктөлдү", "Документ загружен", "Document attached"),
        "issue_document": ("Документ түзүлдү", "Документ сформирован", "Document issued"),
        "view": ("Көрүү", "Просмотр", "View"),
        "download_document": (
            "Документти жүктөп алуу",
            "Скачивание документа",
            "Document download",
        ),
    },
    "doc": {
        "application": ("Арыз", "Заявление", "Application"),
        "study_plan": (
            "Жекече окуу план (ЖОП)",
            "Индивидуальный учебный план",
            "Individual study plan",
        ),
        "parents_consent": ("Ата-эненин макулдугу", "Согласие родителей", "Parents' consent"),
        "transcript": ("Транскрипт", "Транскрипт", "Transcript"),
        "questionnaire": ("Анкета", "Анкета", "Questionnaire"),
        "motivation_letter": ("Мотивациялык кат", "Мотивационное письмо", "Motivation letter"),
        "passport_copy": ("Паспорттун көчүрмөсү", "Копия паспорта", "Passport copy"),
        "language_certificate": ("Тил сертификаты", "Языковой сертификат", "Language certificate"),
        "dean_nomination": ("Декандын билдирүүсү", "Представление декана", "Dean's nomination"),
        "invitation_request": ("Чакыруу суроо каты", "Запрос приглашения", "Invitation request"),
        "invitation_letter": ("Чакыруу каты", "Приглашение", "Invitation letter"),
        "learning_agreement": ("Окуу келишими", "Соглашение об обучении", "Learning agreement"),
        "mobility_order": ("Мобилдүүлүк буйругу", "Приказ о мобильности", "Mobility order"),
        "staff_trip_order": ("Иш сапар буйругу", "Приказ о командировке", "Business-trip order"),
        "return_order": ("Кайтуу буйругу", "Приказ о возвращении", "Return order"),
        "host_transcript": (
            "КАОЖдун транскрипти",
            "Транскрипт принимающего вуза",
            "Host transcript",
        ),
        "certificate": ("Сертификат", "Сертификат", "Certificate"),
        "reference_letter": ("Маалымкат (сааттар)", "Справка (часы)", "Reference letter"),
        "trip_report": ("Сапар отчету", "Отчёт о поездке", "Trip report"),
        "recognition_decision": ("Таануу чечими", "Решение о признании", "Recognition decision"),
        "missed_deadline_notice": (
            "Мөөнөт өткөнү тууралуу кабар",
            "Уведомление о просрочке",
            "Missed-deadline notice",
        ),
        "substitution_note": (
            "Сабак алмаштыруу жазуусу",
            "Записка о замене занятий",
            "Substitution note",
        ),
        "expense_report": ("Чыгым отчету", "Авансовый отчёт", "Expense report"),
        "presentation_minutes": (
            "Кафедранын протоколу",
            "Протокол кафедры",
            "Presentation minutes",
        ),
        "staff_report": ("ЭАБДга кыска отчет", "Краткий отчёт в ОМС", "Short report to IRO"),
        "partner_nomination": ("Өнөктөштүн сунушу", "Номинация партнёра", "Partner's nomination"),
        "incoming_invitation": ("ОшМУнун чакыруусу", "Приглашение ОшГУ", "OshSU invitation"),
        "enrolment_order": ("Каттоо буйругу", "Приказ о зачислении", "Enrolment order"),
        "issued_transcript": ("Берилген транскрипт", "Выданный транскрипт", "Issued transcript"),
        "other": ("Башка", "Другое", "Other"),
    },
    "role": {
        "iro": ("ЭАБД", "ОМС (ЭАБД)", "International Relations (IRO)"),
        "dean_office": ("Деканат", "Деканат", "Dean's office"),
        "head_of_department": ("Кафедра башчысы", "Зав. кафедрой", "Head of department"),
        "project_lead": ("Долбоор жетекчиси", "Руководитель проекта", "Project lead"),
        "vice_rector_academic": (
            "Окуу иштери боюнча проректор",
            "Проректор по учебной работе",
            "Vice-rector (academic)",
        ),
        "vice_rector_research": (
            "Илим боюнча проректор",
            "Проректор по науке",
            "Vice-rector (research)",
        ),
        "rector": ("Ректор", "Ректор", "Rector"),
        "accounting": ("Бухгалтерия", "Бухгалтерия", "Accounting"),
        "admin": ("Администратор", "Администратор", "Administrator"),
        "auditor": ("Аудитор", "Аудитор", "Auditor"),
        "system": ("Система", "Система", "System"),
    },
    "deadline": {
        "student_report": (
            "Студенттин отчету (1 ай)",
            "Отчёт студента (1 месяц)",
            "Student's report (1 month)",
        ),
        "expense_report": (
            "Чыгым отчету (5 иш күн)",
            "Авансовый отчёт (5 раб. дней)",
            "Expense report (5 working days)",
        ),
    },
    "deadline_status": {
        "open": ("ачык", "открыт", "open"),
        "met": ("аткарылды", "выполнен", "met"),
        "overdue": ("өттү", "просрочен", "overdue"),
        "void": ("жокко чыкты", "аннулирован", "void"),
    },
    "funding": {
        "republican_budget": (
            "Республикалык бюджет",
            "Республиканский бюджет",
            "Republican budget",
        ),
        "university": ("Университеттин бюджети", "Бюджет университета", "University budget"),
        "credit_mobility": (
            "Кредиттик мобилдүүлүк (Erasmus+, Mevlana…)",
            "Кредитная мобильность (Erasmus+, Mevlana…)",
            "Credit mobility (Erasmus+, Mevlana…)",
        ),
        "research_project": ("Илимий долбоор", "Научный проект", "Research project"),
        "sponsor": ("Демөөрчү", "Спонсор", "Sponsor"),
        "host": ("Кабыл алуучу тарап", "Принимающая сторона", "Host"),
        "own": ("Өз каражаты", "Собственные средства", "Own money"),
    },
    "scope": {
        "international": ("Эл аралык", "Международная", "International"),
        "domestic": ("Өлкө ичинде", "Внутренняя", "Domestic"),
    },
    "level": {
        "bachelor": ("Бакалавр", "Бакалавриат", "Bachelor"),
        "master": ("Магистр", "Магистратура", "Master"),
        "college": ("Колледж", "Колледж", "College"),
    },
    "basis": {
        "agreement": (
            "Өнөктөш менен келишим",
            "Соглашение с партнёром",
            "Agreement with a partner",
        ),
        "individual_invitation": (
            "Жеке чакыруу",
            "Индивидуальное приглашение",
            "Individual invitation",
        ),
        "personal_initiative": ("Жеке демилге", "Личная инициатива", "Personal initiative"),
    },
    "funding_basis": {
        "budget": ("Бюджет", "Бюджет", "Budget"),
        "contract": ("Контракт", "Контракт", "Contract"),
    },
    "outcome": {
        "all_credited": ("Баары эсептелди", "Всё зачтено", "All credited"),
        "summer_retake": (
            "Акы төлөнүүчү жайкы семестр",
            "Платный летний семестр",
            "Paid summer retake",
        ),
        "expulsion_proposal": (
            "Окуудан чыгаруу сунушу",
            "Представление к отчислению",
            "Expulsion proposal",
        ),
    },
}

_INDEX = {lang: i for i, lang in enumerate(LANGUAGES)}


def _pick(row: tuple[str, str, str], lang: str) -> str:
    return row[_INDEX.get(lang, 0)]


MESSAGES: dict[str, dict[str, str]] = {
    lang: {key: _pick(row, lang) for key, row in _PHRASES.items()} for lang in LANGUAGES
}


def t(lang: str, key: str, **values: object) -> str:
    """The phrase in `lang`; the key itself if it is not in the catalogue (shows up in review)."""
    text = MESSAGES.get(lang, MESSAGES["ky"]).get(key, key)
    return text.format(**values) if values else text


def label(lang: str, group: str, value: object) -> str:
    """The name of a stored value (a state, a step, a paper...) in `lang`."""
    if value is None:
        return "—"
    key = getattr(value, "value", value)
    row = _LABELS.get(group, {}).get(str(key))
    return _pick(row, lang) if row else str(key).replace("_", " ")


def labels(lang: str, group: str) -> dict[str, str]:
    return {key: _pick(row, lang) for key, row in _LABELS.get(group, {}).items()}
