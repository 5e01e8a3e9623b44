"""Countries as ISO 3166-1 alpha-2 codes, named in ky/ru/en from Babel's locale data (CLDR).

Cases store the code; every page, export and statistic shows the name in the reader's
language. CLDR's Kyrgyz names cover every code; should a name ever be missing, the English
one is shown, then the code itself. `code_of` recognises a country typed as free text — its
code, or its name in Kyrgyz, Russian, English or the main languages of our partners
("Deutschland", "Turkey", "Германия") — for the data migration and for the API, which
accepts a name it can recognise."""

from __future__ import annotations

from functools import cache

from babel import Locale

from storage.search import fold

# CLDR territories that are not ISO 3166-1 countries: groupings, the unknown region and the
# "exceptionally reserved" codes (Canary Islands, Ceuta and Melilla, Diego Garcia...).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "CP", "DG", "EA", "IC", "TA"})
# Languages whose names of countries are recognised in free text, the interface's first.
RECOGNISED = ("ky", "ru", "en", "de", "tr", "kk", "uz", "fr", "es", "it", "pl", "zh", "ko",
              "ja", "ar", "fa", "hu", "cs")  # fmt: skip
ALIASES = {"usa": "US", "us": "US", "uk": "GB", "great britain": "GB", "turkey": "TR",
           "korea": "KR", "россия": "RU", "кыргызстан": "KG", "киргизия": "KG",
           "кыргыз республикасы": "KG", "кыргызская республика": "KG",
           "корея республикасы": "KR", "республика корея": "KR"}  # fmt: skip


@cache
def codes() -> tuple[str, ...]:
    territories = [str(c) for c in Locale("en").territories]
    return tuple(
        sorted(c for c in territories if len(c) == 2 and c.isalpha() and c not in NOT_COUNTRIES)
    )


def is_code(value: str | None) -> bool:
    return value is not None and value in _code_set()


@cache
def _code_set() -> frozenset[str]:
    return frozenset(codes())


# Where the name a state uses for itself differs from CLDR's: Russian official usage in the
# Kyrgyz Republic is "Кыргызстан" (CLDR has the colloquial "Киргизия"), and OshSU's own papers
# print it for every domestic mobility.
PREFERRED = {("ru", "KG"): "Кыргызстан"}


def name(lang: str, value: str | None) -> str:
    """The country's name in `lang`; a value that is not a code is shown as it was typed."""
    if not value:
        return "—"
    if value not in _code_set():
        return value
    if (lang, value) in PREFERRED:
        return PREFERRED[(lang, value)]
    for locale in (lang, "en"):
        found = Locale.parse(locale).territories.get(value)
        if found:
            return str(found)
    return value


@cache
def name_if_any(lang: str, value: str | None) -> str | None:
    """As `name`, but nothing stays nothing: a paper's context leaves an unknown citizenship
    empty, so the readiness check names it as missing instead of printing "—"."""
    return name(lang, value) if value else None


def choices(lang: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, by name in `lang` (the picklist's options)."""
    return tuple(sorted(((c, name(lang, c)) for c in codes()), key=lambda p: fold(p[1])))


@cache
def _index() -> dict[str, str]:
    found: dict[str, str] = {}
    for locale in RECOGNISED:
        territories = Locale.parse(locale).territories
        for code in codes():
            text = territories.get(code)
            if text:
                found.setdefault(_key(str(text)), code)
    for alias, code in ALIASES.items():
        found.setdefault(_key(alias), code)
    return found


def _key(text: str) -> str:
    # Folded (ü = u, Cyrillic = Latin), or as it is for scripts fold drops (中国).
    return fold(text) or text.strip().casefold()


def code_of(text: str | None) -> str | None:
    """The code of a country typed as its code or its name; None when not recognised."""
    if not text or not text.strip():
        return None
    value = text.strip()
    if value.upper() in _code_set() and len(value) == 2:
        return value.upper()
    return _index().get(_key(value))
