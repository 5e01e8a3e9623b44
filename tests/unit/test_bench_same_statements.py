"""The step baseline replays the service's own statements (bench/same_statements.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bench.same_statements import Statement, _for_case, replayer


def test_a_replayed_statement_names_the_new_case_its_time_and_its_chain_link() -> None:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    captured = {"case_id": 1, "ids_1": 1, "case_id__0": 1, "case_id__1": 1, "at": None,
                "new_version": 7, "prev_hash": "a", "kind__0": "render_document"}  # fmt: skip
    out = _for_case(captured, 42, now, {"new_version": 3, "prev_hash": "b"})
    assert out == {"case_id": 42, "ids_1": 42, "case_id__0": 42, "case_id__1": 42, "at": now,
                   "new_version": 3, "prev_hash": "b", "kind__0": "render_document"}  # fmt: skip
    assert captured["case_id"] == 1  # the capture itself is kept for the next case


def test_a_capture_that_does_not_start_with_the_locked_read_is_refused() -> None:
    with pytest.raises(ValueError, match="locked read"):
        replayer([Statement("SELECT 1", {})], None)  # type: ignore[arg-type]


def test_a_capture_on_sqlite_keeps_its_statements_without_named_parameters() -> None:
    from sqlalchemy import create_engine, text

    from bench.same_statements import captured

    engine = create_engine("sqlite://")
    with captured(engine) as seen, engine.connect() as conn:
        conn.execute(text("SELECT :x"), {"x": 1})
    assert [s.sql for s in seen] == ["SELECT ?"] and seen[0].params == {}
