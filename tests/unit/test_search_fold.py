"""One folded spelling for a name however it is typed (storage/search.py)."""

from __future__ import annotations

import pytest

from storage.search import case_number, fold, terms


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Кумушай Төлөбаева", "kumushai tolobaeva"),
        ("Kumushai Tolobaeva", "kumushai tolobaeva"),
        ("Kumushay Tölöbaeva", "kumushai tolobaeva"),
        ("кумушай толобаева", "kumushai tolobaeva"),  # a Russian keyboard: ө typed as о
        ("Жылдыз", "jildiz"),
        ("Zhyldyz", "jildiz"),
        ("Jyldyz", "jildiz"),
        ("Айжан", "aijan"),
        ("Ayzhan", "aijan"),
        ("Үмүт", "umut"),
        ("Ümüt", "umut"),
        ("Лейпциг", "leipzig"),
        ("Leipzig Universität", "leipzig universitat"),
        ("ФК-22", "fk 22"),
    ],
)
def test_every_spelling_of_a_name_folds_to_one(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_a_case_number_is_read_with_or_without_its_sign() -> None:
    assert [case_number(q) for q in ("100", "#100", "№ 100", "10a", "")] == [
        100,
        100,
        100,
        None,
        None,
    ]


def test_a_query_becomes_its_folded_words() -> None:
    assert terms("  Төлөбаева,  Кумушай ") == ["tolobaeva", "kumushai"]
