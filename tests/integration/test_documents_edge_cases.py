"""The edge-case set of issue 12 through the real issuing path (cases, steps, papers handed
in, the outbox, the file store): names with `& < '` and ө ү ң, a 120-character partner, a
40-student group order, a reissue after a signed scan, and the return order after it.

Each document must open with python-docx, have well-formed XML, print the names exactly,
cite its bases once (the group order) or by number and date (the return order), and — with
LibreOffice, all of them in one soffice run — convert to a PDF with no blank page, its wide
annex in landscape, no date broken across lines, and every font embedded."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import docx
import pytest
from lxml import etree
from sqlalchemy import Engine, select

from documents import DocumentKind, render
from documents.docx_text import full_text, paragraph_texts
from documents.pdf import convert_to_pdf
from sapar.services.contexts import build_context
from sapar.services.contexts.dossier import Issue, issued_on, load_dossiers
from sapar.services.issuing import execute_group_order, request_document, sweep
from sapar.services.officials import load_officials
from sapar.services.papers import PaperFacts, attach_paper
from sapar.services.study_plan import PlanLine, set_study_plan
from states.dossier import DocumentKind as D
from states.model import Participant
from storage.db import make_engine
from storage.orm import DocumentRow, OutboxRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_student
from tests.integration.desk import DEAN, IRO, Desk, a_pdf
from tests.integration.pdf_checks import broken_dates, fonts_not_embedded, pages

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKUP_NAME = "O'Brien & <Sons> Айбек"
KYRGYZ_NAME = "Үсөнова Өмүрбүбү Ңурлановна"
PARTNER = (
    "Université Internationale d'Études & de Recherches <Osh–Tashkent> Appliquées en "
    "Économie, Ingénierie et Science Humaines"
)
GROUP = 40


@dataclass
class EdgeSet:
    desk: Desk
    documents: dict[str, bytes] = field(default_factory=dict)
    """What was issued, by a name of ours: the DOCX bytes from the file store."""
    rows: dict[str, DocumentRow] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    invitations: list[str] = field(default_factory=list)


def student(i: int) -> Participant:
    name = {0: MARKUP_NAME, 1: KYRGYZ_NAME}.get(i, f"Студент{i:02d} Өмүрбеков Ңурланович")
    return a_student(full_name=name, group_name=f"ФК-{i % 4 + 1}-23", specialty="Финансы")


def ready_for_the_order(desk: Desk, i: int, host: str) -> int:
    """A long stay nominated (the nomination issued) and invited by its host, whose letter
    has a number of its own."""
    case_id = desk.open(a_case(student(i), host_institution=host, host_language="англис тили",
                               language_level="B2"))  # fmt: skip
    desk.hand_in(case_id, *LONG_STAY_PAPERS)
    set_study_plan(
        desk.engine,
        case_id=case_id,
        actor=DEAN,
        lines=[PlanLine("International Finance", 6, replaces="Эл аралык финансы")],
    )
    desk.step(case_id, "nominate", DEAN)
    sweep(desk.engine, desk.files)
    attach_paper(desk.engine, desk.files, case_id=case_id, doc_type=D.invitation_letter,
                 filename="invitation.pdf", content=a_pdf(f"invitation {i}"), actor=IRO,
                 facts=PaperFacts(issuer=host, number=f"INV-{i:03d}/26",
                                  date=date(2026, 10, 1 + i % 28)))  # fmt: skip
    desk.step(case_id, "receive_invitation", IRO)
    return case_id


def generated(engine: Engine, case_id: int, kind: str) -> list[DocumentRow]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = list(
            uow.session.scalars(
                select(DocumentRow)
                .where(
                    DocumentRow.case_id == case_id,
                    DocumentRow.doc_type == kind,
                    DocumentRow.origin == "generated",
                )
                .order_by(DocumentRow.id)
            )
        )
        uow.session.expunge_all()
    return rows


@pytest.fixture(scope="module")
def edge(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EdgeSet]:
    folder = tmp_path_factory.mktemp("edge")
    shutil.copy(sqlite_template, folder / "sapar.db")
    engine = make_engine(f"sqlite:///{folder / 'sapar.db'}")
    desk = Desk(engine, folder / "files")
    found = EdgeSet(desk)

    # A group order of 40, the first two named with markup and Kyrgyz letters, all going to a
    # partner with a 120-character name, each invited by a letter of its own.
    assert len(PARTNER) == 120
    group = [ready_for_the_order(desk, i, PARTNER) for i in range(GROUP)]
    for case_id in group:
        desk.step(case_id, "issue_order", IRO)
    with UnitOfWork(engine, read_only=True) as uow:
        items = uow.session.scalars(
            select(OutboxRow)
            .where(OutboxRow.case_id.in_(group), OutboxRow.status == "pending")
            .order_by(OutboxRow.id)
        )
        # The order step asks for other papers too (the referral letters): the order only.
        pending = [i.id for i in items if i.payload.get("document") == "mobility_order"]
    execute_group_order(engine, desk.files, pending)
    (order,) = generated(engine, group[0], "mobility_order")
    found.rows["group_ky"] = order
    found.documents["group_ky"] = desk.files.get(order.sha256)
    found.names = [student(i).full_name for i in range(GROUP)]
    found.invitations = [f"INV-{i:03d}/26" for i in range(GROUP)]
    # The same order's Russian text, from the same dossiers and registration.
    with UnitOfWork(engine, read_only=True) as uow:
        dossiers = load_dossiers(uow.session, uow.cases.get_many(group))
        issue = Issue(order.number, issued_on(order), load_officials(uow.session), "sapar",
                      "+996 3222 7-07-12", "ru")  # fmt: skip
        context = build_context(DocumentKind.mobility_order, dossiers, issue)
    found.documents["group_ru"] = render(DocumentKind.mobility_order, "ru", context).content

    # One student's order, signed and scanned, then corrected: version 2, the same number.
    single = ready_for_the_order(desk, 0, PARTNER)
    desk.step(single, "issue_order", IRO)
    sweep(engine, desk.files)
    desk.hand_in(single, D.mobility_order)  # the signed scan: a later row without a number
    request_document(engine, case_id=single, kind=DocumentKind.mobility_order, language="ru")
    sweep(engine, desk.files)
    first, second = generated(engine, single, "mobility_order")
    found.rows |= {"order_v1": first, "order_v2": second}
    found.documents["order_v2_ru"] = desk.files.get(second.sha256)

    # The return: the order that sent the student is cited by its number and date.
    desk.step(single, "depart", IRO)
    desk.step(single, "return_home", IRO, actual_end_date=date(2026, 6, 30))
    sweep(engine, desk.files)
    (back,) = generated(engine, single, "return_order")
    found.rows["return"] = back
    found.documents["return_" + (back.language or "ky")] = desk.files.get(back.sha256)
    yield found
    engine.dispose()


def test_every_edge_case_document_opens_with_python_docx_and_has_well_formed_xml(
    edge: EdgeSet,
) -> None:
    assert set(edge.documents) >= {"group_ky", "group_ru", "order_v2_ru"}
    for name, content in edge.documents.items():
        docx.Document(io.BytesIO(content))
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for part in archive.namelist():
                if part.endswith(".xml") or part.endswith(".rels"):
                    etree.fromstring(archive.read(part))  # raises on any malformed part
        assert "{{" not in full_text(content) and "{%" not in full_text(content), name


@pytest.mark.parametrize("name", ["group_ky", "group_ru"])
def test_names_with_markup_and_kyrgyz_letters_and_the_long_partner_print_exactly(
    edge: EdgeSet, name: str
) -> None:
    content = edge.documents[name]
    paragraphs = paragraph_texts(content)
    assert paragraphs.count(MARKUP_NAME) == 1 and paragraphs.count(KYRGYZ_NAME) == 1
    assert sum(p.startswith(PARTNER) for p in paragraphs) == GROUP  # each row's host, whole
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "O&apos;Brien &amp; &lt;Sons&gt;" in xml or "O'Brien &amp; &lt;Sons&gt;" in xml


@pytest.mark.parametrize("name", ["group_ky", "group_ru"])
def test_a_40_student_order_cites_the_common_bases_once_and_each_invitation_in_its_row(
    edge: EdgeSet, name: str
) -> None:
    content = edge.documents[name]
    paragraphs = paragraph_texts(content)
    start = next(i for i, p in enumerate(paragraphs) if p.endswith(("основании:", "негизинде:")))
    end = next(i for i, p in enumerate(paragraphs) if p in ("ПРИКАЗЫВАЮ:", "БУЙРУК КЫЛАМ:"))
    preamble = paragraphs[start + 1 : end]
    assert len(preamble) == 3, preamble  # invitations, the nomination, the applications
    assert not any("INV-" in line for line in preamble)
    table = docx.Document(io.BytesIO(content)).tables[-1]
    rows = table.rows[1:]
    assert len(rows) == GROUP
    for row, student_name, number in zip(rows, edge.names, edge.invitations, strict=True):
        cells = [c.text for c in row.cells]
        assert cells[1] == student_name
        assert sum(number in c for c in cells) == 1, cells  # the invitation's number: its row
    text = full_text(content)
    for number in edge.invitations:
        assert text.count(number) == 1


def test_every_table_row_stays_whole_and_the_header_repeats(edge: EdgeSet) -> None:
    document = docx.Document(io.BytesIO(edge.documents["group_ky"]))
    for table in document.tables:
        for row in table.rows:
            assert row._tr.find(f"{W}trPr/{W}cantSplit") is not None
    header = document.tables[-1].rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    sections = document.sections
    assert [s.orientation for s in sections] == [0, 1]  # portrait order, landscape annex


def test_a_reissue_after_a_signed_scan_keeps_its_number_and_says_version_2(
    edge: EdgeSet,
) -> None:
    first, second = edge.rows["order_v1"], edge.rows["order_v2"]
    assert second.number == first.number and second.version > first.version
    text = full_text(edge.documents["order_v2_ru"])
    replaced = issued_on(first)
    months = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    expected = f"{replaced.day} {months.split()[replaced.month - 1]} {replaced.year} г."
    assert f"Версия 2 (исправленная), заменяет версию от {expected}" in text
    assert f"№ {first.number}" in text


def test_the_return_order_cites_the_sending_order_by_its_number_and_date(
    edge: EdgeSet,
) -> None:
    sent, back = edge.rows["order_v2"], edge.rows["return"]
    text = full_text(edge.documents[f"return_{back.language}"])
    day = issued_on(sent)
    if back.language == "ky":
        cited = re.search(r"жиберүү жөнүндө буйрук: (.*);", text)
        assert cited and f"{day.year}-жылдын {day.day}-" in cited.group(1)
    else:
        cited = re.search(r"приказа о направлении: (.*);", text)
        assert cited and f"{day.day} " in cited.group(1) and f"{day.year} г." in cited.group(1)
    assert f"№ {sent.number}" in cited.group(1)


@pytest.mark.libreoffice
def test_the_edge_case_documents_convert_with_no_blank_page_and_no_broken_date(
    edge: EdgeSet, tmp_path: Path
) -> None:
    sources = []
    for name, content in edge.documents.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(content)
        sources.append(path)
    pdfs = dict(zip(edge.documents, convert_to_pdf(sources, tmp_path / "pdf", timeout=300),
                    strict=True))  # fmt: skip
    for name, pdf in pdfs.items():
        read = pages(pdf)
        assert not [p.number for p in read if p.blank], f"{name}: blank pages"
        text = "\n".join(p.text for p in read)
        assert not broken_dates(text), f"{name}: {broken_dates(text)}"
        assert not fonts_not_embedded(pdf), f"{name}: {fonts_not_embedded(pdf)}"
    group = pages(pdfs["group_ky"])
    assert not group[0].landscape
    annex = [p for p in group if "INV-" in p.text]
    assert len(annex) >= 2 and all(p.landscape for p in annex)  # 40 rows: several pages
    flat = " ".join(" ".join(p.text for p in group).split())
    for student_name in edge.names[1:]:
        assert student_name in flat
