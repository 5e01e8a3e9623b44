"""The words of deadline reminders: Kyrgyz first, Russian below it, as the university writes.

Each letter is a template with named fields. The same template is rendered here in Python
(`reminder`, `overdue`, `escalation`) and, by `sapar.services.letters_sql`, as one SQL
expression, so the daily check writes thousands of letters with one INSERT … SELECT and
the words cannot drift apart between the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from string import Formatter

# What the participant has to do by the due date: (Kyrgyz, Russian).
DUTIES: dict[str, tuple[str, str]] = {
    "student_report": (
        "мобилдүүлүктүн жыйынтыгы боюнча документтерди (ведомость, транскрипт, маалымкат, "
        "сертификат) факультеттин деканатына тапшыруу",
        "сдать в деканат документы об итогах мобильности (ведомость, транскрипт, справку, "
        "сертификат)",
    ),
    "expense_report": (
        "иш сапарында иш жүзүндө сарпталган каражаттар боюнча алдын ала отчетту "
        "бухгалтерияга тапшыруу",
        "сдать в бухгалтерию предварительный отчёт о фактически израсходованных средствах "
        "командировки",
    ),
    "distance_exams_fall": (
        "аралыктан окулган сабактар боюнча күзгү семестрдин экзамендерин тапшыруу",
        "сдать экзамены осеннего семестра по дисциплинам, изученным дистанционно",
    ),
    "distance_exams_spring": (
        "аралыктан окулган сабактар боюнча жазгы семестрдин экзамендерин тапшыруу",
        "сдать экзамены весеннего семестра по дисциплинам, изученным дистанционно",
    ),
}
# A duty of a kind not listed above is still named, by its kind: (prefix, suffix) around it.
UNKNOWN_DUTY = (("милдет «", "»"), ("обязанность «", "»"))
# Where an escalation names the faculty and none is known.
NO_FACULTY = "—"
# A subject longer than the notifications column is cut (the body keeps everything).
SUBJECT_MAX = 300


@dataclass(frozen=True)
class Template:
    """A letter's subject and body with {fields}: case_id, due, left, participant,
    faculty, host, duty_ky, duty_ru."""

    subject: str
    body: str


REMINDER = Template(
    subject="Эскертүү / Напоминание: иш №{case_id}, мөөнөтү / срок {due}",
    body=(
        "Урматтуу {participant}!\n"
        "{due} чейин {duty_ky} керек (калды: {left} күн).\n"
        "Иш №{case_id}, {host}.\n"
        "\n"
        "Уважаемый(ая) {participant}!\n"
        "До {due} нужно {duty_ru} (осталось дней: {left}).\n"
        "Дело №{case_id}, {host}.\n"
    ),
)

OVERDUE = Template(
    subject="Мөөнөтү өттү / Срок истёк: иш №{case_id}",
    body=(
        "Урматтуу {participant}!\n"
        "{due} чейин {duty_ky} керек эле; мөөнөтү өттү. Тезинен тапшырыңыз.\n"
        "Иш №{case_id}, {host}.\n"
        "\n"
        "Уважаемый(ая) {participant}!\n"
        "До {due} нужно было {duty_ru}; срок истёк. Сдайте, пожалуйста, как можно скорее.\n"
        "Дело №{case_id}, {host}.\n"
    ),
)

ESCALATION = Template(
    subject=("Мөөнөтү өткөн милдет / Просроченная обязанность: {participant}, иш №{case_id}"),
    body=(
        "{participant} ({faculty}) {due} чейин {duty_ky} керек эле; мөөнөтү өттү.\n"
        "Иш №{case_id}, {host}.\n"
        "\n"
        "{participant} ({faculty}): до {due} нужно было {duty_ru}; срок истёк.\n"
        "Дело №{case_id}, {host}.\n"
    ),
)


def parts(template: str) -> list[tuple[str, str | None]]:
    """A template as (literal text, field name or None) pairs, in order."""
    return [(literal, field) for literal, field, _spec, _conv in Formatter().parse(template)]


@dataclass(frozen=True)
class About:
    """The deadline a message is about, with what the message needs to name."""

    case_id: int
    kind: str
    due: date
    participant: str
    faculty: str | None
    host: str


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def duty(kind: str) -> tuple[str, str]:
    if kind in DUTIES:
        return DUTIES[kind]
    (ky_pre, ky_post), (ru_pre, ru_post) = UNKNOWN_DUTY
    return f"{ky_pre}{kind}{ky_post}", f"{ru_pre}{kind}{ru_post}"


def render(template: Template, about: About, *, today: date | None = None) -> Message:
    ky, ru = duty(about.kind)
    fields = {
        "case_id": str(about.case_id),
        "due": f"{about.due:%d.%m.%Y}",
        "left": str((about.due - today).days) if today is not None else "",
        "participant": about.participant,
        "faculty": about.faculty or NO_FACULTY,
        "host": about.host,
        "duty_ky": ky,
        "duty_ru": ru,
    }
    return Message(
        subject=template.subject.format(**fields)[:SUBJECT_MAX],
        body=template.body.format(**fields),
    )


def reminder(about: About, *, today: date) -> Message:
    return render(REMINDER, about, today=today)


def overdue(about: About) -> Message:
    return render(OVERDUE, about)


def escalation(about: About) -> Message:
    return render(ESCALATION, about)
