"""The deadline check has the database write its letters (INSERT … SELECT); their words are
the very words the Python templates give, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Date, Engine, Integer, String, literal, select

from sapar.services import reminders
from sapar.services.letters_sql import Columns, body_sql, subject_sql

TODAY = date(2026, 11, 15)
ABOUTS = [
    reminders.About(
        42,
        "student_report",
        date(2026, 11, 22),
        "Айгерим Жолдошбекова",
        "Экономика факультети",
        "Ankara Üniversitesi",
    ),
    reminders.About(7, "expense_report", date(2027, 1, 5), "Нурбек Асанов", None, "КНУ"),
    reminders.About(1001, "visa_extension", date(2026, 12, 31), "O'Brien «Jr»", "", "Uni"),
    reminders.About(3, "distance_exams_fall", date(2026, 11, 15), "Ә" * 400, "Ф", "Host"),
]


def columns(about: reminders.About) -> Columns:
    return Columns(
        case_id=literal(about.case_id, Integer()),
        kind=literal(about.kind, String()),
        due=literal(about.due, Date()),
        participant=literal(about.participant, String()),
        faculty=literal(about.faculty or None, String()),
        host=literal(about.host, String()),
    )


@pytest.mark.parametrize("about", ABOUTS, ids=lambda a: a.kind)
@pytest.mark.parametrize(
    "template", [reminders.REMINDER, reminders.OVERDUE, reminders.ESCALATION],
    ids=["reminder", "overdue", "escalation"],
)  # fmt: skip
def test_a_letter_written_by_the_database_reads_exactly_as_its_template(
    engine: Engine, about: reminders.About, template: reminders.Template
) -> None:
    expected = reminders.render(template, about, today=TODAY)
    c = columns(about)
    with engine.connect() as conn:
        subject, body = conn.execute(
            select(subject_sql(template, c, TODAY), body_sql(template, c, TODAY))
        ).one()
    assert (subject, body) == (expected.subject, expected.body)
    assert len(subject) <= reminders.SUBJECT_MAX
