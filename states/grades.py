"""Host grades on OshSU's scale, and what failed host credits mean for the student.

The faculty converts grades not given on the home 100-point scale "according to the scale
accepted at the sending institution" (4.8, "ФД duties"; ECTS is the basis, 3.4). The tables
are OshSU's credit-system bands and the conversions a registrar would use; all of it is
configurable through `GradeTables.from_mapping`, e.g. from a settings file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Any

from states.explained import Explained

_CONVERT = "4.8, ФД duties"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


class GradeError(Explained, ValueError):
    """A grade that is not on its scale, or a score outside 0–100."""


class GradeTableError(ValueError):
    """A grade table that cannot be used: gaps, overlaps, values off the scale."""


class Scale(StrEnum):
    """The scales host institutions report grades on."""

    ects = "ects"  # A, B, C, D, E, FX, F
    five_point = "five_point"  # 5, 4, 3, 2
    hundred = "hundred"  # 0–100
    gpa4 = "gpa4"  # 0.0–4.0
    percent = "percent"  # 0–100%


_SCALE_NAMES = {
    Scale.ects: "ECTS",
    Scale.five_point: "5-point",
    Scale.hundred: "100-point",
    Scale.gpa4: "4.0 GPA",
    Scale.percent: "percent",
}


@dataclass(frozen=True)
class Band:
    """One home letter grade: the 100-point scores it covers (inclusive) and its 5-point grade."""

    letter: str
    lowest: int
    highest: int
    five_point: int


@dataclass(frozen=True)
class HomeGrade:
    """A grade as OshSU records it in AVN, the record book and the diploma supplement."""

    score: int
    letter: str
    five_point: int
    passed: bool


DEFAULT_BANDS: tuple[Band, ...] = (
    Band("A", 87, 100, 5),
    Band("B", 80, 86, 4),
    Band("C", 74, 79, 4),
    Band("D", 68, 73, 3),
    Band("E", 61, 67, 3),
    Band("FX", 31, 60, 2),
    Band("F", 0, 30, 2),
)

# ECTS letters land inside the home band of the same letter, near its middle, so a host A is a
# home A whatever the band edges' rounding.
DEFAULT_ECTS: tuple[tuple[str, int], ...] = (
    ("A", 93),
    ("B", 83),
    ("C", 76),
    ("D", 70),
    ("E", 64),
    ("FX", 45),
    ("F", 15),
)

# 5 and 2 sit mid-band (A, FX); 4 is the bottom of B and 3 the top of E, the home 5-point
# grades the bands already give.
DEFAULT_FIVE_POINT: tuple[tuple[str, int], ...] = (("5", 93), ("4", 80), ("3", 67), ("2", 45))

# A piecewise-linear table (GPA, score): each US-style letter's grade point lands on the
# home band of the same letter — D 1.0 → 61 (the lowest pass on both scales), C 2.0 → 74,
# B 3.0 → 80, A- 3.5 → 87, A 4.0 → 100 — and 0.0 → 0. So B+ 3.3 → 84 (B), A- 3.7 → 92 (A),
# C+ 2.3 → 76 (C), C- 1.7 → 70 (D), D+ 1.3 → 65 (E), and anything below 1.0 fails.
DEFAULT_GPA4: tuple[tuple[Decimal, int], ...] = (
    (Decimal("0.0"), 0),
    (Decimal("1.0"), 61),
    (Decimal("2.0"), 74),
    (Decimal("3.0"), 80),
    (Decimal("3.5"), 87),
    (Decimal("4.0"), 100),
)


def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _table_error(message: str) -> GradeTableError:
    return GradeTableError(f"grade tables: {message} — {_CONVERT}")


@dataclass(frozen=True)
class GradeTables:
    """How host grades become OshSU grades. Every field has the OshSU default.

    Hundred-point and percent grades are taken as the number itself, rounded half up
    (60.5 → 61): they are already on the home scale.
    """

    bands: tuple[Band, ...] = DEFAULT_BANDS
    """Home bands of the credit system: A 87–100 (5), B 80–86 (4), C 74–79 (4), D 68–73 (3),
    E 61–67 (3), FX 31–60 (2), F 0–30 (2). They must cover 0–100 with no gap or overlap."""
    pass_mark: int = 61
    """The lowest passing score, the bottom of E. Must be a band's lowest score, so a letter
    is either passing or failing."""
    ects: tuple[tuple[str, int], ...] = DEFAULT_ECTS
    """ECTS letter → home score, inside the same letter's home band (A→93 … F→15)."""
    five_point: tuple[tuple[str, int], ...] = DEFAULT_FIVE_POINT
    """5-point grade → home score: 5→93, 4→80, 3→67, 2→45."""
    gpa4: tuple[tuple[Decimal, int], ...] = DEFAULT_GPA4
    """Knots (GPA, score) of a piecewise-linear conversion from 0.0 to 4.0; see DEFAULT_GPA4."""

    def __post_init__(self) -> None:
        # Normalise what a caller or settings file may give (lists, int keys, float GPAs) so
        # lookups compare like with like and the tables stay hashable.
        set_ = object.__setattr__
        set_(self, "bands", tuple(self.bands))
        for name in ("ects", "five_point"):
            set_(self, name, tuple((str(g).strip().upper(), s) for g, s in getattr(self, name)))
        try:
            set_(self, "gpa4", tuple(sorted((Decimal(str(g)), s) for g, s in self.gpa4)))
        except ArithmeticError:
            raise _table_error("a 4.0 GPA knot is not a number") from None
        self._check_bands()
        for scale, table in ((Scale.ects, self.ects), (Scale.five_point, self.five_point)):
            if not table:
                raise _table_error(f"the {_SCALE_NAMES[scale]} table is empty")
            grades = [grade for grade, _ in table]
            if len(set(grades)) != len(grades):
                raise _table_error(f"the {_SCALE_NAMES[scale]} table lists a grade twice")
            for grade, score in table:
                if not 0 <= score <= 100:
                    raise _table_error(
                        f"{_SCALE_NAMES[scale]} {grade!r} → {score} is outside 0–100"
                    )
        self._check_gpa4()

    def _check_bands(self) -> None:
        if not self.bands:
            raise _table_error("no home bands")
        letters = [band.letter for band in self.bands]
        if len(set(letters)) != len(letters):
            raise _table_error("a home letter appears in two bands")
        expected_lowest = 0
        for band in sorted(self.bands, key=lambda b: b.lowest):
            if band.lowest > band.highest:
                raise _table_error(
                    f"band {band.letter} runs from {band.lowest} down to {band.highest}"
                )
            if band.lowest > expected_lowest:
                raise _table_error(
                    f"scores {expected_lowest}–{band.lowest - 1} are in no band "
                    "(bands must cover 0–100 with no gap or overlap)"
                )
            if band.lowest < expected_lowest:
                raise _table_error(
                    f"band {band.letter} overlaps the band below it at {band.lowest} "
                    "(bands must cover 0–100 with no gap or overlap)"
                )
            expected_lowest = band.highest + 1
        if expected_lowest != 101:
            raise _table_error(
                f"the bands end at {expected_lowest - 1}, not 100 "
                "(bands must cover 0–100 with no gap or overlap)"
            )
        if self.pass_mark not in {band.lowest for band in self.bands}:
            raise _table_error(
                f"pass mark {self.pass_mark} is not the lowest score of a band, so one letter "
                "would be both passing and failing"
            )

    def _check_gpa4(self) -> None:
        knots = self.gpa4
        if len(knots) < 2 or knots[0][0] != 0 or knots[-1][0] != 4:
            raise _table_error("the 4.0 GPA table must run from 0.0 to 4.0")
        for (gpa_a, score_a), (gpa_b, score_b) in pairwise(knots):
            if gpa_b <= gpa_a:
                raise _table_error(f"4.0 GPA knots must rise: {gpa_b} comes after {gpa_a}")
            if score_b < score_a:
                raise _table_error(f"4.0 GPA {gpa_b} → {score_b} scores below {gpa_a} → {score_a}")
        for gpa, score in knots:
            if not 0 <= score <= 100:
                raise _table_error(f"4.0 GPA {gpa} → {score} is outside 0–100")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> GradeTables:
        """Build tables from plain data, e.g. a settings file; what is left out stays default.

        A table that is given replaces the default table whole (no merging letter by letter),
        so a settings file reads as the complete conversion it puts in force.

        {"pass_mark": 61,
         "bands": {"A": {"lowest": 87, "highest": 100, "five_point": 5}, ...},
         "ects": {"A": 93, ...}, "five_point": {"5": 93, ...},
         "gpa4": {"0.0": 0, "1.0": 61, ...}}
        """
        known = {"pass_mark", "bands", "ects", "five_point", "gpa4"}
        unknown = set(data) - known
        if unknown:
            raise _table_error(f"unknown keys {sorted(unknown)}; expected some of {sorted(known)}")
        kwargs: dict[str, Any] = {}
        try:
            if "pass_mark" in data:
                kwargs["pass_mark"] = int(data["pass_mark"])
            if "bands" in data:
                kwargs["bands"] = tuple(
                    Band(
                        str(letter),
                        int(band["lowest"]),
                        int(band["highest"]),
                        int(band["five_point"]),
                    )
                    for letter, band in data["bands"].items()
                )
            for name in ("ects", "five_point", "gpa4"):
                if name in data:
                    kwargs[name] = tuple((grade, int(score)) for grade, score in data[name].items())
        except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
            raise _table_error(f"cannot read the tables ({exc!r})") from exc
        return cls(**kwargs)

    def as_mapping(self) -> dict[str, Any]:
        """The tables as plain data, the shape `from_mapping` reads."""
        return {
            "pass_mark": self.pass_mark,
            "bands": {
                b.letter: {"lowest": b.lowest, "highest": b.highest, "five_point": b.five_point}
                for b in self.bands
            },
            "ects": dict(self.ects),
            "five_point": dict(self.five_point),
            "gpa4": {str(gpa): score for gpa, score in self.gpa4},
        }


DEFAULT_GRADE_TABLES = GradeTables()


def _not_on_scale(grade: str, scale: Scale, grades: str) -> GradeError:
    return GradeError(
        f"grade {grade!r} is not on the {_SCALE_NAMES[scale]} scale ({grades}) — 3.6",
        "grade_not_on_scale",
        grade=grade,
        scale=scale.value,
        grades=grades,
    )


def _number(grade: str, scale: Scale, lowest: int, highest: int, shown: str) -> Decimal:
    text = str(grade).strip()
    if scale is Scale.percent:
        text = text.removesuffix("%").rstrip()
    # Transcripts from Russian-speaking hosts write a decimal comma: "87,5".
    if not _NUMBER.fullmatch(text):
        raise _not_on_scale(grade, scale, shown)
    value = Decimal(text.replace(",", "."))
    if not lowest <= value <= highest:
        raise _not_on_scale(grade, scale, shown)
    return value


def _interpolate(knots: tuple[tuple[Decimal, int], ...], gpa: Decimal) -> Decimal:
    for (gpa_a, score_a), (gpa_b, score_b) in pairwise(knots):
        if gpa <= gpa_b:
            return score_a + (score_b - score_a) * (gpa - gpa_a) / (gpa_b - gpa_a)
    return Decimal(knots[-1][1])  # unreachable: the caller keeps gpa within 0.0–4.0


def to_hundred(grade: str, scale: Scale, tables: GradeTables = DEFAULT_GRADE_TABLES) -> int:
    """A host grade as a home 100-point score (4.8, "ФД duties")."""
    try:
        scale = Scale(scale)
    except ValueError:
        raise GradeError(
            f"{scale!r} is not a grade scale ({', '.join(Scale)}) — {_CONVERT}"
        ) from None
    if scale is Scale.ects or scale is Scale.five_point:
        table = tables.ects if scale is Scale.ects else tables.five_point
        key = str(grade).strip().upper()
        for known, score in table:
            if known == key:
                return score
        raise _not_on_scale(grade, scale, ", ".join(known for known, _ in table))
    if scale is Scale.gpa4:
        gpa = _number(grade, scale, 0, 4, "0.0–4.0")
        return _round_half_up(_interpolate(tables.gpa4, gpa))
    shown = "0–100%" if scale is Scale.percent else "0–100"
    return _round_half_up(_number(grade, scale, 0, 100, shown))


def home_grade(score: int, tables: GradeTables = DEFAULT_GRADE_TABLES) -> HomeGrade:
    """The home letter and 5-point grade of a 100-point score, and whether it passes."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise GradeError(f"score {score!r} is not on the 100-point scale (0–100) — {_CONVERT}")
    for band in tables.bands:
        if band.lowest <= score <= band.highest:
            return HomeGrade(score, band.letter, band.five_point, score >= tables.pass_mark)
    raise AssertionError("validated bands cover 0–100")  # pragma: no cover


class RecognitionOutcome(StrEnum):
    """What the failed credits at the host lead to (4.8, "ФД duties")."""

    all_credited = "all_credited"
    summer_retake = "summer_retake"  # paid, in the additional (summer) semester
    expulsion_proposal = "expulsion_proposal"  # decided after return, in the established order


def recognition_outcome(
    failed_credits: float, *, expulsion_threshold: int = 15
) -> RecognitionOutcome:
    """4.8, "ФД duties": failed host credits summing to more than 15 → expulsion after return;
    15 or fewer → the debt may be cleared in a paid additional (summer) semester.

    Credits are a float because ECTS courses of 2.5 or 7.5 credits exist.
    """
    if failed_credits < 0:
        raise ValueError(
            f"failed credits cannot be negative, got {failed_credits} — 4.8, ФД duties"
        )
    if expulsion_threshold < 0:
        raise ValueError(
            f"the expulsion threshold cannot be negative, got {expulsion_threshold}"
            " — 4.8, ФД duties"
        )
    if failed_credits == 0:
        return RecognitionOutcome.all_credited
    if failed_credits > expulsion_threshold:
        return RecognitionOutcome.expulsion_proposal
    return RecognitionOutcome.summer_retake
