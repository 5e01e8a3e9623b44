"""A date typed the way clerks here write it is read day first."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sapar.services.schemas import FireIn


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("01.09.2026", date(2026, 9, 1)), ("1.9.2026", date(2026, 9, 1)),
     ("31/12/2026", date(2026, 12, 31)), ("2026-09-01", date(2026, 9, 1))],
)  # fmt: skip
def test_a_typed_date_is_day_month_year(typed: str, meant: date) -> None:
    assert (
        FireIn.model_validate({"event": "return_home", "actual_end_date": typed}).actual_end_date
        == meant
    )


def test_a_day_that_is_not_in_the_calendar_is_refused_as_a_date() -> None:
    with pytest.raises(ValidationError) as caught:
        FireIn.model_validate({"event": "return_home", "actual_end_date": "31.02.2026"})
    assert caught.value.errors()[0]["type"] == "date_parsing"
