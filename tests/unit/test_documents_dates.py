from datetime import date

import pytest

from documents.dates import (
    kyrgyz_date,
    kyrgyz_month,
    kyrgyz_period,
    russian_date,
    russian_period,
    short_date,
)

OFFICIAL_KYRGYZ = [
    (date(2026, 11, 22), "2026-жылдын 22-ноябры"),
    (date(2027, 1, 1), "2027-жылдын 1-январы"),
    (date(2027, 2, 15), "2027-жылдын 15-февралы"),
    (date(2027, 3, 8), "2027-жылдын 8-марты"),
    (date(2027, 4, 1), "2027-жылдын 1-апрели"),
    (date(2027, 5, 9), "2027-жылдын 9-майы"),
    (date(2027, 6, 1), "2027-жылдын 1-июну"),
    (date(2027, 7, 1), "2027-жылдын 1-июлу"),
    (date(2027, 8, 31), "2027-жылдын 31-августу"),
    (date(2027, 9, 1), "2027-жылдын 1-сентябры"),
    (date(2027, 10, 1), "2027-жылдын 1-октябры"),
    (date(2026, 12, 25), "2026-жылдын 25-декабры"),
]


@pytest.mark.parametrize(("day", "expected"), OFFICIAL_KYRGYZ)
def test_kyrgyz_dates_use_the_official_possessive_month_forms(day: date, expected: str) -> None:
    assert kyrgyz_date(day) == expected


def test_kyrgyz_case_forms_follow_vowel_harmony_as_in_the_seed_texts() -> None:
    # Forms attested in the OshU/OshTU texts: "1-январына", "20-апрелинде", "4-октябрында",
    # "майынан", "июнуна", "февралынан".
    assert kyrgyz_month(1, "dative") == "январына"
    assert kyrgyz_month(4, "ablative") == "апрелинен"
    assert kyrgyz_month(5, "ablative") == "майынан"
    assert kyrgyz_month(6, "dative") == "июнуна"
    assert kyrgyz_month(2, "ablative") == "февралынан"
    assert kyrgyz_date(date(2026, 11, 23), "attributive") == "2026-жылдын 23-ноябрындагы"
    assert kyrgyz_date(date(2027, 4, 1), "attributive") == "2027-жылдын 1-апрелиндеги"


def test_a_kyrgyz_period_names_the_year_again_only_when_it_changes() -> None:
    assert (
        kyrgyz_period(date(2027, 2, 1), date(2027, 6, 30))
        == "2027-жылдын 1-февралынан 30-июнуна чейин"
    )
    assert (
        kyrgyz_period(date(2026, 9, 1), date(2027, 1, 31))
        == "2026-жылдын 1-сентябрынан 2027-жылдын 31-январына чейин"
    )


def test_russian_dates_use_the_genitive_month_and_the_year_abbreviation() -> None:
    assert russian_date(date(2026, 11, 22)) == "22 ноября 2026 г."
    assert russian_date(date(2027, 5, 9)) == "9 мая 2027 г."
    assert russian_period(date(2027, 2, 1), date(2027, 6, 30)) == (
        "с 1 февраля 2027 г. по 30 июня 2027 г."
    )


def test_table_dates_are_day_month_year_with_dots() -> None:
    assert short_date(date(2027, 2, 1)) == "01.02.2027"
