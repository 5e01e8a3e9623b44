"""The HTTP API on a real database: cases opened, read, listed, stepped, papers in and out."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from sapar.services.issuing import sweep
from states.dossier import DocumentKind as D
from storage.files import FileStore
from storage.orm import CaseRow, ParticipantRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS
from tests.integration.office import ECONOMICS, Office, staff_case, student_case

APPLICATION = LONG_STAY_PAPERS


def count_rows(office: Office) -> tuple[int, int]:
    with UnitOfWork(office.engine, read_only=True) as uow:
        cases = uow.session.scalar(select(func.count(CaseRow.id))) or 0
        people = uow.session.scalar(select(func.count(ParticipantRow.id))) or 0
    return cases, people


def test_a_dean_office_opens_a_case_and_the_kind_follows_from_the_dates(office: Office) -> None:
    long_id = office.open("dean_econ", student_case())
    short_id = office.open("dean_econ", student_case(end_date="2027-03-01"))
    assert office.get("dean_econ", f"/api/cases/{long_id}").json()["kind"] == (
        "outgoing_student_long"
    )
    case = office.get("dean_econ", f"/api/cases/{short_id}").json()
    assert case["kind"] == "outgoing_student_short"
    assert case["state"] == "application"
    assert [s["event"] for s in case["steps"]] == ["nominate", "withdraw", "reject"]


def test_the_list_filters_searches_and_pages_by_keyset(office: Office) -> None:
    for n in range(5):
        office.open("iro", student_case(participant={"full_name": f"Айпери Осмонова {n}"}))
    office.open("iro", staff_case())
    first = office.get("iro", "/api/cases", params={"limit": 2}).json()
    assert len(first["cases"]) == 2 and first["next_after"] is not None
    second = office.get("iro", "/api/cases", params={"limit": 2, "after": first["next_after"]})
    assert all(c["id"] < first["next_after"] for c in second.json()["cases"])
    staff = office.get("iro", "/api/cases", params={"kind": "outgoing_staff"}).json()["cases"]
    assert [c["full_name"] for c in staff] == ["Нурбек Асанов"]
    found = office.get("iro", "/api/cases", params={"q": "осмонова 3"}).json()["cases"]
    assert [c["full_name"] for c in found] == ["Айпери Осмонова 3"]
    by_faculty = office.get("iro", "/api/cases", params={"faculty": ECONOMICS}).json()["cases"]
    assert len(by_faculty) == 5


def test_a_student_goes_from_application_to_a_downloadable_order(
    office: Office, tmp_path: Path
) -> None:
    body = student_case(
        participant={"specialty": "Финансы жана кредит", "group_name": "ФК-22"},
    )
    case_id = office.open("dean_econ", body)
    office.hand_in("dean_econ", case_id, *APPLICATION)
    assert office.fire("dean_econ", case_id, "nominate").status_code == 200
    # The signed nomination comes back as a scan; the invitation from Ankara as a PDF.
    office.hand_in("iro", case_id, D.invitation_letter, D.dean_nomination)
    assert office.fire("iro", case_id, "receive_invitation").status_code == 200
    fired = office.fire("iro", case_id, "issue_order", expected_version=office.version(case_id))
    assert fired.json()["to_state"] == "ordered", fired.text
    swept = sweep(office.engine, FileStore(tmp_path / "files"))
    assert not swept.failed, swept.failed
    docs = office.get("dean_econ", f"/api/cases/{case_id}/documents").json()
    order = next(d for d in docs if d["doc_type"] == "mobility_order")
    assert order["origin"] == "generated" and order["number"]
    download = office.get("dean_econ", f"/api/cases/{case_id}/documents/{order['id']}")
    assert download.status_code == 200
    assert download.content.startswith(b"PK")  # a DOCX is a zip
    assert "attachment" in download.headers["content-disposition"]


def test_a_step_the_regulation_refuses_answers_422_with_the_guards_words(office: Office) -> None:
    case_id = office.open("dean_econ", student_case(participant={"gpa": 3.0}))
    office.hand_in("dean_econ", case_id, *APPLICATION)
    refused = office.post("dean_econ", f"/api/cases/{case_id}/events", json={"event": "nominate"},
                          headers={"Accept-Language": "en"})  # fmt: skip
    assert refused.status_code == 422
    assert "GPA 3 is not above 3" in refused.json()["detail"]
    assert refused.json()["errors"][0]["clause"] == "4.8, ФД duties"
    history = office.get("iro", f"/api/cases/{case_id}/history").json()
    assert history[-1]["outcome"] == "refused" and history[-1]["event"] == "nominate"


def test_a_step_from_the_wrong_state_is_400_and_a_stale_version_is_409(office: Office) -> None:
    case_id = office.open("dean_econ", student_case())
    wrong = office.post("iro", f"/api/cases/{case_id}/events", json={"event": "issue_order"},
                        headers={"Accept-Language": "en-GB,en;q=0.8"})  # fmt: skip
    assert wrong.status_code == 400 and "possible here" in wrong.json()["detail"]
    stale = office.fire("dean_econ", case_id, "withdraw", expected_version=7, reason="ойноду")
    assert stale.status_code == 409
    assert office.fire("dean_econ", case_id, "withdraw", expected_version=0).status_code == 422
    done = office.fire("dean_econ", case_id, "withdraw", expected_version=0, reason="Баш тартты")
    assert done.status_code == 200


def test_a_role_the_step_is_not_for_gets_403_and_the_refusal_is_logged(office: Office) -> None:
    case_id = office.open("dean_econ", student_case())
    assert office.fire("auditor", case_id, "withdraw").status_code == 403
    assert office.fire("admin", case_id, "withdraw").status_code == 403
    history = office.get("iro", f"/api/cases/{case_id}/history").json()
    assert [h["actor"].split(" (")[-1] for h in history[-2:]] == ["auditor)", "admin)"]


def test_a_reason_is_required_to_reject(office: Office) -> None:
    case_id = office.open("dean_econ", student_case())
    assert office.fire("iro", case_id, "reject").status_code == 422
    done = office.fire("iro", case_id, "reject", reason="Конкурстан өтпөдү")
    assert done.json()["to_state"] == "rejected"


def test_bad_case_input_names_the_field_and_writes_nothing(office: Office) -> None:
    before = count_rows(office)
    cases = {
        "participant.gpa": student_case(participant={"gpa": 7}),
        "end_date": student_case(end_date="2026-12-01", start_date="2027-01-10"),
        "participant.faculty": student_case(participant={"faculty": "Сыйкырчылык факультети"}),
        "host_country": {k: v for k, v in student_case().items() if k != "host_country"},
    }
    for field, body in cases.items():
        answer = office.post("iro", "/api/cases", json=body)
        assert answer.status_code == 422, answer.text
        assert field in [e["field"] for e in answer.json()["errors"]], answer.text
        assert "Traceback" not in answer.text
    broken = office.post(
        "iro",
        "/api/cases",
        content=b'{"participant": ',
        headers={"content-type": "application/json"},
    )
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["field"] == "body"
    assert count_rows(office) == before


def test_uploads_must_be_real_pdf_or_docx_and_not_too_big(office: Office) -> None:
    case_id = office.open("dean_econ", student_case())
    url = f"/api/cases/{case_id}/documents"
    virus = ("virus.exe", b"MZ\x90\x00", "application/octet-stream")
    exe = office.post("dean_econ", url, data={"doc_type": "application"}, files={"file": virus})
    assert exe.status_code == 400 and exe.json()["errors"][0]["field"] == "file"
    fake = office.post("dean_econ", url, data={"doc_type": "application"},
                       files={"file": ("scan.pdf", b"not a pdf", "application/pdf")},
                       headers={"Accept-Language": "en"})  # fmt: skip
    assert fake.status_code == 400 and "not really a PDF" in fake.json()["detail"]
    big = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)
    huge = office.post("dean_econ", url, data={"doc_type": "application"},
                       files={"file": ("big.pdf", big, "application/pdf")})  # fmt: skip
    # Refused at the door (sapar.limits), before the form is parsed: 413, naming the body.
    assert huge.status_code == 413 and "10 " in huge.json()["detail"]
    assert huge.json()["errors"][0]["field"] == "body"
    unknown = office.post("dean_econ", url, data={"doc_type": "selfie"},
                          files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")})  # fmt: skip
    assert unknown.status_code == 422
    # A blank the university prints is a paper of the enum, but nobody hands one in as such.
    blank = office.post("dean_econ", url, data={"doc_type": "trip_report_form"},
                        files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")},
                        headers={"Accept-Language": "en"})  # fmt: skip
    assert blank.status_code == 400 and "never handed in" in blank.json()["detail"], blank.text
    assert office.get("dean_econ", url).json() == []


def test_returning_opens_the_report_deadline_and_the_overdue_board_shows_it(
    office: Office,
) -> None:
    case_id = office.open("dean_econ", student_case(start_date="2026-02-02", end_date="2026-06-30"))
    office.hand_in("dean_econ", case_id, *APPLICATION)
    office.fire("dean_econ", case_id, "nominate")
    office.hand_in("iro", case_id, D.invitation_letter, D.dean_nomination, D.mobility_order)
    for event in ("receive_invitation", "issue_order", "depart"):
        assert office.fire("iro", case_id, event).status_code == 200
    back = office.fire("dean_econ", case_id, "return_home", actual_end_date="2026-06-20")
    assert back.json()["to_state"] == "returned", back.text
    deadlines = office.get("dean_econ", f"/api/cases/{case_id}/deadlines").json()
    assert deadlines[0]["kind"] == "student_report" and deadlines[0]["due_date"] == "2026-07-20"
    assert deadlines[0]["overdue"] is True
    board = office.get("iro", "/api/overdue").json()
    assert board["by_faculty"] == {ECONOMICS: 1}
    assert office.get("dean_math", "/api/overdue").json()["deadlines"] == []
    late = office.get("dean_econ", "/api/cases", params={"overdue": "true"}).json()["cases"]
    assert [c["id"] for c in late] == [case_id]


def test_the_openapi_schema_lists_the_operations(office: Office) -> None:
    paths = office.client.get("/openapi.json").json()["paths"]
    assert {"/api/cases", "/api/cases/{case_id}/events", "/api/overdue"} <= set(paths)
