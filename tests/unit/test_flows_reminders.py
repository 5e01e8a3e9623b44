"""The words of reminders: Kyrgyz first, Russian below, naming the duty, date and case."""

from __future__ import annotations

from datetime import date

import pytest

from sapar.config import Settings
from sapar.services import reminders
from sapar.services.mailer import SmtpMailer

ABOUT = reminders.About(
    case_id=42,
    kind="student_report",
    due=date(2026, 11, 22),
    participant="Айгерим Жолдошбекова",
    faculty="Экономика факультети",
    host="Ankara Üniversitesi",
)


def test_a_reminder_names_the_duty_the_date_and_the_days_left_in_kyrgyz_then_russian() -> None:
    message = reminders.reminder(ABOUT, today=date(2026, 11, 15))
    body = message.body
    assert "22.11.2026" in message.subject and "№42" in message.subject
    assert "калды: 7 күн" in body and "осталось дней: 7" in body
    assert body.index("деканатына тапшыруу") < body.index("сдать в деканат")


def test_an_escalation_names_the_participant_and_the_faculty() -> None:
    message = reminders.escalation(ABOUT)
    assert "Айгерим Жолдошбекова" in message.subject
    assert message.body.count("Экономика факультети") == 2


def test_an_unknown_duty_is_still_named_by_its_kind() -> None:
    message = reminders.overdue(reminders.About(**{**vars(ABOUT), "kind": "visa_extension"}))
    assert "«visa_extension»" in message.body


def test_there_is_no_smtp_mailer_without_a_mail_server() -> None:
    with pytest.raises(ValueError, match="smtp_host is not set"):
        SmtpMailer(Settings(smtp_host=None, _env_file=None))  # type: ignore[call-arg]
