"""The letters of `sapar.services.reminders` as SQL expressions, for PostgreSQL and SQLite.

The deadline check writes its letters with INSERT … SELECT: the subject and body of each
are built by the database from the same templates the Python rendering uses, field by
field (`||` between the literal pieces and the columns). A unit test renders both ways
and compares them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import reduce
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    case,
    cast,
    func,
    literal,
    literal_column,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from sapar.services import reminders


class day_month_year(FunctionElement[str]):
    """A date as DD.MM.YYYY, as the letters print it."""

    type = String()
    inherit_cache = True


@compiles(day_month_year, "postgresql")
def _dmy_pg(element: day_month_year, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'DD.MM.YYYY')"


@compiles(day_month_year, "sqlite")
def _dmy_sqlite(element: day_month_year, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('%d.%m.%Y', {compiler.process(element.clauses, **kw)})"


class days_between(FunctionElement[int]):
    """Whole days from the first date to the second (negative when the second is earlier)."""

    type = Integer()
    inherit_cache = True


@compiles(days_between, "postgresql")
def _days_pg(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = list(element.clauses)
    return f"({compiler.process(second, **kw)} - {compiler.process(first, **kw)})"


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(second, **kw)}) - "
        f"julianday({compiler.process(first, **kw)}) AS INTEGER)"
    )


@dataclass(frozen=True)
class Columns:
    """Where a letter's fields come from in the query that writes it."""

    case_id: ColumnElement[int]
    kind: ColumnElement[str]  # the deadline's kind (the duty)
    due: ColumnElement[date]
    participant: ColumnElement[str]
    faculty: ColumnElement[str | None]
    host: ColumnElement[str]


def text(value: str) -> ColumnElement[str]:
    """A constant of our own templates, written into the statement as an SQL string literal
    rather than bound: a letter's template is some forty pieces, and binding each costs
    compiling and processing on every check."""
    return literal_column("'" + value.replace("'", "''") + "'", String())


def duty_sql(kind: ColumnElement[str], language: int) -> ColumnElement[str]:
    """The duty of a deadline kind in Kyrgyz (0) or Russian (1)."""
    pre, post = reminders.UNKNOWN_DUTY[language]
    unknown = text(pre) + kind + text(post)
    return case(
        *((kind == k, text(words[language])) for k, words in reminders.DUTIES.items()),
        else_=unknown,
    )


def fields_sql(c: Columns, today: date | None) -> Mapping[str, ColumnElement[str]]:
    left: ColumnElement[str] = text("")
    if today is not None:
        left = cast(days_between(literal(today, Date()), c.due), String())
    return {
        "case_id": cast(c.case_id, String()),
        "due": day_month_year(c.due),
        "left": left,
        "participant": func.coalesce(c.participant, text("")),
        "faculty": func.coalesce(c.faculty, text(reminders.NO_FACULTY)),
        "host": func.coalesce(c.host, text("")),
        "duty_ky": duty_sql(c.kind, 0),
        "duty_ru": duty_sql(c.kind, 1),
    }


def _concat(template: str, fields: Mapping[str, ColumnElement[str]]) -> ColumnElement[str]:
    pieces: list[ColumnElement[str]] = []
    for literal_text, field in reminders.parts(template):
        if literal_text:
            pieces.append(text(literal_text))
        if field is not None:
            pieces.append(fields[field])
    return reduce(lambda a, b: a + b, pieces)


def subject_sql(
    template: reminders.Template, c: Columns, today: date | None = None
) -> ColumnElement[str]:
    return func.substr(_concat(template.subject, fields_sql(c, today)), 1, reminders.SUBJECT_MAX)


def body_sql(
    template: reminders.Template, c: Columns, today: date | None = None
) -> ColumnElement[str]:
    return _concat(template.body, fields_sql(c, today))
