"""The words of deadline reminders: Kyrgyz first, Russian below it, as the university writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


def _duty(kind: str) -> tuple[str, str]:
    return DUTIES.get(kind, (f"милдет «{kind}»", f"обязанность «{kind}»"))


def reminder(about: About, *, today: date) -> Message:
    ky, ru = _duty(about.kind)
    due = f"{about.due:%d.%m.%Y}"
    left = (about.due - today).days
    return Message(
        subject=f"Эскертүү / Напоминание: иш №{about.case_id}, мөөнөтү / срок {due}",
        body=(
            f"Урматтуу {about.participant}!\n"
            f"{due} чейин {ky} керек (калды: {left} күн).\n"
            f"Иш №{about.case_id}, {about.host}.\n"
            "\n"
            f"Уважаемый(ая) {about.participant}!\n"
            f"До {due} нужно {ru} (осталось дней: {left}).\n"
            f"Дело №{about.case_id}, {about.host}.\n"
        ),
    )


def overdue(about: About) -> Message:
    ky, ru = _duty(about.kind)
    due = f"{about.due:%d.%m.%Y}"
    return Message(
        subject=f"Мөөнөтү өттү / Срок истёк: иш №{about.case_id}",
        body=(
            f"Урматтуу {about.participant}!\n"
            f"{due} чейин {ky} керек эле; мөөнөтү өттү. Тезинен тапшырыңыз.\n"
            f"Иш №{about.case_id}, {about.host}.\n"
            "\n"
            f"Уважаемый(ая) {about.participant}!\n"
            f"До {due} нужно было {ru}; срок истёк. Сдайте, пожалуйста, как можно скорее.\n"
            f"Дело №{about.case_id}, {about.host}.\n"
        ),
    )


def escalation(about: About) -> Message:
    ky, ru = _duty(about.kind)
    due = f"{about.due:%d.%m.%Y}"
    faculty = about.faculty or "—"
    return Message(
        subject=(
            f"Мөөнөтү өткөн милдет / Просроченная обязанность: {about.participant}, "
            f"иш №{about.case_id}"
        ),
        body=(
            f"{about.participant} ({faculty}) {due} чейин {ky} керек эле; мөөнөтү өттү.\n"
            f"Иш №{about.case_id}, {about.host}.\n"
            "\n"
            f"{about.participant} ({faculty}): до {due} нужно было {ru}; срок истёк.\n"
            f"Дело №{about.case_id}, {about.host}.\n"
        ),
    )
