"""Spreadsheets we hand out: every text cell is inert, whatever a user typed into it.

A name like `=HYPERLINK("http://evil", "click")` or `+cmd|' /C calc'!A0` is a formula to Excel
and LibreOffice when it arrives in a CSV cell. Following OWASP's "CSV Injection" guidance, a
cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which
the spreadsheet shows as text and does not evaluate. In XLSX every str is written as a string
cell (openpyxl would otherwise store a leading `=` as a formula); only values the exporter
means as numbers (ints, floats, dates) are written as such.

The imports undo the leading `'` (`unquote_cell`), so an export read back is the same registry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

# OWASP: "=", "+", "-", "@", tab (0x09) and carriage return (0x0D) start a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The BOM makes Excel read the Cyrillic right.
BOM = "\ufeff"


def safe_cell(value: Any) -> Any:
    """The value as a CSV cell: text that a spreadsheet would evaluate gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return "" if value is None else value


def unquote_cell(value: str) -> str:
    """What an exported cell said before `safe_cell`: the inverse, for imports."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document (with the BOM) whose every cell went through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return BOM + out.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return csv_text(header, rows).encode("utf-8")


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row where text stays text: a str is a string cell even if it starts with `=`."""
    cells: list[Any] = []
    for value in values:
        if isinstance(value, str):
            cell = Cell(sheet, value=None)
            # Assigning a str that starts with "=" would make it a formula; set it as a string.
            cell._value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"
            cells.append(cell)
        elif value is None or isinstance(value, int | float | date):
            cells.append(value)
        else:
            cells.append(str(value))
    sheet.append(cells)
