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
import logging
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sapar.i18n import t
from storage.orm import ImportStatus

from .exports import unquote_cell
from .schemas import has_control

log = logging.getLogger(__name__)
MB = 1024 * 1024
MAX_BYTES = 10 * MB
MAX_UNPACKED = 100 * MB
MAX_ZIP_ENTRIES = 2000
MAX_ROWS = 50_000
MAX_CELL = 2000
MAX_COLUMNS = 60


class LineRefused(ValueError):
    """An upload refused, at one of its lines (`line`, counting the header as 1) and field
    when known. It carries a message key and its values, not a sentence, so each reader
    hears it in their own language (`say`); `text`, when given, is a message already worded
    (a validation message in the language of the import)."""

    def __init__(
        self,
        key: str,
        *,
        line: int | None = None,
        field: str | None = None,
        text: str | None = None,
        **values: object,
    ) -> None:
        self.key, self.line, self.field, self.text, self.values = key, line, field, text, values
        super().__init__(self.say("en"))

    def message(self, lang: str) -> str:
        """Why, without where."""
        return self.text if self.text is not None else t(lang, self.key, **self.values)

    def where(self, lang: str) -> str:
        parts = [t(lang, "import.at_line", line=self.line)] if self.line else []
        # The column as the file names it; a refusal of the whole file needs no "file:".
        named = [self.field] if self.field and self.field != "file" else []
        return ": ".join([*parts, *named])

    def say(self, lang: str) -> str:
        where = self.where(lang)
        return f"{where}: {self.message(lang)}" if where else self.message(lang)

    def as_(self, kind: type[Refused], line: int | None = None) -> Refused:
        """The same refusal as `kind` (an importer's own), placed at `line` unless it is."""
        return kind(self.key, line=self.line or line, field=self.field, text=self.text,
                    **self.values)  # fmt: skip


Refused = TypeVar("Refused", bound=LineRefused)


class TableRefused(LineRefused):
    """The file as a whole cannot be read (or one of its cells): says where and why."""


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


def check_kind(filename: str) -> None:
    """Refuse at once a file that is neither .csv nor .xlsx (before queueing an import)."""
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise TableRefused("import.wrong_type", field="file", filename=filename[:200])


def read_rows(filename: str, content: bytes) -> Iterator[dict[str, Cell]]:
    """Each data row as {header: cell} (the first row is the header), streamed."""
    if len(content) > MAX_BYTES:
        raise TableRefused("error.too_large", field="file", mb=MAX_BYTES // MB)
    check_kind(filename)
    rows: Iterator[Sequence[Any]]
    rows = _xlsx_rows(content) if filename.lower().endswith(".xlsx") else _csv_rows(content)
    header: list[str] | None = None
    for line, values in enumerate(rows, start=1):
        if header is None:
            header = [str(h or "").strip() for h in values][:MAX_COLUMNS]
            continue
        if line - 1 > MAX_ROWS:
            raise TableRefused("import.too_many_rows", field="file", max=MAX_ROWS)
        cells = [_cell(v) for v in values[: len(header)]]
        for name, cell in zip(header, cells, strict=False):
            if isinstance(cell, str) and len(cell) > MAX_CELL:
                raise TableRefused("invalid.too_long", line=line, field=name, max=MAX_CELL)
            if isinstance(cell, str) and has_control(cell):
                raise TableRefused("invalid.control", line=line, field=name)
        yield {h: c for h, c in zip(header, cells, strict=False) if h}


def _xlsx_rows(content: bytes) -> Iterator[tuple[Any, ...]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableRefused("import.not_xlsx", field="file") from exc
    if len(parts) > MAX_ZIP_ENTRIES or sum(p.file_size for p in parts) > MAX_UNPACKED:
        raise TableRefused("import.unpacks_too_big", field="file", mb=MAX_UNPACKED // MB)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.active
        if sheet is None:
            raise TableRefused("import.no_sheet", field="file")
        yield from sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    except TableRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        # openpyxl's own words are English and technical: logged, not shown.
        log.info("an XLSX upload could not be read: %s: %s", type(exc).__name__, exc)
        raise TableRefused("import.cannot_read", field="file") from exc


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableRefused("import.not_utf8", field="file") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        log.info("a CSV upload could not be read: %s", exc)
        raise TableRefused("import.cannot_read", line=reader.line_num, field="file") from None


Parsed = TypeVar("Parsed")


def read_lines(
    filename: str,
    content: bytes,
    parse: Callable[[int, dict[str, Cell]], Parsed | None],
    *,
    refused: type[LineRefused],
    progress: Callable[[str, int, int], None],
    every: int = 500,
) -> list[Parsed]:
    """Every data line of the file through `parse(line, row)` (None: a blank line, skipped),
    nothing written anywhere: the importers' first pass. The first refusal — of the file, a
    cell, or a line by `parse` — stops it as a `refused`, naming its line and field; progress
    is reported every `every` lines."""
    found: list[Parsed] = []
    try:
        for line, row in enumerate(read_rows(filename, content), start=2):
            try:
                parsed = parse(line, row)
            except LineRefused as exc:
                raise exc.as_(refused, line) from None
            if parsed is None:
                continue
            found.append(parsed)
            if len(found) % every == 0:
                progress(ImportStatus.checking, len(found), 0)
    except TableRefused as exc:
        raise exc.as_(refused) from None
    return found
