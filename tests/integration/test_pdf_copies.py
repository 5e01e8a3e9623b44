"""PDF copies of issued papers (issue 12.8): in one LibreOffice run for batches, and one by
one through the API and the case page — fonts embedded, kept once made, refused like the
DOCX, and a LibreOffice that hangs is killed and the clerk told so in their language."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from sapar.services.issuing import sweep
from sapar.services.pdf_copies import pdf_copies
from states.dossier import DocumentKind as D
from storage.files import FileStore
from storage.orm import DocumentRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS
from tests.integration.desk import Desk
from tests.integration.office import Office, student_case
from tests.integration.test_issuing import to_the_order
from tests.integration.web_client import log_in


@pytest.mark.libreoffice
def test_issued_papers_convert_to_pdf_with_their_names_and_numbers(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    desk = Desk(sqlite_engine, tmp_path / "files")
    case_id = to_the_order(desk)
    sweep(desk.engine, desk.files)
    with UnitOfWork(desk.engine, read_only=True) as uow:
        rows = uow.session.execute(select(DocumentRow.id, DocumentRow.doc_type).where(
            DocumentRow.case_id == case_id, DocumentRow.origin == "generated")).all()  # fmt: skip
    ids = [i for i, _ in rows]
    copies = pdf_copies(desk.engine, desk.files, ids)
    order = tmp_path / "order.pdf"
    order.write_bytes(copies[next(i for i, kind in rows if kind == "mobility_order")])
    text = subprocess.run(["pdftotext", str(order), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "Айпери Өмүрбекова" in text and "1/АМ" in text


def test_a_pdf_of_an_unknown_document_is_refused(sqlite_engine: Engine, tmp_path: Path) -> None:
    desk = Desk(sqlite_engine, tmp_path / "files")
    with pytest.raises(LookupError, match="document #99"):
        pdf_copies(desk.engine, desk.files, [99])


# --- through HTTP ------------------------------------------------------------------------------


def ordered_case(office: Office, tmp_path: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    """A student through to the order, its papers issued; the generated ones by type."""
    case_id = office.open("dean_econ", student_case())
    office.hand_in("dean_econ", case_id, *LONG_STAY_PAPERS)
    assert office.fire("dean_econ", case_id, "nominate").status_code == 200
    office.hand_in("iro", case_id, D.invitation_letter, D.dean_nomination)
    assert office.fire("iro", case_id, "receive_invitation").status_code == 200
    fired = office.fire("iro", case_id, "issue_order", expected_version=office.version(case_id))
    assert fired.status_code == 200, fired.text
    swept = sweep(office.engine, FileStore(tmp_path / "files"))
    assert not swept.failed, swept.failed
    lines = office.get("iro", f"/api/cases/{case_id}/documents").json()
    return case_id, {d["doc_type"]: d for d in lines if d["origin"] == "generated"}


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.libreoffice
def test_an_issued_order_comes_as_a_pdf_with_its_fonts_from_the_api_and_the_case_page(
    sqlite_office: Office, tmp_path: Path
) -> None:
    case_id, papers = ordered_case(sqlite_office, tmp_path)
    order = papers["mobility_order"]
    url = f"/api/cases/{case_id}/documents/{order['id']}.pdf"
    answer = sqlite_office.get("dean_econ", url)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(answer.content)
    text = " ".join(run("pdftotext", str(pdf), "-").split())
    assert "Айгерим Жолдошбекова" in text and order["number"] in text
    # pdffonts: a header, a rule, then one line per font with "emb" yes/no in column 5.
    fonts = run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts, "the PDF names no fonts"
    assert all(line.split()[-5] == "yes" for line in fonts), "\n".join(fonts)

    # Made once: the second answer is the kept copy, not a second LibreOffice run.
    assert sqlite_office.get("iro", url).content == answer.content

    # The case page links the copy next to each issued paper, and the link answers it.
    browser = sqlite_office.client
    log_in(browser, "dean_econ")
    page = browser.get(f"/cases/{case_id}").text
    link = f"/cases/{case_id}/documents/{order['id']}.pdf"
    assert f'href="{link}"' in page
    for paper in papers.values():
        assert f'/documents/{paper["id"]}.pdf"' in page
    shown = browser.get(link)
    assert shown.status_code == 200 and shown.content == answer.content
    assert shown.headers["content-disposition"].startswith("inline")


def test_a_pdf_copy_is_refused_as_the_docx_is_and_documented_in_the_schema(
    sqlite_office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing here may reach LibreOffice: a conversion would fail this test.
    monkeypatch.setenv("PATH", str(tmp_path / "no-libreoffice"))
    case_id, papers = ordered_case(sqlite_office, tmp_path)
    order = papers["mobility_order"]["id"]
    outside = sqlite_office.get("dean_math", f"/api/cases/{case_id}/documents/{order}.pdf")
    assert outside.status_code == 403
    unknown = sqlite_office.get("iro", f"/api/cases/{case_id}/documents/999999.pdf")
    assert unknown.status_code == 404
    huge = sqlite_office.get("iro", f"/api/cases/{case_id}/documents/{2**70}.pdf")
    assert huge.status_code == 422
    assert sqlite_office.client.get(f"/api/cases/{case_id}/documents/{order}.pdf").status_code == (
        401
    )
    # A signed scan handed in as PDF is its own copy.
    sqlite_office.hand_in("iro", case_id, D.invitation_letter)
    lines = sqlite_office.get("iro", f"/api/cases/{case_id}/documents").json()
    scan = next(d for d in lines if d["doc_type"] == "invitation_letter")
    copy = sqlite_office.get("iro", f"/api/cases/{case_id}/documents/{scan['id']}.pdf")
    raw = sqlite_office.get("iro", f"/api/cases/{case_id}/documents/{scan['id']}")
    assert copy.status_code == 200 and copy.content == raw.content

    operation = sqlite_office.client.get("/openapi.json").json()["paths"][
        "/api/cases/{case_id}/documents/{document_id}.pdf"
    ]["get"]
    assert {"200", "403", "404", "503"} <= set(operation["responses"])
    assert "application/pdf" in operation["responses"]["200"]["content"]
    bounds = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert bounds["document_id"]["minimum"] == 1 and bounds["document_id"]["maximum"] < 2**63


FAKE_SOFFICE = """#!{python}
# Stands in for LibreOffice: logs when it runs, then hangs (with a child) or writes the PDFs.
import os, pathlib, subprocess, sys, time
log = pathlib.Path(os.environ["FAKE_SOFFICE_LOG"])
mode = os.environ["FAKE_SOFFICE_MODE"]
with log.open("a") as out:
    out.write(f"start {{os.getpid()}} {{time.monotonic()}}\\n")
if mode == "hang":
    child = subprocess.Popen(["sleep", "300"])
    with log.open("a") as out:
        out.write(f"child {{child.pid}}\\n")
    time.sleep(300)
args = sys.argv[1:]
outdir = pathlib.Path(args[args.index("--outdir") + 1])
time.sleep(1.0)
for name in args[args.index("--outdir") + 2:]:
    (outdir / (pathlib.Path(name).stem + ".pdf")).write_bytes(b"%PDF-1.4 fake " + name.encode())
with log.open("a") as out:
    out.write(f"end {{os.getpid()}} {{time.monotonic()}}\\n")
"""


def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> Path:
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable))
    script.chmod(0o755)
    log = tmp_path / "soffice.log"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    monkeypatch.setenv("FAKE_SOFFICE_MODE", mode)
    return log


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


def with_settings(office: Office, **changes: Any) -> None:
    services = office.client.app.state.services  # type: ignore[attr-defined]
    settings = services.settings.model_copy(update=changes)
    office.client.app.state.services = dataclasses.replace(services, settings=settings)  # type: ignore[attr-defined]


def test_a_hung_libreoffice_is_killed_with_its_children_and_the_clerk_told_in_russian(
    sqlite_office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, papers = ordered_case(sqlite_office, tmp_path)
    log = fake_soffice(tmp_path, monkeypatch, "hang")
    with_settings(sqlite_office, pdf_timeout_seconds=2.0)
    order = papers["mobility_order"]["id"]
    started = time.monotonic()
    answer = sqlite_office.get(
        "iro", f"/api/cases/{case_id}/documents/{order}.pdf", headers={"Accept-Language": "ru"}
    )
    took = time.monotonic() - started
    assert answer.status_code == 503
    assert answer.json()["detail"].startswith("PDF-копия не была готова за 2 с (LibreOffice")
    assert took < 15
    pids = [int(line.split()[1]) for line in log.read_text().splitlines()]
    assert len(pids) == 2  # the launcher and the child it started
    deadline = time.monotonic() + 5
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in pids), "LibreOffice or its child outlived the timeout"
    # Nothing was kept: the next request tries again.
    assert not (tmp_path / "files" / "pdf-copies").exists()


def test_conversions_run_one_at_a_time_and_a_paper_asked_for_twice_is_made_once(
    sqlite_office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, papers = ordered_case(sqlite_office, tmp_path)
    log = fake_soffice(tmp_path, monkeypatch, "write")
    ids = [papers["mobility_order"]["id"], papers["dean_nomination"]["id"]]
    asked = [ids[0], ids[1], ids[0]]
    answers: list[Any] = [None] * len(asked)

    def fetch(slot: int, doc_id: int) -> None:
        answers[slot] = sqlite_office.get("iro", f"/api/cases/{case_id}/documents/{doc_id}.pdf")

    threads = [threading.Thread(target=fetch, args=pair) for pair in enumerate(asked)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].content == answers[2].content != answers[1].content
    events = [line.split() for line in log.read_text().splitlines()]
    runs = [(float(s[2]), float(e[2])) for s, e in zip(events[::2], events[1::2], strict=True)]
    assert len(runs) == 2, events  # the same paper twice: made once, kept, then served
    (_, first_end), (second_start, _) = sorted(runs)
    assert second_start >= first_end, "two LibreOffice runs overlapped"


def test_a_request_that_cannot_get_its_turn_in_time_is_told_to_try_again(
    sqlite_office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, papers = ordered_case(sqlite_office, tmp_path)
    fake_soffice(tmp_path, monkeypatch, "write")  # each run takes a second
    with_settings(sqlite_office, pdf_wait_seconds=0.2)
    ids = [papers["mobility_order"]["id"], papers["dean_nomination"]["id"]]
    answers: list[Any] = [None, None]

    def fetch(slot: int) -> None:
        answers[slot] = sqlite_office.get(
            "iro", f"/api/cases/{case_id}/documents/{ids[slot]}.pdf",
            headers={"Accept-Language": "en"},
        )  # fmt: skip

    threads = [threading.Thread(target=fetch, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 503]
    busy = next(a for a in answers if a.status_code == 503)
    assert busy.json()["detail"].startswith("Other PDF copies are being made right now")
