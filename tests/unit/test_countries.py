"""Countries are ISO 3166 codes named in the reader's language (issue 13.5)."""

from __future__ import annotations

import pytest

from storage import countries


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Германия", "DE"), ("Deutschland", "DE"), ("Türkiye", "TR"), ("Түркия", "TR"),
     ("Turkey", "TR"), ("kz", "KZ"), ("Кыргыз Республикасы", "KG"), ("Киргизия", "KG"),
     ("  Казахстан ", "KZ")],
)  # fmt: skip
def test_a_country_typed_as_its_name_in_any_language_we_know_or_its_code_is_recognised(
    typed: str, code: str
) -> None:
    assert countries.code_of(typed) == code


@pytest.mark.parametrize("typed", ["Narnia", "Нарния", "", "   ", None, "EU", "ZZ"])
def test_a_name_no_list_knows_and_the_groupings_are_not_countries(typed: str | None) -> None:
    assert countries.code_of(typed) is None


def test_a_code_is_named_in_the_readers_language_and_kyrgyzstan_as_it_names_itself() -> None:
    assert [countries.name(lang, "DE") for lang in ("ky", "ru", "en")] == [
        "Германия", "Германия", "Germany"
    ]  # fmt: skip
    assert countries.name("ru", "KG") == "Кыргызстан"  # not CLDR's colloquial "Киргизия"
    assert countries.name("ky", "Нарния") == "Нарния"  # a value typed before the list stays
    assert countries.name("en", None) == "—"


def test_the_picklist_offers_every_country_once_by_name_in_the_readers_language() -> None:
    options = countries.choices("ru")
    assert len({code for code, _ in options}) == len(options) > 240
    assert ("KG", "Кыргызстан") in options and not any(c == "EU" for c, _ in options)
    names = [name for _, name in options]
    assert names.index("Австралия") < names.index("Германия") < names.index("Япония")
