"""Signing in to the participants' portal the way a participant does: ask for a link, read
the letter (recorded as an .eml file when no mail server is set), open the link, press the
button."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from fastapi.testclient import TestClient

from sapar.services.partners import write_quota
from storage.uow import UnitOfWork
from tests.integration.web_client import csrf_of

LINK = re.compile(r"(https?://\S+/portal/link\?token=[\w-]+)")
CALL_YEAR = "2026-2027"  # the academic year of the applications below (spring 2027)


def letters_to(var_dir: Path, email: str) -> list[EmailMessage]:
    found = []
    for path in sorted((var_dir / "mail").glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        letter = message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(letter, EmailMessage)
        if letter["To"] == email:
            found.append(letter)
    return found


def link_in(letter: EmailMessage) -> str:
    body = letter.get_body(("plain",))
    assert body is not None
    found = LINK.search(body.get_content())
    assert found, "the letter carries no sign-in link"
    return found.group(1)


def ask_for_link(client: TestClient, email: str, lang: str = "ky") -> int:
    csrf = csrf_of(client.get(f"/portal/sign-in?lang={lang}").text)
    return client.post("/portal/sign-in", data={"email": email, "csrf": csrf}).status_code


def follow_link(client: TestClient, link: str) -> TestClient:
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token, page.text[:300]
    answer = client.post("/portal/link", data={"token": token.group(1), "csrf": csrf_of(page.text)})
    assert answer.status_code == 200, answer.text[:300]
    return client


def sign_in(client: TestClient, var_dir: Path, email: str) -> str:
    """Sign in; return the portal session's CSRF token."""
    assert ask_for_link(client, email) == 200
    follow_link(client, link_in(letters_to(var_dir, email)[-1]))
    return csrf_of(client.get("/portal/cases").text)


def open_call(engine: object, partner_id: int = 1, places: int = 3) -> None:
    with UnitOfWork(engine) as uow:  # type: ignore[arg-type]
        write_quota(uow.session, partner_id=partner_id, academic_year=CALL_YEAR,
                    participant_type="outgoing_students", places=places)  # fmt: skip
        uow.commit()


def application(**overrides: str) -> dict[str, str]:
    """The portal's form, as a student fills it in: an economics student to Ankara."""
    form = {
        "call": f"1:{CALL_YEAR}",
        "start_date": "2027-02-01",
        "end_date": "2027-06-30",
        "programme": "Mevlana",
        "host_language": "Türkçe",
        "language_level": "B2",
        "purpose": "Академиялык окуу (семестр)",
        "funding_source": "credit_mobility",
        "full_name": "Айгерим Жолдошбекова",
        "faculty": "Экономика факультети",
        "department": "Финансы кафедрасы",
        "specialty": "Финансы жана кредит",
        "group_name": "ФК-22",
        "level": "bachelor",
        "funding_basis": "budget",
        "year": "3",
        "semester": "1",
        "gpa": "3.6",
    }
    form.update(overrides)
    return form


def apply(client: TestClient, csrf: str, **overrides: str) -> int:
    answer = client.post("/portal/apply", data={**application(**overrides), "csrf": csrf},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text[:500]
    return int(answer.headers["location"].split("/")[3].split("?")[0])
