"""Jinja filters the templates use to write dates and numbers in the document's language.

Kyrgyz templates: {{ date|long_date }} "2026-жылдын 22-ноябры", {{ date|date_of }}
"2026-жылдын 22-ноябрындагы", {{ start|period(end) }} "…-февралынан …-июнуна чейин",
{{ date|date_from }} / {{ date|date_to }} for "from"/"until". Russian templates:
{{ date|long_date }} "22 ноября 2026 г.", {{ start|period(end) }} "с … по …".
Russian only: {{ full_name|inflect("dative", gender) }} "Жолдошбекову Нурсултану" (names
declined with petrovich, documents/names.py). Both: {{ full_name|dear(gender) }} the
salutation ("Урматтуу …" / "Уважаемая …"), {{ semester|term }} "жазгы" / "весенний",
{{ date|short_date }} "22.11.2026", {{ credits|num }} "7,5". English templates (letters abroad):
{{ date|long_date }} "22 November 2026", {{ start|period(end) }} "from … to …", "Dear …",
{{ credits|num }} "7.5".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from babel.numbers import format_decimal

from documents import dates, names

_TERMS = {
    "ky": {"fall": "күзгү", "spring": "жазгы", "summer": "жайкы"},
    "ru": {"fall": "осенний", "spring": "весенний", "summer": "летний"},
    "en": {"fall": "fall", "spring": "spring", "summer": "summer"},
}


def _dear(full_name: str, gender: str | None = None, *, language: str) -> str:
    if language == "ky":
        return f"Урматтуу {full_name}"
    if language == "en":  # the name as written: no title guessed from a gender
        return f"Dear {full_name}"
    sex = names.gender_of(full_name, gender)
    if sex is None:  # never "Уважаемый(ая)": a greeting that needs no gender
        return f"Здравствуйте, {full_name}"
    return f"{'Уважаемая' if sex == 'female' else 'Уважаемый'} {full_name}"


def _term(semester: str, *, language: str) -> str:
    return _TERMS[language].get(semester, semester)


def _number(value: Decimal | int | float, locale: str) -> str:
    return format_decimal(value, locale=locale, group_separator=False)


NBSP = "\u00a0"
# The spaces inside one date: "2026-жылдын 22-ноябры", "22 ноября 2026 г.", "22 November 2026".
_INSIDE_A_DATE = re.compile(
    r"(?<=\d{4}-жылдын) (?=\d)"  # Kyrgyz: the year, then the day and month
    r"|(?<=\d) (?=[^\W\d_]+ \d{4})"  # day, then month (ru, en)
    r"|(?<=[^\W\d_]) (?=\d{4}\b(?!-))"  # month, then year (ru, en; not a Kyrgyz year)
    r"|(?<=\d{4}) (?=г\.)"  # year, then "г."
)


def _whole(text: str) -> str:
    """A date is never broken across lines (issue 12.6): the spaces inside it are
    non-breaking; those between a period's two dates and its words stay ordinary."""
    return _INSIDE_A_DATE.sub(NBSP, text)


def _kept(write: Callable[..., str]) -> Callable[..., str]:
    def kept(*args: Any, **kwargs: Any) -> str:
        return _whole(write(*args, **kwargs))

    return kept


def for_language(language: str) -> dict[str, Callable[..., Any]]:
    common: dict[str, Callable[..., Any]] = {
        "short_date": dates.short_date,
        "num": partial(_number, locale=language),
        "dear": partial(_dear, language=language),
        "term": partial(_term, language=language),
    }
    if language == "ky":
        return common | {
            "long_date": _kept(dates.kyrgyz_date),
            "date_of": _kept(partial(dates.kyrgyz_date, case="attributive")),
            "date_from": _kept(partial(dates.kyrgyz_date, case="ablative")),
            "date_to": _kept(partial(dates.kyrgyz_date, case="dative")),
            "period": _kept(dates.kyrgyz_period),
        }
    if language == "en":
        return common | {
            "long_date": _kept(dates.english_date),
            "period": _kept(dates.english_period),
        }
    return common | {
        "long_date": _kept(dates.russian_date),
        "period": _kept(dates.russian_period),
        "inflect": names.inflect,
    }
