"""Layout pieces of the official templates, written with python-docx.

The generated .docx files in templates/ are the source of truth a clerk edits; this module
only produces their first version. Jinja tags go into single runs so docxtpl sees them whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

# Times New Roman carries ө ү ң. LibreOffice (and this machine) substitutes the metrically
# compatible Liberation Serif when Times New Roman is not installed.
FONT = "Times New Roman"
BODY_PT = 12
TEMPLATE_TIME = datetime(2026, 1, 1, tzinfo=UTC)

CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _set_fonts(rpr: BaseOxmlElement) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    # Theme attributes win over explicit names in Word, so drop them.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)


class Builder:
    """One template under construction, in one language."""

    def __init__(self, language: str, title: str) -> None:
        self.language = language
        self.doc: DocxDocument = Document()
        self._setup(title)

    def ky_ru(self, ky: str, ru: str, en: str | None = None) -> str:
        """The wording in the template's language. An English template (a paper that goes
        abroad) needs every wording in English: a missing one is an error, not Russian."""
        if self.language == "en":
            if en is None:
                raise KeyError(f"no English wording for {ru!r}")
            return en
        return ky if self.language == "ky" else ru

    def _setup(self, title: str) -> None:
        doc = self.doc
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
        section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.5)
        defaults = doc.styles.element.find(qn("w:docDefaults"))
        assert defaults is not None
        _set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
        for name in ("Normal", "List Number", "Table Grid"):
            style = doc.styles[name]
            style.font.name = FONT
            _set_fonts(style.element.get_or_add_rPr())
        normal = doc.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.0
        listed = doc.styles["List Number"]
        listed.paragraph_format.space_after = Pt(3)
        props = doc.core_properties
        props.title = title
        props.author = "ОшМУ / ОшГУ"
        props.last_modified_by = "sapar"
        props.language = self.language
        props.revision = 1
        # Fixed dates so rebuilding the templates does not change their bytes needlessly.
        props.created = props.modified = TEMPLATE_TIME

    # Paragraphs ---------------------------------------------------------------------------

    def para(
        self,
        text: str = "",
        *,
        bold: bool = False,
        align: WD_ALIGN_PARAGRAPH | None = JUSTIFY,
        size: float | None = None,
        indent: bool = False,
        before: float = 0,
        after: float = 0,
        style: str | None = None,
        italic: bool = False,
    ) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            run.bold = bold
            run.italic = italic
            if size:
                run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        fmt = p.paragraph_format
        if indent:
            fmt.first_line_indent = Cm(1.25)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        return p

    def tag(self, jinja: str) -> None:
        """A paragraph holding only a docxtpl paragraph tag, e.g. "{%p if note %}"."""
        self.doc.add_paragraph(jinja)

    def item(self, text: str) -> Paragraph:
        """A numbered item of an order; Word renumbers when a clerk adds or removes one."""
        return self.para(text, style="List Number")

    def heading(self, text: str, *, size: float = 13, before: float = 6, after: float = 6) -> None:
        self.para(text, bold=True, align=CENTER, size=size, before=before, after=after)

    def right_block(self, lines: Sequence[str], *, bold: bool = False) -> None:
        for line in lines:
            p = self.para(line, align=LEFT, bold=bold)
            p.paragraph_format.left_indent = Cm(9.5)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def landscape_section(self) -> None:
        """A landscape section on a new page, for a wide table (10 columns and more)."""
        body = self.doc.element.body
        before = body[-2] if len(body) > 1 else None  # the last block before the sentinel
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.left_margin, section.right_margin = Cm(1.5), Cm(1.5)
        section.top_margin, section.bottom_margin = Cm(2), Cm(1.5)
        _end_section_in(before)

    def order_annex(self, title: str) -> None:
        """The annex of an order, in landscape on a page of its own: its mark and its title."""
        self.landscape_section()
        self.para(
            self.ky_ru(
                "ОшМУнун {{ date|date_of }} № {{ number }} буйругуна тиркеме",
                "Приложение к приказу ОшГУ от {{ date|long_date }} № {{ number }}",
            ),
            align=RIGHT,
            italic=True,
            size=10,
        )
        self.heading(title)

    # Tables -------------------------------------------------------------------------------

    def _table(self, rows: int, widths: Sequence[float], *, borders: bool) -> Table:
        table = self.doc.add_table(rows=rows, cols=len(widths))
        if borders:
            table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        # LibreOffice lays out by the grid columns, Word by the cell widths: set both.
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
            _keep_whole(row._tr)
        return table

    @staticmethod
    def _write(
        cell: _Cell,
        text: str,
        *,
        bold: bool = False,
        size: float | None = None,
        align: WD_ALIGN_PARAGRAPH | None = None,
    ) -> None:
        p = cell.paragraphs[0]
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        p.alignment = align

    def loop_table(
        self,
        headers: Sequence[str],
        cells: Sequence[str],
        loop: str,
        widths: Sequence[float],
        *,
        size: float = 10,
        total: Sequence[str] | None = None,
    ) -> None:
        """A header row, then one row per item of `loop` ("s in students"), then an
        optional total row. The {%tr %} rows vanish when docxtpl renders."""
        rows = 4 + (1 if total else 0)
        table = self._table(rows, widths, borders=True)
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self._write(cell, text, bold=True, size=size, align=CENTER)
        self._write(table.rows[1].cells[0], "{%tr for " + loop + " %}", size=size)
        for cell, text in zip(table.rows[2].cells, cells, strict=True):
            self._write(cell, text, size=size)
        self._write(table.rows[3].cells[0], "{%tr endfor %}", size=size)
        if total:
            for cell, text in zip(table.rows[4].cells, total, strict=True):
                self._write(cell, text, bold=True, size=size)
        _repeat_header(table)

    def fields_table(
        self,
        rows: Sequence[tuple[str, str]],
        widths: Sequence[float] = (6, 11),
        *,
        size: float = 11,
    ) -> None:
        """Label / value rows; a label starting with "{%tr" makes a tag row."""
        table = self._table(len(rows), widths, borders=True)
        for row, (label, value) in zip(table.rows, rows, strict=True):
            if label.startswith("{%tr"):
                self._write(row.cells[0], label, size=size)
                continue
            self._write(row.cells[0], label, bold=True, size=size)
            self._write(row.cells[1], value, size=size)

    def blank_lines(self, count: int) -> None:
        for _ in range(count):
            self.para("_" * 78, align=LEFT, before=6)

    # Blocks every official document shares ---------------------------------------------------

    def letterhead(self) -> None:
        """The university's header in the document's language, then a double rule: a Russian
        document carries no Kyrgyz words and a Kyrgyz one no Russian (issue 12.2)."""
        ministry, university, address = {
            "ky": (
                "КЫРГЫЗ РЕСПУБЛИКАСЫНЫН ИЛИМ, ЖОГОРКУ БИЛИМ БЕРҮҮ ЖАНА ИННОВАЦИЯЛАР МИНИСТРЛИГИ",
                "ОШ МАМЛЕКЕТТИК УНИВЕРСИТЕТИ",
                "723500, Ош шаары, Ленин көчөсү, 331",
            ),
            "ru": (
                "МИНИСТЕРСТВО НАУКИ, ВЫСШЕГО ОБРАЗОВАНИЯ И ИННОВАЦИЙ КЫРГЫЗСКОЙ РЕСПУБЛИКИ",
                "ОШСКИЙ ГОСУДАРСТВЕННЫЙ УНИВЕРСИТЕТ",
                "723500, г. Ош, ул. Ленина, 331",
            ),
            "en": (
                "MINISTRY OF SCIENCE, HIGHER EDUCATION AND INNOVATION OF THE KYRGYZ REPUBLIC",
                "OSH STATE UNIVERSITY",
                "331 Lenin Street, Osh 723500, Kyrgyz Republic",
            ),
        }[self.language]
        self.para(ministry, align=CENTER, size=8)
        self.para(university, bold=True, align=CENTER, size=12)
        rule = self.para(address, align=CENTER, size=8, before=2)
        _bottom_rule(rule)

    def order_title(self, subject: str) -> None:
        """БУЙРУК / ПРИКАЗ, then date, city and number on one line, then the subject."""
        self.heading(self.ky_ru("БУЙРУК", "ПРИКАЗ"), size=15, before=10, after=6)
        self.date_number_line()
        self.para(subject, bold=True, align=CENTER, before=10, after=10)

    def date_number_line(self, *, number: str = "{{ number }}", date: str = "date") -> None:
        table = self._table(1, (6.5, 4, 6.5), borders=False)
        left, middle, right = table.rows[0].cells
        self._write(left, "{{ " + date + "|long_date }}", align=LEFT)
        self._write(middle, self.ky_ru("Ош шаары", "г. Ош", "Osh"), align=CENTER)
        self._write(right, "№ " + number, align=RIGHT)
        self.version_line()

    def version_line(self) -> None:
        """On a corrected reissue only: which version this is and which one it replaces."""
        self.tag("{%p if replaces %}")
        self.para(
            self.ky_ru(
                "{{ version }}-версия (оңдолгон), {{ replaces|date_of }} версиянын ордуна",
                "Версия {{ version }} (исправленная), заменяет версию от {{ replaces|long_date }}",
                "Version {{ version }} (corrected), replaces the version of "
                "{{ replaces|long_date }}",
            ),
            align=RIGHT,
            italic=True,
            size=10,
            before=4,
        )
        self.tag("{%p endif %}")

    def basis(self, lines: Sequence[str]) -> None:
        """The preamble: the regulation, then the documents the order rests on."""
        self.para(
            self.ky_ru(
                "«ОшМУнун академиялык мобилдүүлүк жөнүндө жобосуна» ылайык, төмөнкүлөрдүн "
                "негизинде:",
                "В соответствии с Положением об академической мобильности ОшГУ, на основании:",
            ),
            indent=True,
        )
        for line in lines:
            if line.startswith("{%p"):
                self.tag(line)
            else:
                self.para("– " + line, indent=True)
        self.para(
            self.ky_ru("БУЙРУК КЫЛАМ:", "ПРИКАЗЫВАЮ:"), bold=True, align=LEFT, before=8, after=6
        )

    def responsible_and_control(self) -> None:
        self.item(
            self.ky_ru(
                "Буйруктун аткарылышы боюнча жооптуулар: ", "Ответственные за исполнение приказа: "
            )
            + "{% for p in responsible %}{{ p.position }} {{ p.full_name }}"
            "{% if not loop.last %}; {% endif %}{% endfor %}."
        )
        self.item(
            self.ky_ru(
                "Буйруктун аткарылышын көзөмөлдөө {{ control.position }} "
                "{{ control.full_name }} тарабынан жүзөгө ашырылсын.",
                "Контроль за исполнением приказа возложить на: {{ control.position }} "
                "{{ control.full_name }}.",
            )
        )

    def signature(self, person: str = "signer", *, before: float = 18) -> None:
        table = self._table(1, (9, 8), borders=False)
        left, right = table.rows[0].cells
        self._write(left, "{{ " + person + ".position }}", bold=True, align=LEFT)
        self._write(right, "{{ " + person + ".full_name }}", bold=True, align=RIGHT)
        table.rows[0].cells[0].paragraphs[0].paragraph_format.space_before = Pt(before)
        table.rows[0].cells[1].paragraphs[0].paragraph_format.space_before = Pt(before)

    def people_signing(self, heading: str, loop: str) -> None:
        """A heading and one signature line per person, e.g. the visas of an order."""
        self.para(heading, bold=True, align=LEFT, before=14, after=4)
        self.tag("{%p for v in " + loop + " %}")
        self.para("{{ v.position }}  ____________  {{ v.full_name }}", align=LEFT, after=4)
        self.tag("{%p endfor %}")

    def visas(self) -> None:
        self.people_signing(self.ky_ru("Макулдашылды:", "Согласовано:", "Agreed:"), "visas")

    def executor(self) -> None:
        self.para(
            self.ky_ru("Аткаруучу: ", "Исполнитель: ", "Prepared by: ")
            + "{{ executor.full_name }}, "
            + self.ky_ru("тел.: ", "тел.: ", "tel.: ")
            + "{{ executor.phone }}",
            align=LEFT,
            size=9,
            before=14,
        )

    def annex_mark(self, number: int) -> None:
        self.para(
            self.ky_ru(f"{number}-тиркеме", f"Приложение {number}", f"Annex {number}"),
            align=RIGHT,
            italic=True,
            size=10,
        )

    def save(self, path: str) -> None:
        body = self.doc.element.body
        if len(body) > 1 and body[-2].tag == qn("w:tbl"):
            # A document cannot end with a table: Word and LibreOffice add a paragraph after
            # it, which spills onto a page of its own when the table fills the last page.
            # One of 1 pt with no spacing fits under any table.
            tail = self.para(align=LEFT)
            tail.paragraph_format.line_spacing = Pt(1)
            _tiny(tail._p)
        self.doc.save(path)


_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _bottom_rule(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "double"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # Word rejects pPr children out of schema order, so insert before the later ones.
    ppr.insert_element_before(borders, *_AFTER_PBDR)


def _repeat_header(table: Table) -> None:
    """Repeat the header row on each page: a 300-student table spans many pages."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _keep_whole(tr: BaseOxmlElement) -> None:
    """A table row is never split across pages (w:cantSplit): a student's line stays whole."""
    trpr = tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))  # first: CT_TrPr's children are ordered


def _tiny(p: BaseOxmlElement) -> None:
    ppr = p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
    for name in ("w:sz", "w:szCs"):
        size = OxmlElement(name)
        size.set(qn("w:val"), "2")
        rpr.append(size)


def _end_section_in(before: BaseOxmlElement | None) -> None:
    """python-docx ends a section with an empty paragraph of its own that holds the section's
    properties; when the section's text fills its last page, that paragraph makes a blank
    page before the next section. The section ends in its last paragraph of text instead
    (never a {%p %} tag paragraph, which rendering removes), or, after a table, in a 1 pt
    paragraph."""
    from docx.oxml.text.paragraph import CT_P

    body = before.getparent() if before is not None else None
    if body is None:
        return
    carrier = before.getnext()
    assert isinstance(carrier, CT_P) and carrier.pPr is not None
    sect = carrier.pPr.sectPr
    text = "".join(before.itertext()) if before.tag == qn("w:p") else ""
    if isinstance(before, CT_P) and text.strip() and "{%" not in text:
        carrier.pPr.remove(sect)
        before.set_sectPr(sect)
        body.remove(carrier)
    else:
        _tiny(carrier)
