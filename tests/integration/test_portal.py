"""The participants' portal through a browser-like client: sign-in by a one-time link,
the application under an open call, the paper checklist and its uploads, following the case,
and the offices' steps staying the offices'."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sapar.portal import accounts
from sapar.services import people, users
from sapar.services.schemas import ParticipantIn
from states.dossier import DocumentKind as D
from storage.orm import DocumentRow, PortalLinkRow, UserRow
from storage.uow import UnitOfWork
from tests.integration.desk import a_pdf
from tests.integration.office import Office
from tests.integration.portal_client import (
    application,
    apply,
    ask_for_link,
    follow_link,
    letters_to,
    link_in,
    open_call,
    sign_in,
)
from tests.integration.web_client import csrf_of

STUDENT = "a.joldoshbekova@oshsu.kg"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
# Every paper a long semester's nomination asks of the student (4.2, 1.3.6).
APPLICATION_PAPERS = (D.application, D.transcript, D.questionnaire, D.motivation_letter,
                      D.passport_copy, D.parents_consent, D.study_plan)  # fmt: skip


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    return tmp_path  # build_office puts the app's var_dir (and its mail spool) here


@pytest.fixture
def portal(sqlite_office: Office) -> TestClient:
    open_call(sqlite_office.engine)
    return TestClient(sqlite_office.client.app)


def upload(
    client: TestClient, csrf: str, case_id: int, paper: D, name: str = "", body: bytes = b""
) -> httpx.Response:
    name = name or f"{paper.value}.pdf"
    return client.post(
        f"/portal/cases/{case_id}/papers",
        data={"csrf": csrf, "doc_type": paper.value},
        files={"file": (name, body or a_pdf(paper.value), "application/octet-stream")},
        follow_redirects=False,
    )


def test_a_student_signs_in_by_link_applies_hands_in_every_paper_and_the_dean_nominates(
    sqlite_office: Office, portal: TestClient, var_dir: Path
) -> None:
    csrf = sign_in(portal, var_dir, STUDENT)
    case_id = apply(portal, csrf)
    page = portal.get(f"/portal/cases/{case_id}").text
    assert "Арыз" in page and 'data-state="application"' in page
    for paper in APPLICATION_PAPERS:  # the checklist asks for each, with its clause
        assert f'data-paper="{paper.value}"' in page
    assert "4.2, Student duties" in page and "1.3.6" in page
    for paper in APPLICATION_PAPERS:
        assert upload(portal, csrf, case_id, paper).status_code == 303
    page = portal.get(f"/portal/cases/{case_id}").text
    assert "data-paper=" not in page  # nothing missing any more
    assert sqlite_office.fire("dean_econ", case_id, "nominate").status_code == 200
    page = portal.get(f"/portal/cases/{case_id}").text
    assert 'data-state="nominated"' in page
    history = sqlite_office.get("iro", f"/api/cases/{case_id}/history").json()
    handed = [h for h in history if h["event"] == "attach_document"]
    assert len(handed) == len(APPLICATION_PAPERS)
    assert {h["role"] for h in handed} == {"participant"}
    assert all(STUDENT in h["actor"] for h in handed)
    assert history[0]["role"] == "participant" and history[0]["event"] == "open"


def test_a_sign_in_link_works_once_only_before_it_expires_and_is_hashed_at_rest(
    sqlite_office: Office, portal: TestClient, var_dir: Path
) -> None:
    assert ask_for_link(portal, STUDENT) == 200
    link = link_in(letters_to(var_dir, STUDENT)[-1])
    token = link.rsplit("=", 1)[1]
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        stored = list(uow.session.scalars(select(PortalLinkRow.token_hash)))
    assert stored == [users.sha256(token)]
    follow_link(portal, link)
    again = TestClient(sqlite_office.client.app)
    page = again.get(link.split("testserver", 1)[1])
    answer = again.post("/portal/link", data={"token": token, "csrf": csrf_of(page.text)})
    assert answer.status_code == 400 and 'name="email"' in answer.text
    assert ask_for_link(again, STUDENT) == 200
    late = datetime.now(UTC) + timedelta(minutes=16)
    token2 = link_in(letters_to(var_dir, STUDENT)[-1]).rsplit("=", 1)[1]
    with pytest.raises(accounts.LinkRefused):
        accounts.consume_link(sqlite_office.engine, token=token2, lang="ky", now=late)
    assert accounts.consume_link(sqlite_office.engine, token=token2, lang="ky").username == STUDENT


def test_an_address_that_may_not_sign_in_gets_no_letter_and_the_same_answer(
    portal: TestClient, var_dir: Path
) -> None:
    assert ask_for_link(portal, "stranger@example.com") == 200
    assert letters_to(var_dir, "stranger@example.com") == []
    for _ in range(accounts.MAX_LINKS_PER_HOUR + 2):
        assert ask_for_link(portal, STUDENT) == 200
    assert len(letters_to(var_dir, STUDENT)) == accounts.MAX_LINKS_PER_HOUR


def test_uploads_are_pdf_jpg_or_png_by_their_content_and_size_limited(
    sqlite_office: Office, portal: TestClient, var_dir: Path
) -> None:
    csrf = sign_in(portal, var_dir, STUDENT)
    case_id = apply(portal, csrf)
    assert upload(portal, csrf, case_id, D.passport_copy, "passport.png", PNG).status_code == 303
    assert upload(portal, csrf, case_id, D.transcript, "transcript.jpg", JPG).status_code == 303
    fake = upload(portal, csrf, case_id, D.application, "application.pdf", b"MZ\x90\x00binary")
    assert fake.status_code == 400 and "PDF, JPG" in fake.text
    exe = upload(portal, csrf, case_id, D.application, "application.exe", b"%PDF-1.4")
    assert exe.status_code == 400
    big = upload(portal, csrf, case_id, D.application, "a.pdf", b"%PDF-" + b"0" * (10 << 20))
    assert big.status_code == 400 and "10" in big.text
    order = upload(portal, csrf, case_id, D.mobility_order)
    assert order.status_code == 400  # an office's paper
    papers = sqlite_office.get("iro", f"/api/cases/{case_id}/documents").json()
    assert sorted(p["doc_type"] for p in papers) == ["passport_copy", "transcript"]
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        types = set(uow.session.scalars(select(DocumentRow.media_type)))
    assert types == {"image/png", "image/jpeg"}


def test_a_participant_takes_no_staff_step_and_opens_no_staff_page(
    sqlite_office: Office, portal: TestClient, var_dir: Path
) -> None:
    csrf = sign_in(portal, var_dir, STUDENT)
    case_id = apply(portal, csrf)
    raw = portal.cookies["sapar_portal"]
    # The portal's session token, put where a staff session goes, opens no staff page.
    staff_door = TestClient(sqlite_office.client.app, cookies={"sapar_session": raw})
    for path in ("/cases", f"/cases/{case_id}", "/overdue", "/partners", "/statistics"):
        answer = staff_door.get(path, follow_redirects=False)
        assert answer.status_code == 303 and "/login" in answer.headers["location"], path
    stepped = staff_door.post(f"/cases/{case_id}/steps", data={"csrf": csrf, "event": "nominate"},
                              follow_redirects=False)  # fmt: skip
    assert stepped.status_code == 303
    api = portal.get("/api/cases", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401
    assert sqlite_office.get("iro", f"/api/cases/{case_id}").json()["state"] == "application"
    with pytest.raises(users.UserProblem):
        users.create_user(sqlite_office.engine, username="p1", full_name="P", password="x" * 12,
                          role=users.Role.participant)  # fmt: skip


def test_an_application_outside_an_open_call_is_refused_with_the_field_and_writes_nothing(
    sqlite_office: Office, portal: TestClient, var_dir: Path
) -> None:
    csrf = sign_in(portal, var_dir, STUDENT)
    for bad in ({"call": "1:2031-2032"}, {"start_date": "2027-10-01", "end_date": "2028-02-01"},
                {"gpa": "5.2"}):  # fmt: skip
        form = {**application(**bad), "csrf": csrf}
        answer = portal.post("/portal/apply", data=form)
        assert answer.status_code == 422, bad
        assert "field-error" in answer.text
    assert sqlite_office.get("iro", "/api/cases").json()["cases"] == []


def test_the_participant_follows_deadlines_reminders_and_may_download_issued_papers_only(
    sqlite_office: Office, portal: TestClient, var_dir: Path
) -> None:
    csrf = sign_in(portal, var_dir, STUDENT)
    case_id = apply(portal, csrf)
    sqlite_office.hand_in("dean_econ", case_id, D.invitation_letter)
    with UnitOfWork(sqlite_office.engine) as uow:
        uow.cases.open_deadline(case_id, "student_report", datetime.now(UTC).date() - timedelta(1))
        uow.commit()
    page = portal.get(f"/portal/cases/{case_id}").text
    assert "Студенттин отчету" in page and "Мөөнөтү өттү" in page
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        owner = uow.session.scalar(select(UserRow).where(UserRow.username == STUDENT))
    assert owner is not None and owner.full_name == "Айгерим Жолдошбекова"
    docs = sqlite_office.get("iro", f"/api/cases/{case_id}/documents").json()
    letter = next(d for d in docs if d["doc_type"] == "invitation_letter")
    got = portal.get(f"/portal/cases/{case_id}/papers/{letter['id']}")
    assert got.status_code == 200 and got.content.startswith(b"%PDF")


def test_portal_pages_speak_each_language_with_no_key_untranslated_and_refuse_forged_forms(
    sqlite_office: Office, portal: TestClient, var_dir: Path
) -> None:
    csrf = sign_in(portal, var_dir, STUDENT)
    case_id = apply(portal, csrf)
    words = {"ky": "Менин арыздарым", "ru": "Мои заявки", "en": "My applications"}
    for lang, word in words.items():
        portal.post("/portal/language", data={"csrf": csrf, "language": lang})
        for path in ("/portal/cases", "/portal/apply", f"/portal/cases/{case_id}"):
            page = portal.get(path)
            assert page.status_code == 200 and word in page.text, (lang, path)
            assert f'lang="{lang}"' in page.text
            for key in ("portal.", "field.", "case.", "error."):
                assert f">{key}" not in page.text and f" {key}" not in page.text, (lang, path)
            assert page.headers["cache-control"] == "no-store"
            assert "default-src 'self'" in page.headers["content-security-policy"]
    forged = portal.post("/portal/apply", data=application())
    assert forged.status_code == 403
    forged = portal.post(f"/portal/cases/{case_id}/papers", data={"doc_type": "application"},
                         files={"file": ("a.pdf", a_pdf("a"), "application/pdf")})  # fmt: skip
    assert forged.status_code == 403
    no_cookie = TestClient(sqlite_office.client.app)
    csrf_page = no_cookie.get("/portal/sign-in")
    assert no_cookie.post("/portal/sign-in", data={"email": STUDENT}).status_code == 403
    assert "sapar_portal_csrf" in csrf_page.headers["set-cookie"]


def test_a_person_already_in_the_registry_applies_as_that_person(
    sqlite_office: Office, portal: TestClient, var_dir: Path
) -> None:
    person = people.add(
        sqlite_office.engine, user=users.get_user(sqlite_office.engine, username="dean_econ"),
        data=ParticipantIn(full_name="Бегимай Токтогулова", faculty="Экономика факультети",
                           level="bachelor", year=3, semester=1, gpa=3.8,
                           funding_basis="budget", email="B.Toktogulova@oshsu.kg"),
    )  # fmt: skip
    csrf = sign_in(portal, var_dir, "b.toktogulova@oshsu.kg")
    form = portal.get("/portal/apply").text
    assert "data-person" in form and "Бегимай Токтогулова" in form
    assert 'name="gpa"' not in form  # the registry's record, not typed again
    case_id = apply(portal, csrf, full_name="", gpa="", year="", semester="")
    with UnitOfWork(sqlite_office.engine, read_only=True) as uow:
        assert uow.cases.get(case_id).participant.id == person
    again = portal.post("/portal/apply", data={**application(), "csrf": csrf})
    assert again.status_code == 422 and f"#{case_id}" in again.text  # 4.8: one at a time
