"""Layout rules of every template (issue 12.6), read from the DOCX itself: table rows never
split across pages and a list's header repeats; a wide table (10 columns and more) only in a
landscape section; a section never ends in an empty paragraph (a blank page when the text
fills the page); dates kept whole by non-breaking spaces."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from lxml import etree

from documents import render
from documents.filters import for_language
from documents.render import TEMPLATES_DIR
from documents.samples import sample_data

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEMPLATES = sorted(TEMPLATES_DIR.glob("*/*.docx"))
IDS = [f"{p.parent.name}/{p.stem}" for p in TEMPLATES]
WIDE = 10


def body_of(path_or_bytes: object) -> etree._Element:
    data = path_or_bytes.read_bytes() if hasattr(path_or_bytes, "read_bytes") else path_or_bytes
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # type: ignore[arg-type]
        root = etree.fromstring(archive.read("word/document.xml"))
    body = root.find(f"{W}body")
    assert body is not None
    return body


def sections(body: etree._Element) -> list[tuple[etree._Element, list[etree._Element]]]:
    """Each section's properties and its blocks (paragraphs and tables), in order."""
    out, blocks = [], []
    for child in body:
        if child.tag == f"{W}sectPr":
            out.append((child, blocks))
            break
        blocks.append(child)
        inner = child.find(f"{W}pPr/{W}sectPr")
        if inner is not None:
            out.append((inner, blocks))
            blocks = []
    return out


def landscape(sect: etree._Element) -> bool:
    size = sect.find(f"{W}pgSz")
    assert size is not None
    return int(size.get(f"{W}w")) > int(size.get(f"{W}h"))  # type: ignore[arg-type]


@pytest.mark.parametrize("path", TEMPLATES, ids=IDS)
def test_no_table_row_splits_across_pages_and_a_lists_header_repeats(path: object) -> None:
    body = body_of(path)
    for table in body.iter(f"{W}tbl"):
        rows = table.findall(f"{W}tr")
        for row in rows:
            assert row.find(f"{W}trPr/{W}cantSplit") is not None, "a row may split"
        if any("{%tr for" in "".join(r.itertext()) for r in rows):
            assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None, "header not repeated"


@pytest.mark.parametrize("path", TEMPLATES, ids=IDS)
def test_wide_tables_are_in_landscape_and_no_section_ends_in_an_empty_paragraph(
    path: object,
) -> None:
    body = body_of(path)
    for sect, blocks in sections(body):
        for block in blocks:
            if block.tag == f"{W}tbl":
                columns = len(block.findall(f"{W}tblGrid/{W}gridCol"))
                assert columns < WIDE or landscape(sect), f"{columns} columns in portrait"
    for paragraph in body.findall(f"{W}p"):
        if paragraph.find(f"{W}pPr/{W}sectPr") is not None:
            text = "".join(paragraph.itertext())
            # An empty one spills onto a blank page; a {%p %} tag one vanishes when rendered.
            assert text.strip() and "{%" not in text, "a section ends in an empty paragraph"


def test_a_rendered_group_order_keeps_every_row_whole_under_a_repeated_header() -> None:
    data = sample_data("mobility_order", "ru")
    data["students"] = data["students"] * 10
    body = body_of(render("mobility_order", "ru", data).content)
    table = list(body.iter(f"{W}tbl"))[-1]
    rows = table.findall(f"{W}tr")
    assert len(rows) == 41
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert [landscape(s) for s, _ in sections(body)] == [False, True]


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("ru", "long_date", "22\u00a0ноября\u00a02026\u00a0г."),
        ("ky", "long_date", "2026-жылдын\u00a022-ноябры"),
        ("ky", "date_of", "2026-жылдын\u00a022-ноябрындагы"),
        ("en", "long_date", "22\u00a0November\u00a02026"),
    ],
)
def test_a_date_in_words_never_breaks_across_lines(language: str, name: str, expected: str) -> None:
    assert for_language(language)[name](date(2026, 11, 22)) == expected


def test_a_period_breaks_between_its_dates_but_never_inside_one() -> None:
    ky = for_language("ky")["period"](date(2026, 12, 1), date(2027, 1, 30))
    assert ky == "2026-жылдын\u00a01-декабрынан 2027-жылдын\u00a030-январына чейин"
    ru = for_language("ru")["period"](date(2027, 2, 1), date(2027, 6, 30))
    assert ru == "с 1\u00a0февраля\u00a02027\u00a0г. по 30\u00a0июня\u00a02027\u00a0г."


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_edge_samples_render_cleanly_with_the_names_exactly(language: str) -> None:
    """`make samples` writes these too (var/samples/edge/); LibreOffice converts them in
    tests/integration/test_documents_pdf.py."""
    from docx import Document

    from documents.docx_text import full_text, paragraph_texts
    from documents.samples import KYRGYZ_NAME, LONG_PARTNER, MARKUP_NAME, edge_data

    assert len(LONG_PARTNER) == 120
    for name, (kind, data) in edge_data(language).items():  # type: ignore[arg-type]
        content = render(kind, language, data).content  # type: ignore[arg-type]
        Document(io.BytesIO(content))
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for part in archive.namelist():
                if part.endswith((".xml", ".rels")):
                    etree.fromstring(archive.read(part))
        paragraphs = paragraph_texts(content)
        assert MARKUP_NAME in paragraphs, name
        assert any(p.startswith(LONG_PARTNER) for p in paragraphs), name
        text = full_text(content)
        assert "{{" not in text and "{%" not in text
        if name == "edge_group_order":
            assert KYRGYZ_NAME in paragraphs
            assert sum(f"INV-{i:03d}" in text for i in range(40)) == 40
        if name == "edge_corrected_order":
            assert ("Версия 2 (исправленная)" in text) or ("2-версия (оңдолгон)" in text)
