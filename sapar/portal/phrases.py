"""The portal's words in Kyrgyz, Russian and English (key: (ky, ru, en)); anything else a
portal page says comes from the staff pages' catalog (`sapar.i18n.t`)."""

from __future__ import annotations

from sapar.i18n import LANGUAGES, t

PHRASES: dict[str, tuple[str, str, str]] = {
    "portal.title": ("Катышуучунун кабинети", "Кабинет участника", "Participant portal"),
    "portal.nav.cases": ("Менин арыздарым", "Мои заявки", "My applications"),
    "portal.nav.apply": ("Арыз берүү", "Подать заявку", "Apply"),
    "portal.sign_out": ("Чыгуу", "Выйти", "Sign out"),
    "portal.back": ("Менин арыздарыма кайтуу", "К моим заявкам", "Back to my applications"),
    "portal.sign_in.title": ("Кабинетке кирүү", "Вход в кабинет", "Sign in to the portal"),
    "portal.sign_in.intro": (
        "Электрондук почтаңызды жазыңыз: кирүү үчүн бир жолку шилтеме жөнөтөбүз.",
        "Укажите свою электронную почту: мы пришлём одноразовую ссылку для входа.",
        "Enter your e-mail: we will send you a one-time link to sign in.",
    ),
    "portal.sign_in.submit": ("Шилтеме жөнөтүү", "Прислать ссылку", "Send me a link"),
    "portal.sign_in.staff": (
        "Университеттин кызматкерисизби? Бул жерден кириңиз",
        "Сотрудник университета? Войдите здесь",
        "University staff? Log in here",
    ),
    "portal.sign_in.bad_email": (
        "Бул электрондук почтанын дареги эмес: текшерип, кайра жазыңыз",
        "Это не адрес электронной почты: проверьте и введите снова",
        "That is not an e-mail address: check it and enter it again",
    ),
    "portal.sign_in.not_sent": (
        "Почта сервери катты кабыл алган жок. Бир аздан кийин кайталаңыз же ЭАБДга кайрылыңыз.",
        "Почтовый сервер не принял письмо. Повторите позже или обратитесь в ОМС.",
        "The mail server did not take the letter. Try again later or ask the IRO.",
    ),
    "portal.sent.title": ("Почтаңызды текшериңиз", "Проверьте почту", "Check your e-mail"),
    "portal.sent.body": (
        "Эгер {email} дареги кабинетке кире алса, ага кирүү шилтемеси жөнөтүлдү.",
        "Если адрес {email} может входить в кабинет, на него отправлена ссылка для входа.",
        "If {email} may sign in to the portal, a sign-in link has been sent to it.",
    ),
    "portal.sent.hint": (
        "Шилтеме 15 мүнөт жарактуу жана бир гана жолу иштейт. Университеттин дарегин "
        "(@oshsu.kg) же арызыңыздагы даректи колдонуңуз.",
        "Ссылка действует 15 минут и срабатывает один раз. Используйте университетский "
        "адрес (@oshsu.kg) или адрес из вашей заявки.",
        "The link works once, for 15 minutes. Use your university address (@oshsu.kg) or "
        "the address your application gives.",
    ),
    "portal.sent.again": ("Жаңы шилтеме суроо", "Запросить новую ссылку", "Ask for a new link"),
    "portal.link.title": ("Кирүүнү ырастаңыз", "Подтвердите вход", "Confirm signing in"),
    "portal.link.intro": (
        "Бул шилтеме бир гана жолу иштейт. Кирүү үчүн баскычты басыңыз.",
        "Эта ссылка срабатывает один раз. Нажмите кнопку, чтобы войти.",
        "This link works once. Press the button to sign in.",
    ),
    "portal.link.submit": ("Кирүү", "Войти", "Sign in"),
    "portal.link.refused": (
        "Шилтеме колдонулган, мөөнөтү өткөн же туура эмес. Жаңы шилтеме сураңыз.",
        "Ссылка уже использована, устарела или неверна. Запросите новую.",
        "The link has been used, has expired or is wrong. Ask for a new one.",
    ),
    "portal.mail.subject": (
        "Сапар: кабинетке кирүү шилтемеси",
        "Сапар: ссылка для входа в кабинет",
        "Sapar: your sign-in link",
    ),
    "portal.mail.body": (
        "Саламатсызбы!\n\nОшМУнун академиялык мобилдүүлүк кабинетине кирүү үчүн шилтеме:\n"
        "{link}\n\nШилтеме {minutes} мүнөт жарактуу жана бир гана жолу иштейт. Эгер сиз "
        "суроо жөнөтпөсөңүз, бул катты көңүлгө албаңыз.",
        "Здравствуйте!\n\nСсылка для входа в кабинет академической мобильности ОшГУ:\n"
        "{link}\n\nСсылка действует {minutes} минут и срабатывает один раз. Если вы её не "
        "запрашивали, просто не обращайте внимания на это письмо.",
        "Hello,\n\nYour link to sign in to OshSU's academic mobility portal:\n{link}\n\n"
        "It works once, for {minutes} minutes. If you did not ask for it, ignore this letter.",
    ),
    "portal.error.not_yours": (
        "Бул иш сиздики эмес: кабинетте өз иштериңиз гана көрүнөт.",
        "Это дело не ваше: в кабинете видны только ваши дела.",
        "This case is not yours: the portal shows your own cases only.",
    ),
    "portal.error.not_found": (
        "Мындай иш же документ жок.",
        "Такого дела или документа нет.",
        "There is no such case or paper.",
    ),
    "portal.error.other": (
        "Сурам аткарылган жок. Барагыңызга кайтып, кайра аракет кылыңыз.",
        "Запрос не выполнен. Вернитесь на свою страницу и попробуйте снова.",
        "The request was not carried out. Go back to your page and try again.",
    ),
    "portal.cases.title": ("Менин арыздарым", "Мои заявки", "My applications"),
    "portal.cases.hello": ("Саламатсызбы, {name}", "Здравствуйте, {name}", "Hello, {name}"),
    "portal.cases.none": (
        "Сизде азырынча арыз жок. Университет ачкан сынактардын бирине арыз бериңиз.",
        "У вас пока нет заявок. Подайте заявку на один из открытых университетом конкурсов.",
        "You have no application yet. Apply to one of the calls the university opened.",
    ),
    "portal.cases.late": ("Мөөнөтү өттү: {n}", "Просрочено: {n}", "Overdue: {n}"),
    "portal.next.who": ("Кийинки кадам кимде", "Следующий шаг за", "Who acts next"),
    "portal.apply.title": ("Мобилдүүлүккө арыз", "Заявка на мобильность", "Apply for mobility"),
    "portal.apply.intro": (
        "Университет ачкан сынакты тандаңыз жана маалыматыңызды толтуруңуз. Арыз деканатка "
        "барат; документтерди кийинки баракта жүктөйсүз.",
        "Выберите конкурс, открытый университетом, и заполните сведения о себе. Заявка "
        "уйдёт в деканат; документы вы загрузите на следующей странице.",
        "Choose a call the university opened and fill in your details. The application goes "
        "to your dean's office; you upload the papers on the next page.",
    ),
    "portal.apply.no_calls": (
        "Азыр ачык сынак жок. ЭАБД орундарды бөлгөндө бул жерде пайда болот.",
        "Сейчас открытых конкурсов нет. Они появятся здесь, когда ОМС выделит места.",
        "No call is open now. Calls appear here when the IRO sets places with a partner.",
    ),
    "portal.apply.fix": (
        "Арыз кабыл алынган жок: белгиленген талааларды оңдоңуз.",
        "Заявка не принята: исправьте отмеченные поля.",
        "The application was not taken: correct the marked fields.",
    ),
    "portal.apply.call": (
        "Сынак (өнөктөш жана окуу жылы)",
        "Конкурс (партнёр и учебный год)",
        "Call (partner and academic year)",
    ),
    "portal.apply.places": (
        "бош орун {left} / {places}",
        "свободно мест {left} из {places}",
        "{left} of {places} places free",
    ),
    "portal.apply.about_you": ("Өзүңүз жөнүндө", "О себе", "About you"),
    "portal.apply.email": (
        "Кабарлар жана эскертмелер {email} дарегине жөнөтүлөт.",
        "Сообщения и напоминания придут на {email}.",
        "Messages and reminders go to {email}.",
    ),
    "portal.apply.submit": ("Арыз берүү", "Подать заявку", "Submit the application"),
    "portal.field.phone": ("Телефон", "Телефон", "Phone"),
    "portal.case.where": ("Арыз кайсы абалда", "Где сейчас заявка", "Where your case stands"),
    "portal.case.finished": ("Иш аяктады.", "Дело завершено.", "The case is finished."),
    "portal.case.applied": (
        "Арызыңыз катталды. Эми төмөнкү документтерди жүктөңүз.",
        "Заявка зарегистрирована. Теперь загрузите документы ниже.",
        "Your application is registered. Now upload the papers below.",
    ),
    "portal.case.uploaded": ("Жүктөлдү: {doc}", "Загружено: {doc}", "Handed in: {doc}"),
    "portal.papers.title": ("Документтер тизмеси", "Список документов", "Papers checklist"),
    "portal.papers.for_step": (
        "Кийинки кадам үчүн: {step}",
        "Для следующего шага: {step}",
        "For the next step: {step}",
    ),
    "portal.papers.in": ("тапшырылды", "сдан", "handed in"),
    "portal.papers.missing": (
        "жетишпейт — жүктөңүз",
        "не хватает — загрузите",
        "missing — upload it",
    ),
    "portal.papers.office": (
        "университет даярдайт",
        "готовит университет",
        "the university prepares it",
    ),
    "portal.papers.none_needed": (
        "Бул кадам үчүн сизден документ талап кылынбайт.",
        "Для этого шага от вас документы не требуются.",
        "This step needs no paper from you.",
    ),
    "portal.papers.conditions": ("Дагы шарттар", "Другие условия", "Other conditions"),
    "portal.papers.other": (
        "Башка документ жүктөө",
        "Загрузить другой документ",
        "Hand in another paper",
    ),
    "portal.upload.file": (
        "Файл: PDF, JPG же PNG, {mb} МБга чейин",
        "Файл: PDF, JPG или PNG, до {mb} МБ",
        "File: PDF, JPG or PNG, up to {mb} MB",
    ),
    "portal.upload.type": (
        "Файл кабыл алынган жок: PDF, JPG же PNG файлын тандаңыз.",
        "Файл не принят: выберите файл PDF, JPG или PNG.",
        "The file was not taken: choose a PDF, JPG or PNG file.",
    ),
    "portal.upload.fake": (
        "Файлдын ичи анын түрүнө дал келбейт: чыныгы PDF, JPG же PNG жүктөңүз.",
        "Содержимое файла не соответствует его типу: загрузите настоящий PDF, JPG или PNG.",
        "The file's content is not what its name says: upload a real PDF, JPG or PNG.",
    ),
    "portal.upload.too_big": (
        "Файл өтө чоң: {mb} МБга чейин.",
        "Файл слишком большой: не более {mb} МБ.",
        "The file is too large: at most {mb} MB.",
    ),
    "portal.upload.empty": ("Файл бош.", "Файл пустой.", "The file is empty."),
    "portal.upload.not_yours": (
        "Бул документти университеттин бөлүмү тапшырат, сиз эмес.",
        "Этот документ сдаёт подразделение университета, а не вы.",
        "The university's offices hand in this paper, not you.",
    ),
    "portal.upload.closed": (
        "Иш аяктаган: документ кабыл алынбайт.",
        "Дело завершено: документы не принимаются.",
        "The case is finished: it takes no more papers.",
    ),
    "portal.reminders": ("Эскертмелер", "Напоминания", "Reminders"),
    "portal.reminder.before": (
        "Мөөнөткө {days} күн калды",
        "До срока {days} дн.",
        "{days} days before the due date",
    ),
    "portal.reminder.overdue": ("Мөөнөтү өттү", "Срок пропущен", "The due date has passed"),
}


def pt(lang: str, key: str, **values: object) -> str:
    """A portal phrase in `lang`, or the staff pages' phrase of that key."""
    row = PHRASES.get(key)
    if row is None:
        return t(lang, key, **values)
    text = row[LANGUAGES.index(lang) if lang in LANGUAGES else 0]
    return text.format(**values) if values else text
