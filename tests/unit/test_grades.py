"""Grade conversion to OshSU's 100-point scale and the recognition outcome (4.8, "ФД duties")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from states.grades import (
    DEFAULT_BANDS,
    DEFAULT_GRADE_TABLES,
    Band,
    GradeError,
    GradeTableError,
    GradeTables,
    HomeGrade,
    RecognitionOutcome,
    Scale,
    home_grade,
    recognition_outcome,
    to_hundred,
)

# to_hundred


@pytest.mark.parametrize(
    ("letter", "score"),
    [("A", 93), ("B", 83), ("C", 76), ("D", 70), ("E", 64), ("FX", 45), ("F", 15)],
)
def test_an_ects_letter_becomes_a_score_in_the_home_band_of_the_same_letter(
    letter: str, score: int
) -> None:
    assert to_hundred(letter, Scale.ects) == score
    assert home_grade(score).letter == letter


def test_ects_letters_are_read_regardless_of_case_and_spaces() -> None:
    assert to_hundred(" fx ", Scale.ects) == 45
    assert to_hundred("a", "ects") == 93  # type: ignore[arg-type]


def test_a_letter_off_the_ects_scale_is_refused_with_the_scale_listed() -> None:
    with pytest.raises(GradeError) as caught:
        to_hundred("Q", Scale.ects)
    assert str(caught.value) == "grade 'Q' is not on the ECTS scale (A, B, C, D, E, FX, F) — 3.6"


@pytest.mark.parametrize(
    ("grade", "score", "five_point"), [("5", 93, 5), ("4", 80, 4), ("3", 67, 3), ("2", 45, 2)]
)
def test_a_five_point_grade_keeps_its_five_point_value_at_home(
    grade: str, score: int, five_point: int
) -> None:
    assert to_hundred(grade, Scale.five_point) == score
    assert home_grade(score).five_point == five_point


@pytest.mark.parametrize("grade", ["7", "1", "4.5", "", "five"])
def test_a_grade_off_the_five_point_scale_is_refused(grade: str) -> None:
    with pytest.raises(GradeError, match=r"5-point scale \(5, 4, 3, 2\)"):
        to_hundred(grade, Scale.five_point)


@pytest.mark.parametrize(
    ("grade", "score"),
    [("87", 87), ("0", 0), ("100", 100), ("60.5", 61), ("60,4", 60), (" 74 ", 74), ("86.49", 86)],
)
def test_a_hundred_point_grade_is_the_number_itself_rounded_half_up(grade: str, score: int) -> None:
    assert to_hundred(grade, Scale.hundred) == score


@pytest.mark.parametrize("grade", ["105", "100.1", "-1", "abc", "", "NaN", "1e2", "87 %"])
def test_a_grade_off_the_hundred_point_scale_is_refused(grade: str) -> None:
    with pytest.raises(GradeError, match=r"100-point scale \(0–100\) — 3\.6"):
        to_hundred(grade, Scale.hundred)


@pytest.mark.parametrize(("grade", "score"), [("87%", 87), ("87.5 %", 88), ("100%", 100), ("0", 0)])
def test_a_percent_grade_is_the_number_itself(grade: str, score: int) -> None:
    assert to_hundred(grade, Scale.percent) == score


def test_a_percent_above_100_is_refused() -> None:
    with pytest.raises(GradeError, match="percent"):
        to_hundred("101%", Scale.percent)


@pytest.mark.parametrize(
    ("gpa", "score", "letter"),
    [
        ("4.0", 100, "A"),
        ("3.7", 92, "A"),
        ("3.5", 87, "A"),
        ("3,3", 84, "B"),
        ("3.0", 80, "B"),
        ("2.7", 78, "C"),
        ("2.0", 74, "C"),
        ("1.7", 70, "D"),
        ("1.3", 65, "E"),
        ("1.0", 61, "E"),
        ("0.5", 31, "FX"),
        ("0", 0, "F"),
    ],
)
def test_a_gpa_follows_the_piecewise_linear_table(gpa: str, score: int, letter: str) -> None:
    assert to_hundred(gpa, Scale.gpa4) == score
    assert home_grade(score).letter == letter


@pytest.mark.parametrize("gpa", ["4.3", "-0.5", "4.01", "A"])
def test_a_grade_off_the_gpa_scale_is_refused(gpa: str) -> None:
    with pytest.raises(GradeError, match=r"4\.0 GPA scale \(0\.0–4\.0\)"):
        to_hundred(gpa, Scale.gpa4)


@given(
    st.decimals(min_value=0, max_value=4, places=2),
    st.decimals(min_value=0, max_value=4, places=2),
)
def test_a_higher_gpa_never_converts_to_a_lower_score(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert 0 <= to_hundred(str(low), Scale.gpa4) <= to_hundred(str(high), Scale.gpa4) <= 100


@given(st.integers(min_value=0, max_value=100))
def test_whole_numbers_pass_through_the_hundred_and_percent_scales(n: int) -> None:
    assert to_hundred(str(n), Scale.hundred) == n
    assert to_hundred(f"{n}%", Scale.percent) == n


def test_an_unknown_scale_is_refused_as_a_grade_error() -> None:
    with pytest.raises(GradeError, match="not a grade scale"):
        to_hundred("5", "ten_point")  # type: ignore[arg-type]


def test_a_grade_error_is_a_value_error() -> None:
    assert issubclass(GradeError, ValueError)
    assert issubclass(GradeTableError, ValueError)


# home_grade


@pytest.mark.parametrize(
    ("score", "letter", "five_point", "passed"),
    [
        (100, "A", 5, True),
        (87, "A", 5, True),
        (86, "B", 4, True),
        (80, "B", 4, True),
        (79, "C", 4, True),
        (74, "C", 4, True),
        (73, "D", 3, True),
        (68, "D", 3, True),
        (67, "E", 3, True),
        (61, "E", 3, True),
        (60, "FX", 2, False),
        (31, "FX", 2, False),
        (30, "F", 2, False),
        (0, "F", 2, False),
    ],
)
def test_home_grade_at_every_band_edge(
    score: int, letter: str, five_point: int, passed: bool
) -> None:
    assert home_grade(score) == HomeGrade(score, letter, five_point, passed)


@pytest.mark.parametrize("score", [-1, 101, True])
def test_a_score_off_the_hundred_point_scale_has_no_home_grade(score: int) -> None:
    with pytest.raises(GradeError, match="100-point scale"):
        home_grade(score)


@given(st.integers(min_value=0, max_value=100))
def test_every_score_has_a_home_grade_that_passes_from_61(score: int) -> None:
    grade = home_grade(score)
    assert grade.passed is (score >= 61)
    assert (grade.five_point >= 3) is grade.passed


# GradeTables


def _bands_with(**changes: tuple[int, int]) -> tuple[Band, ...]:
    return tuple(
        Band(b.letter, *changes.get(b.letter, (b.lowest, b.highest)), b.five_point)
        for b in DEFAULT_BANDS
    )


def test_bands_with_a_gap_are_refused_naming_the_uncovered_scores() -> None:
    with pytest.raises(GradeTableError, match="scores 61–62 are in no band"):
        GradeTables(bands=_bands_with(E=(63, 67)))


def test_overlapping_bands_are_refused() -> None:
    with pytest.raises(GradeTableError, match="overlaps"):
        GradeTables(bands=_bands_with(B=(79, 86)))


def test_bands_that_stop_short_of_100_are_refused() -> None:
    with pytest.raises(GradeTableError, match="end at 99"):
        GradeTables(bands=_bands_with(A=(87, 99)))


def test_a_band_running_backwards_is_refused() -> None:
    with pytest.raises(GradeTableError, match="band A"):
        GradeTables(bands=_bands_with(A=(100, 87)))


def test_a_pass_mark_inside_a_band_is_refused() -> None:
    with pytest.raises(GradeTableError, match="pass mark 65"):
        GradeTables(pass_mark=65)


def test_a_letter_in_two_bands_is_refused() -> None:
    bands = (*DEFAULT_BANDS[:-1], Band("FX", 0, 30, 2))
    with pytest.raises(GradeTableError, match="two bands"):
        GradeTables(bands=bands)


def test_an_ects_conversion_off_the_hundred_point_scale_is_refused() -> None:
    with pytest.raises(GradeTableError, match="outside 0–100"):
        GradeTables(ects=(("A", 110),))


def test_a_gpa_table_not_reaching_4_is_refused() -> None:
    with pytest.raises(GradeTableError, match=r"0\.0 to 4\.0"):
        GradeTables(gpa4=((Decimal(0), 0), (Decimal(3), 100)))


def test_a_gpa_table_whose_scores_fall_is_refused() -> None:
    with pytest.raises(GradeTableError, match="scores below"):
        GradeTables(gpa4=((Decimal(0), 0), (Decimal(2), 80), (Decimal(4), 70)))


def test_table_errors_name_the_clause() -> None:
    with pytest.raises(GradeTableError, match=r"4\.8, ФД duties"):
        GradeTables(pass_mark=65)


def test_tables_round_trip_through_plain_data() -> None:
    assert GradeTables.from_mapping(DEFAULT_GRADE_TABLES.as_mapping()) == DEFAULT_GRADE_TABLES


def test_the_default_tables_are_hashable_for_frozen_settings() -> None:
    assert hash(DEFAULT_GRADE_TABLES) == hash(GradeTables())


def test_a_settings_file_overrides_one_table_and_keeps_the_rest() -> None:
    # YAML reads `5: 95` with int keys and `1.0: 61` with float keys.
    tables = GradeTables.from_mapping(
        {
            "five_point": {5: 95, 4: 82, 3: 66, 2: 40},
            "gpa4": {0.0: 0, 1.0: 61, 4.0: 100},
        }
    )
    assert to_hundred("5", Scale.five_point, tables) == 95
    assert to_hundred("2.5", Scale.gpa4, tables) == 81  # 61 + 1.5 * 13 = 80.5, half up
    assert to_hundred("A", Scale.ects, tables) == 93
    assert tables.bands == DEFAULT_BANDS


def test_a_settings_file_may_move_the_bands_and_the_pass_mark_together() -> None:
    data: dict[str, Any] = DEFAULT_GRADE_TABLES.as_mapping()
    data["bands"]["E"]["lowest"] = 55
    data["bands"]["FX"]["highest"] = 54
    tables = GradeTables.from_mapping({"bands": data["bands"], "pass_mark": 55})
    assert home_grade(55, tables) == HomeGrade(55, "E", 3, True)
    assert home_grade(54, tables).passed is False


def test_an_unknown_settings_key_is_refused_to_catch_typos() -> None:
    with pytest.raises(GradeTableError, match="pass_mrk"):
        GradeTables.from_mapping({"pass_mrk": 61})


@pytest.mark.parametrize(
    "data",
    [
        {"bands": {"A": {"lowest": 87}}},
        {"ects": ["A", 93]},
        {"pass_mark": "sixty"},
        {"gpa4": {"four": 100}},
    ],
)
def test_malformed_settings_are_refused_as_table_errors(data: dict[str, Any]) -> None:
    with pytest.raises(GradeTableError):
        GradeTables.from_mapping(data)


# recognition_outcome (4.8, "ФД duties")


@pytest.mark.parametrize(
    ("failed", "outcome"),
    [
        (0, RecognitionOutcome.all_credited),
        (1, RecognitionOutcome.summer_retake),
        (15, RecognitionOutcome.summer_retake),
        (16, RecognitionOutcome.expulsion_proposal),
        (0.5, RecognitionOutcome.summer_retake),
        (15.5, RecognitionOutcome.expulsion_proposal),
    ],
)
def test_more_than_15_failed_credits_propose_expulsion_and_fewer_a_summer_retake(
    failed: float, outcome: RecognitionOutcome
) -> None:
    assert recognition_outcome(failed) is outcome


def test_the_expulsion_threshold_is_configurable() -> None:
    assert recognition_outcome(16, expulsion_threshold=20) is RecognitionOutcome.summer_retake
    assert recognition_outcome(21, expulsion_threshold=20) is RecognitionOutcome.expulsion_proposal


def test_negative_failed_credits_are_refused() -> None:
    with pytest.raises(ValueError, match=r"-1.*4\.8"):
        recognition_outcome(-1)


def test_a_negative_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        recognition_outcome(1, expulsion_threshold=-1)


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200))
def test_more_failed_credits_never_lead_to_a_milder_outcome(a: int, b: int) -> None:
    severity = list(RecognitionOutcome)
    low, high = sorted((a, b))
    assert severity.index(recognition_outcome(low)) <= severity.index(recognition_outcome(high))


def test_outcomes_are_stored_as_stable_strings() -> None:
    assert [str(o) for o in RecognitionOutcome] == [
        "all_credited",
        "summer_retake",
        "expulsion_proposal",
    ]
