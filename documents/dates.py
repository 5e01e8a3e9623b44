"""Dates as official Kyrgyz and Russian documents write them (and English letters abroad).

Kyrgyz official style puts the year in the genitive and the month in the possessive
(3rd person) form: "2026-жылдын 22-ноябры". The month names are the Russian loans with
the soft sign dropped; the possessive suffix follows vowel harmony with the month's last
vowel (а/я → -ы, е → -и, у/ю → -у; май takes -ы after its й):

    январы  февралы  марты   апрели   майы      июну
    июлу    августу  сентябры октябры ноябры   декабры

The case forms documents need are built on that possessive stem, again by harmony
(stem ends in ы or у → back suffix, и → front suffix):

    ablative "from"        +нан/+нен   "1-февралынан", "1-апрелинен"
    dative "until ... "    +на/+не     "30-июнуна чейин", "1-апрелине чейин"
    attributive "dated"    +ндагы/+ндеги  "22-ноябрындагы № 45 буйрук"

Every form above was checked against the OshU/OshTU texts in /work/shared/seeds
("1-январына", "20-апрелинде", "4-октябрында", "июнуна", "майынан", "февралынан", ...).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from babel.dates import format_date

KyrgyzCase = Literal["nominative", "ablative", "dative", "attributive"]

# Possessive forms, index 0 = January.
KYRGYZ_MONTHS: tuple[str, ...] = (
    "январы",
    "февралы",
    "марты",
    "апрели",
    "майы",
    "июну",
    "июлу",
    "августу",
    "сентябры",
    "октябры",
    "ноябры",
    "декабры",
)

_FRONT_SUFFIXES = {"ablative": "нен", "dative": "не", "attributive": "ндеги"}
_BACK_SUFFIXES = {"ablative": "нан", "dative": "на", "attributive": "ндагы"}


def kyrgyz_month(month: int, case: KyrgyzCase = "nominative") -> str:
    """The month (1–12) in the possessive form, declined for `case`."""
    stem = KYRGYZ_MONTHS[month - 1]
    if case == "nominative":
        return stem
    suffixes = _FRONT_SUFFIXES if stem.endswith("и") else _BACK_SUFFIXES
    return stem + suffixes[case]


def kyrgyz_date(day: date, case: KyrgyzCase = "nominative", *, with_year: bool = True) -> str:
    """ "2026-жылдын 22-ноябры"; with case="attributive": "2026-жылдын 22-ноябрындагы"."""
    text = f"{day.day}-{kyrgyz_month(day.month, case)}"
    return f"{day.year}-жылдын {text}" if with_year else text


def kyrgyz_period(start: date, end: date) -> str:
    """ "2027-жылдын 1-февралынан 30-июнуна чейин" (the year is repeated only when it changes)."""
    first = kyrgyz_date(start, "ablative")
    last = kyrgyz_date(end, "dative", with_year=end.year != start.year)
    return f"{first} {last} чейин"


def russian_date(day: date) -> str:
    """ "22 ноября 2026 г." — the genitive month form babel's ru locale gives."""
    return format_date(day, "d MMMM y 'г.'", locale="ru")


def russian_period(start: date, end: date) -> str:
    """ "с 1 февраля 2027 г. по 30 июня 2027 г." """
    return f"с {russian_date(start)} по {russian_date(end)}"


def english_date(day: date) -> str:
    """ "22 November 2026", as British and international letters write it."""
    return format_date(day, "d MMMM y", locale="en")


def english_period(start: date, end: date) -> str:
    """ "from 1 February 2027 to 30 June 2027" """
    return f"from {english_date(start)} to {english_date(end)}"


def short_date(day: date) -> str:
    """ "22.11.2026", the form both languages use in tables."""
    return day.strftime("%d.%m.%Y")
