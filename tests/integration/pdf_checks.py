"""Reading a PDF back the way a reader sees it (poppler's pdfinfo, pdftotext, pdffonts): its
pages with their size and text, the dates broken across lines, the fonts not embedded."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    text: str

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def blank(self) -> bool:
        return not self.text.strip()


_SIZE = re.compile(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", re.M)


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pages(pdf: Path) -> list[Page]:
    count = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1))  # type: ignore[union-attr]
    sizes = {
        int(m.group(1)): (float(m.group(2)), float(m.group(3)))
        for m in _SIZE.finditer(_run("pdfinfo", "-f", "1", "-l", str(count), str(pdf)))
    }
    # pdftotext ends every page with a form feed.
    texts = _run("pdftotext", str(pdf), "-").split("\f")
    return [Page(n, *sizes[n], texts[n - 1]) for n in range(1, count + 1)]


_RU_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_KY_MONTHS = "январ|феврал|март|апрел|май|июн|июл|август|сентябр|октябр|ноябр|декабр"
_EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
SHORT_DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}")
LONG_DATES = re.compile(
    rf"\d{{1,2}} (?:{_RU_MONTHS}) \d{{4}} г\."
    rf"|\d{{4}}-жылдын \d{{1,2}}-(?:{_KY_MONTHS})"
    rf"|\d{{1,2}} (?:{_EN_MONTHS}) \d{{4}}"
)


def broken_dates(text: str) -> list[str]:
    """Dates that a line break cuts in two ("30.07.202" / "6", "28 октября" / "2026 г."):
    found by joining the lines back — with nothing where a word was cut (a table date), with
    a space where a space was broken (a date in words) — and keeping the dates that cover a
    former line end."""
    text = text.replace("\u00a0", " ")
    found = []
    for glue, dates in (("", SHORT_DATE), (" ", LONG_DATES)):
        joined, ends, length = [], set(), 0
        for line in text.split("\n"):
            joined.append(line)
            length += len(line)
            ends.add(length)  # the position where this line ended in the joined text
            length += len(glue)
        whole = glue.join(joined)
        for match in dates.finditer(whole):
            if any(match.start() < end < match.end() for end in ends):
                found.append(match.group())
    return found


def fonts_not_embedded(pdf: Path) -> list[str]:
    """pdffonts: two header lines, then a font per line whose "emb" column is yes or no."""
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    return [line for line in lines if line.split()[-5] != "yes"]
