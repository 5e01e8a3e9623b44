"""People's names as Russian sentences need them: declined by case, with the person's gender.

"Студенту Жолдошбекову Нурсултану Эрменовичу", "Студентки Жолдошбековой Айгерим" — declined
with `petrovich` (rules for Russian anthroponyms, which also cover Kyrgyz names written in
Cyrillic). A name in Latin letters (a foreign guest) is left as written. The gender is the
person's recorded one; without it, it is read from the patronymic (-вич / -вна, уулу / кызы)
or the surname (-ова / -ева / -ина); when neither tells, the name is left undeclined rather
than guessed wrong.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from petrovich.enums import Case, Gender
from petrovich.main import Petrovich

RussianCase = Literal["genitive", "dative", "accusative", "instrumental", "prepositional"]
Sex = Literal["female", "male"]

_CASES = {
    "genitive": Case.GENITIVE,
    "dative": Case.DATIVE,
    "accusative": Case.ACCUSATIVE,
    "instrumental": Case.INSTRUMENTAL,
    "prepositional": Case.PREPOSITIONAL,
}
_CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁёӨөҮүҢң-]+$")


@cache
def _petrovich() -> Petrovich:
    return Petrovich()


def infer_gender(full_name: str) -> Sex | None:
    words = full_name.lower().replace(".", " ").split()
    if any(w.endswith(("вна", "чна")) for w in words) or "кызы" in words:
        return "female"
    if any(w.endswith("вич") for w in words) or "уулу" in words:
        return "male"
    if words and words[0].endswith(("ова", "ева", "ина", "ёва", "ская")):
        return "female"
    if words and words[0].endswith(("ов", "ев", "ин", "ёв", "ский")):
        return "male"
    return None


def gender_of(full_name: str, gender: str | None) -> Sex | None:
    if gender in ("female", "male"):
        return gender  # type: ignore[return-value]
    return infer_gender(full_name)


_INITIAL = re.compile(r"^[А-ЯЁӨҮҢ]\.$")


def _inflect_initialled(words: list[str], case: RussianCase, gender: str | None) -> str | None:
    """ "К. Г. Кожобеков" (an official as signatures print them) → "К. Г. Кожобекову": only
    the surname declines. None when the name is not initials and one surname."""
    rest = [w for w in words if not _INITIAL.match(w)]
    if len(rest) != 1 or len(rest) == len(words) or not _CYRILLIC_WORD.match(rest[0]):
        return None
    sex = gender_of(rest[0], gender)
    if sex is None:
        return " ".join(words)
    g = Gender.FEMALE if sex == "female" else Gender.MALE
    declined = _petrovich().lastname(rest[0], _CASES[case], g)
    return " ".join(declined if w == rest[0] else w for w in words)


def inflect(full_name: str, case: RussianCase, gender: str | None = None) -> str:
    """The full name ("Фамилия Имя Отчество", as OshSU writes it) in a Russian case."""
    words = full_name.split()
    initialled = _inflect_initialled(words, case, gender)
    if initialled is not None:
        return initialled
    sex = gender_of(full_name, gender)
    if sex is None or not words or not all(_CYRILLIC_WORD.match(w) for w in words):
        return full_name
    p, c = _petrovich(), _CASES[case]
    g = Gender.FEMALE if sex == "female" else Gender.MALE
    out = [p.lastname(words[0], c, g)]
    if len(words) > 1:
        out.append(p.firstname(words[1], c, g))
    for word in words[2:]:
        # A patronymic declines; the Kyrgyz "уулу" / "кызы" after a father's name does not.
        out.append(word if word.lower() in ("уулу", "кызы") else p.middlename(word, c, g))
    return " ".join(out)


# Kyrgyz passport romanisation (as in the ID cards' Latin line): ө ү → o u, ң → ng.
_CYRILLIC = "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя"
_ROMAN = [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "ng", "o", "o",
    "p", "r", "s", "t", "u", "u", "f", "kh", "ts", "ch", "sh", "shch", "-", "y", "-", "e", "yu",
    "ya",
]  # fmt: skip
_LATIN = {c: ("" if r == "-" else r) for c, r in zip(_CYRILLIC, _ROMAN, strict=True)}


def latin(text: str) -> str:
    """A name in Latin letters for a paper in English, when the registry has no passport
    spelling: "Үсөнов Өмүрбек" → "Usonov Omurbek". Latin text is left as written."""
    out = []
    for ch in text:
        low = ch.lower()
        if low not in _LATIN:
            out.append(ch)
            continue
        romanised = _LATIN[low]
        out.append(romanised.capitalize() if ch != low else romanised)
    return "".join(out)
