"""No route shows or touches another faculty's case: every route of the app is probed as a
dean's office of another faculty, so a new route without a scope check fails here."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from sapar.services import access_log
from states.dossier import DocumentKind as D
from storage.uow import UnitOfWork
from tests.integration.desk import a_pdf
from tests.integration.office import MATHEMATICS, Office, student_case
from tests.integration.web_client import log_in

SECRET = "Жашыруун Секретбекова"
PDF = {"file": ("application.pdf", a_pdf("x"), "application/pdf")}
PEOPLE_CSV = "full_name,faculty\nАсан Үсөнов,Математика жана информатика факультети\n".encode()
# Bodies a route needs to get past its input checks; a route not listed gets a plain one.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/cases/{case_id}/events"): {"json": {"event": "withdraw"}},
    ("POST", "/api/cases/{case_id}/documents"): {"data": {"doc_type": "application"},
                                                  "files": PDF},
    ("POST", "/api/cases"): {"json": student_case()},
    ("POST", "/cases/{case_id}/steps"): {"data": {"event": "withdraw"}},
    ("POST", "/cases/{case_id}/documents"): {"data": {"doc_type": "application"}, "files": PDF},
    ("POST", "/api/cases/{case_id}/documents/request"): {"json": {"kind": "questionnaire"}},
    ("PATCH", "/api/cases/{case_id}"): {"json": {"expected_version": 0, "host_city": "X"}},
    ("PUT", "/api/cases/{case_id}/study-plan"): {"json": {"courses": [{"title": "X",
                                                                     "credits": 3}]}},
    ("PUT", "/api/cases/{case_id}/transcript"): {"json": {"courses": [
        {"host_course": "X", "credits": 3, "host_grade": "A", "host_scale": "ects"}]}},
    ("POST", "/cases/{case_id}/documents/request"): {"data": {"kind": "questionnaire"}},
    ("POST", "/cases/{case_id}/edit"): {"data": {"expected_version": "0", "host_city": "X"}},
    ("POST", "/api/people"): {"json": {"full_name": "Тест Тестов", "faculty": MATHEMATICS}},
    ("PATCH", "/api/people/{person_id}"): {"json": {"expected_version": 0, "phone": "+996 555"}},
    ("POST", "/api/people/import"): {"files": {"file": ("p.csv", PEOPLE_CSV, "text/csv")}},
    ("POST", "/people/import"): {"files": {"file": ("p.csv", PEOPLE_CSV, "text/csv")}},
    ("POST", "/api/partners"): {"json": {"name": "Х университети", "country": "Казакстан"}},
    ("PUT", "/api/partners/{partner_id}"): {"json": {"name": "Х", "country": "Казакстан"}},
    ("POST", "/api/partners/{partner_id}/agreements"): {"json": {"kind": "bilateral",
                                                                 "valid_from": "2025-09-01"}},
    ("PUT", "/api/partners/{partner_id}/quotas"): {"json": {"academic_year": "2026-2027",
                                                            "participant_type": "outgoing_staff",
                                                            "places": 3}},
    ("POST", "/api/partners/import"): {"files": {"file": ("p.csv", PEOPLE_CSV, "text/csv")}},
    ("POST", "/people/{person_id}"): {"data": {"expected_version": "1", "phone": "+996 556"}},
    ("POST", "/cases/filters"): {"data": {"name": "Менин көрүнүшүм", "query": "state=ordered"}},
    ("POST", "/cases/new"): {"data": {"p_full_name": "Тест Тестов",
                                      "host_institution": "Ankara Üniversitesi",
                                      "host_country": "Türkiye", "start_date": "2027-02-01",
                                      "end_date": "2027-06-30", "funding_source": "own",
                                      "p_faculty": "Экономика факультети",
                                      "host_language": "англис тили"}},
}  # fmt: skip
# Routes that carry no case data at all.
NO_CASE_DATA = {"/login", "/logout", "/language", "/openapi.json", "/docs", "/redoc",
                "/docs/oauth2-redirect", "/api/me", "/",
                "/portal/sign-in", "/portal/link"}  # fmt: skip


def secret_case(office: Office) -> tuple[int, int]:
    """An economics case with a paper and an overdue deadline, so it would show everywhere."""
    case_id = office.open("dean_econ", student_case(participant={"full_name": SECRET}))
    office.hand_in("dean_econ", case_id, D.application)
    with UnitOfWork(office.engine) as uow:
        uow.cases.open_deadline(case_id, "student_report", date(2026, 1, 1))
        uow.commit()
    doc_id = office.get("dean_econ", f"/api/cases/{case_id}/documents").json()[0]["id"]
    return case_id, doc_id


def every_route(routes: list[Any], prefix: str = "") -> list[tuple[str, set[str]]]:
    """(path, methods) of every endpoint, through included routers (FastAPI wraps them)."""
    found: list[tuple[str, set[str]]] = []
    for route in routes:
        if hasattr(route, "original_router"):
            inner = prefix + route.include_context.prefix
            found += every_route(route.original_router.routes, inner)
        elif isinstance(route, APIRoute | Route):
            found.append((prefix + route.path, set(route.methods or ())))
        else:
            assert isinstance(route, Mount), f"unknown route type {route!r}"
    return found


def probe(office: Office, client: TestClient, csrf: str, who: str) -> list[tuple[str, Any]]:
    case_id, doc_id = secret_case(office)
    answers = []
    for path, methods in every_route(office.client.app.routes):  # type: ignore[attr-defined]
        for method in sorted(methods - {"HEAD"}):
            if (method, path) == ("POST", "/logout"):
                continue  # it would end the session the probe runs in
            url = path.format(case_id=case_id, document_id=doc_id, partner_id=1, official_id=1,
                              person_id=case_id,  # the secret case's person: the first
                              job_id=1, token_id=1, filter_id=1, username="iro")  # fmt: skip
            kw = dict(BODIES.get((method, path), {}))
            if path.startswith("/api"):
                kw["headers"] = office.auth(who)
                answer = client.request(method, url, **kw)
            else:
                if method == "POST":
                    kw["data"] = {**kw.get("data", {}), "csrf": csrf}
                answer = client.request(method, url, follow_redirects=False, **kw)
            answers.append((f"{method} {path}", answer))
    return answers


def test_no_route_shows_or_changes_an_economics_case_for_the_mathematics_dean(
    sqlite_office: Office,
) -> None:
    office = sqlite_office
    client = TestClient(office.client.app)
    csrf = log_in(client, "dean_math")
    answers = probe(office, client, csrf, "dean_math")
    assert len(answers) > 15
    for name, answer in answers:
        assert SECRET not in answer.text, f"{name} shows the economics case"
        if name.split(" ", 1)[1].startswith("/portal/cases/"):
            # A staff session is no participant's: the portal sends it to its sign-in.
            assert answer.status_code == 303, f"{name}: {answer.status_code}"
        elif (
            "{case_id}" in name
            or "{person_id}" in name
            or name in ("POST /api/cases", "POST /cases/new")
        ):
            assert answer.status_code == 403, f"{name}: {answer.status_code} {answer.text[:200]}"
        path = name.split(" ", 1)[1]
        assert path in NO_CASE_DATA or answer.status_code in (200, 201, 202, 303, 403, 404), name
    history = office.get("iro", "/api/cases/1/history").json()
    refused = {h["event"] for h in history if h["outcome"] == "refused"}
    assert {"withdraw", "attach_document"} <= refused, "refused changes: in the history"
    assert not {"view", "download_document"} & refused, "refused reads: not in the history"
    reads = {line.action for line in access_log.recent(office.engine, case_id=1)}
    assert {"view", "download_document"} <= reads, "...but in the access log"


def test_the_probe_would_see_a_leak_the_own_dean_sees_the_case_everywhere(
    sqlite_office: Office,
) -> None:
    office = sqlite_office
    client = TestClient(office.client.app)
    csrf = log_in(client, "dean_econ")
    answers = dict(probe(office, client, csrf, "dean_econ"))
    seen = (
        "GET /cases",
        "GET /api/cases",
        "GET /overdue",
        "GET /api/overdue",
        "GET /cases/export.csv",
        "GET /cases/{case_id}",
        "GET /api/cases/{case_id}",
    )
    for name in seen:
        assert SECRET in answers[name].text, name


def test_a_head_of_department_sees_only_staff_trips_of_their_department(office: Office) -> None:
    from tests.integration.office import staff_case

    own = office.open("iro", staff_case())
    colleague = {
        "full_name": "Бекзат Маматов",
        "kind": "staff",
        "faculty": MATHEMATICS,
        "department": "Математика кафедрасы",
    }
    other = office.open("iro", staff_case(department="Математика кафедрасы", participant=colleague))
    student = office.open("iro", student_case(participant={"faculty": MATHEMATICS}))
    listed = {c["id"] for c in office.get("head_inf", "/api/cases").json()["cases"]}
    assert listed == {own}
    assert office.get("head_inf", f"/api/cases/{other}").status_code == 403
    assert office.get("head_inf", f"/api/cases/{student}").status_code == 403
    assert {c["id"] for c in office.get("accounting", "/api/cases").json()["cases"]} == {
        own,
        other,
    }
    assert len(office.get("auditor", "/api/cases").json()["cases"]) == 3
    assert office.post("auditor", "/api/cases", json=student_case()).status_code == 403


# --- the participants' portal ---------------------------------------------------------------

PORTAL_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/portal/cases/{case_id}/papers"): {"data": {"doc_type": "application"},
                                                 "files": PDF},
}  # fmt: skip


def test_no_route_shows_or_changes_a_participants_case_for_another_participant(
    sqlite_office: Office, tmp_path: Any
) -> None:
    """Every route of the app, as a signed-in participant whose case it is not: the portal's
    routes refuse the case (403), the staff routes do not open for a participant at all."""
    from tests.integration.portal_client import apply, open_call, sign_in

    office = sqlite_office
    open_call(office.engine)
    owner = TestClient(office.client.app)
    owner_csrf = sign_in(owner, tmp_path, "owner@oshsu.kg")
    case_id = apply(owner, owner_csrf, full_name=SECRET)
    owner.post(f"/portal/cases/{case_id}/papers", data={"csrf": owner_csrf,
               "doc_type": "application"}, files=PDF)  # fmt: skip
    doc_id = office.get("iro", f"/api/cases/{case_id}/documents").json()[0]["id"]
    with UnitOfWork(office.engine, read_only=True) as uow:
        person_id = uow.cases.get(case_id).participant.id
    other = TestClient(office.client.app)
    csrf = sign_in(other, tmp_path, "other@oshsu.kg")
    portal_routes = 0
    for path, methods in every_route(office.client.app.routes):  # type: ignore[attr-defined]
        for method in sorted(methods - {"HEAD"}):
            if (method, path) in (("POST", "/portal/sign-out"), ("POST", "/logout")):
                continue  # it would end the session the probe runs in
            url = path.format(case_id=case_id, document_id=doc_id, partner_id=1,
                              person_id=person_id, official_id=1, job_id=1, token_id=1, filter_id=1,
                              username="iro")  # fmt: skip
            kw = dict(PORTAL_BODIES.get((method, path), {}))
            if method == "POST":
                kw["data"] = {**kw.get("data", {}), "csrf": csrf}
            answer = other.request(method, url, follow_redirects=False, **kw)
            name = f"{method} {path}"
            assert SECRET not in answer.text, f"{name} shows another participant's case"
            assert answer.status_code < 500, name
            if path.startswith("/portal") and "{case_id}" in path:
                portal_routes += 1
                assert answer.status_code == 403, f"{name}: {answer.status_code}"
            elif not path.startswith(("/portal", "/api", "/login", "/static", "/openapi",
                                      "/docs", "/redoc")):  # fmt: skip
                assert answer.status_code in (303, 401, 403, 404, 405), name
    assert portal_routes >= 3
    history = office.get("iro", f"/api/cases/{case_id}/history").json()
    refused = {h["event"] for h in history if h["outcome"] == "refused"}
    assert "attach_document" in refused, "refused changes: in the history"
    assert not {"view", "download_document"} & refused, "refused reads: not in the history"
    reads = {line.action for line in access_log.recent(office.engine, case_id=case_id)}
    assert {"view", "download_document"} <= reads
    assert SECRET in owner.get(f"/portal/cases/{case_id}").text  # the probe would see a leak
