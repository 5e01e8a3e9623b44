"""Reading a CSV or XLSX someone uploaded, without trusting it.

Rows are streamed (an XLSX through openpyxl's read-only mode, a CSV line by line), so memory
stays flat whatever the file says. What is refused, each with a message naming the line:

- a file over `MAX_BYTES` (the web's body limit refuses bigger ones earlier still);
- an XLSX that is not a zip, has more than `MAX_ZIP_ENTRIES` parts, or unpacks to more than
  `MAX_UNPACKED` bytes (a zip bomb: a small file that inflates to gigabytes);
- more than `MAX_ROWS` rows, or a cell over `MAX_CELL` characters;
- a CSV that is not UTF-8; a cell with NUL or another control character;
- any other way the file cannot be parsed (openpyxl's and csv's own errors).

The leading `'` that our exports put before `=`, `+`, `-`, `@` (sapar.services.exports) is
taken off again, so an exported registry imports as it was.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sapar.i18n import t

from .exports import unquote_cell
from .schemas import has_control

MB = 1024 * 1024
MAX_BYTES = 10 * MB
MAX_UNPACKED = 100 * MB
MAX_ZIP_ENTRIES = 2000
MAX_ROWS = 50_000
MAX_CELL = 2000
MAX_COLUMNS = 60


class TableRefused(ValueError):
    """The file as a whole cannot be read; the message is in the user's language."""


Cell = str | date | None


def _cell(value: Any) -> Cell:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unquote_cell(str(value).strip())


def check_kind(filename: str, *, lang: str = "en") -> None:
    """Refuse at once a file that is neither .csv nor .xlsx (before queueing an import)."""
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise TableRefused(t(lang, "import.wrong_type", filename=filename[:200]))


def read_rows(filename: str, content: bytes, *, lang: str = "en") -> Iterator[dict[str, Cell]]:
    """Each data row as {header: cell} (the first row is the header), streamed."""
    if len(content) > MAX_BYTES:
        raise TableRefused(t(lang, "error.too_large", mb=MAX_BYTES // MB))
    check_kind(filename, lang=lang)
    rows: Iterator[Sequence[Any]]
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content, lang)
    else:
        rows = _csv_rows(content, lang)
    header: list[str] | None = None
    for line, values in enumerate(rows, start=1):
        if header is None:
            header = [str(h or "").strip() for h in values][:MAX_COLUMNS]
            continue
        if line - 1 > MAX_ROWS:
            raise TableRefused(t(lang, "import.too_many_rows", max=MAX_ROWS))
        cells = [_cell(v) for v in values[: len(header)]]
        for name, cell in zip(header, cells, strict=False):
            if isinstance(cell, str) and len(cell) > MAX_CELL:
                raise TableRefused(
                    f"line {line}: {name}: " + t(lang, "invalid.too_long", max=MAX_CELL)
                )
            if isinstance(cell, str) and has_control(cell):
                raise TableRefused(f"line {line}: {name}: " + t(lang, "invalid.control"))
        yield {h: c for h, c in zip(header, cells, strict=False) if h}


def _xlsx_rows(content: bytes, lang: str) -> Iterator[tuple[Any, ...]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableRefused(t(lang, "import.unreadable", what=f"not an XLSX ({exc})")) from None
    if len(parts) > MAX_ZIP_ENTRIES or sum(p.file_size for p in parts) > MAX_UNPACKED:
        raise TableRefused(t(lang, "import.unpacks_too_big", mb=MAX_UNPACKED // MB))
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.active
        if sheet is None:
            raise TableRefused(t(lang, "import.unreadable", what="no sheet"))
        yield from sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    except TableRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        what = f"{type(exc).__name__}: {exc}"[:200]
        raise TableRefused(t(lang, "import.unreadable", what=what)) from None


def _csv_rows(content: bytes, lang: str) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableRefused(t(lang, "import.not_utf8")) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        raise TableRefused(
            f"line {reader.line_num}: " + t(lang, "import.unreadable", what=str(exc)[:200])
        ) from None
