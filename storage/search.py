"""Search that forgives: one folded spelling for a name however it was typed.

Clerks type a student's name in Cyrillic, in one of several Latin transliterations
("Kumushai", "Kumushay"), or on a Russian keyboard that has no ү, ө, ң (so "Кумушай Тулөбаева"
arrives as "тулобаева"). `fold` maps all of these to one ASCII spelling, stored beside the
row (participants.search_text, cases.search_text), so a plain LIKE finds it on SQLite and on
PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Kyrgyz letters, as a Russian keyboard types them (ү→у, ө→о, ң→н).
    "ү": "u", "ө": "o", "ң": "n",
    # Kazakh and other letters a partner's or a guest's name may carry.
    "ә": "a", "ғ": "g", "қ": "k", "ұ": "u", "һ": "h", "і": "i",
}  # fmt: skip
# Latin spellings of the same sound, made one: Zhyldyz/Jyldyz, Aibek/Aybek, Khan/Han,
# Leipzig/Лейпциг.
_LATIN = (
    ("dzh", "j"), ("zh", "j"), ("dj", "j"), ("kh", "h"), ("q", "k"), ("w", "v"), ("x", "ks"),
    ("y", "i"), ("ts", "z"), ("tz", "z"),
)  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_CASE_NUMBER = re.compile(r"^(?:#|№)?\s*(\d{1,9})$")


def fold(*parts: str | None) -> str:
    """'Кумушай Төлөбаева', 'Kumushay Tolobaeva', 'кумушай толобаева' → 'kumushai tolobaeva'."""
    text = " ".join(p for p in parts if p).lower()
    text = "".join(_CYRILLIC.get(ch, ch) for ch in text)
    # Latin letters with marks (ü, ö, ş, ç, ğ, é) lose them; ı is i.
    text = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for spelled, one in _LATIN:
        text = text.replace(spelled, one)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def case_number(token: str) -> int | None:
    """'100', '#100', '№100' → 100."""
    found = _CASE_NUMBER.match(token.strip())
    return int(found.group(1)) if found else None


def terms(query: str) -> list[str]:
    """The words of a query, folded; each must appear (in any order)."""
    return fold(query).split()
