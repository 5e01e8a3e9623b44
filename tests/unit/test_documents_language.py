"""Each language clean (issue 12.2): no Kyrgyz letters outside names in a Russian document, no
Russian words in a Kyrgyz one, Russian names declined by case and gender, no "г.." doubled;
the golden texts pin one order per language word for word."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from documents import LANGUAGES, TEMPLATED, DocumentKind, languages_of, render
from documents.docx_text import full_text
from documents.names import infer_gender, inflect
from documents.samples import sample_data

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
KYRGYZ_ONLY = re.compile(r"[өүңӨҮҢ]")
CYRILLIC = re.compile(r"[А-Яа-яЁёӨөҮүҢң]")
# Words a Kyrgyz document has no business printing: Russian function words and terms, and the
# English values of stored fields ("spring", "budget") that must be translated.
RUSSIAN_OR_RAW = {
    "и", "в", "по", "от", "на", "для", "с", "до", "года", "г.", "приказ", "приказа",
    "приложение", "студента", "обучения", "весенний", "осенний", "семестр:", "spring", "fall",
    "summer", "budget", "contract", "none", "true", "false",
}  # fmt: skip
KINDS_AND_LANGUAGES = [(k, lang) for k in TEMPLATED for lang in languages_of(k)]
IDS = [f"{k.value}-{lang}" for k, lang in KINDS_AND_LANGUAGES]


def _names(data: Any) -> set[str]:
    """Every person's name in a context (names are the one thing not translated)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and (key.endswith("full_name") or key == "teacher"):
                found.add(value)
            else:
                found |= _names(value)
    elif isinstance(data, list):
        for item in data:
            found |= _names(item)
    return found


def _without_names(text: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def _text(kind: DocumentKind, language: str) -> tuple[str, set[str]]:
    data = sample_data(kind, language)  # type: ignore[arg-type]
    text = full_text(render(kind, language, data).content)  # type: ignore[arg-type]
    # Russian forms of the names appear declined: take those out too.
    names = _names(data)
    names |= {inflect(n, c) for n in names for c in ("genitive", "dative", "accusative")}
    return text, names


@pytest.mark.parametrize(("kind", "language"), KINDS_AND_LANGUAGES, ids=IDS)
def test_every_word_of_a_document_is_in_its_language(kind: DocumentKind, language: str) -> None:
    text, names = _text(kind, language)
    clean = _without_names(text, names)
    if language == "ru":
        assert not [line for line in clean.splitlines() if KYRGYZ_ONLY.search(line)]
    elif language == "en":  # a letter abroad: not one Cyrillic letter, names in Latin too
        assert not [line for line in text.splitlines() if CYRILLIC.search(line)]
    else:
        words = {w.lower().strip(",;:()«»!") for w in clean.split()}
        assert not words & RUSSIAN_OR_RAW
    assert "г.." not in text and "(ая)" not in text and "(лась)" not in text


def test_russian_names_are_declined_by_case_and_gender() -> None:
    assert inflect("Жолдошбеков Нурсултан Эрменович", "dative") == (
        "Жолдошбекову Нурсултану Эрменовичу"
    )
    assert inflect("Жолдошбекова Айгерим", "genitive", "female") == "Жолдошбековой Айгерим"
    assert inflect("Mehmet Yılmaz", "dative", "male") == "Mehmet Yılmaz"  # Latin: as written
    assert inflect("Асан Бакыт", "dative") == "Асан Бакыт"  # gender unknown: not guessed
    assert infer_gender("Абдыкадырова Гүлнара") == "female"
    assert infer_gender("Асанов Нурбек") == "male"


def test_a_notice_is_addressed_in_the_dative_with_the_students_gender() -> None:
    data = sample_data(DocumentKind.missed_deadline_notice, "ru")
    data |= {"full_name": "Жолдошбекова Айгерим Эрменовна", "gender": "female"}
    text = full_text(render(DocumentKind.missed_deadline_notice, "ru", data).content)
    assert "Студентке Жолдошбековой Айгерим Эрменовне" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mobility_order_matches_its_golden_text(language: str) -> None:
    """The whole text of one order per language, word for word: a change to a template or a
    context shows here, and is accepted by rewriting tests/golden/ (SAPAR_GOLDEN=write)."""
    text = full_text(
        render("mobility_order", language, sample_data("mobility_order", language)).content
    )  # type: ignore[arg-type]
    golden = GOLDEN / f"mobility_order_{language}.txt"
    if __import__("os").environ.get("SAPAR_GOLDEN") == "write":
        golden.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == golden.read_text(encoding="utf-8")
