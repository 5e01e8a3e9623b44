"""Honest reports (13.7): closing a case does not mark a duty done that nobody fulfilled,
every headline equals the sum of its table, and the annual report prints labels in the
language chosen, never codes."""

from __future__ import annotations

import io
import random
import re
from datetime import date
from pathlib import Path

import docx
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from sapar.i18n import t
from sapar.services.statistics import (
    OF_MOBILITIES,
    YearStatistics,
    academic_years,
    to_docx,
    to_xlsx,
    year_statistics,
)
from states.kinds import DEFINITIONS
from states.model import FundingSource, Scope
from storage.uow import UnitOfWork
from tests.builders import a_case
from tests.integration.desk import Desk
from tests.integration.office import Office
from tests.integration.test_i18n_messages import english_sentences
from tests.integration.test_statistics import seed
from tests.integration.web_client import log_in


def test_closing_a_case_lets_open_duties_lapse_and_keeps_overdue_ones_overdue(
    engine: Engine, tmp_path: Path
) -> None:
    case_id = Desk(engine, tmp_path).open(a_case())
    with UnitOfWork(engine) as uow:
        uow.cases.open_deadline(case_id, "student_report", date(2026, 7, 30))
        uow.cases.open_deadline(case_id, "distance_exams_spring", date(2026, 6, 30))
        uow.cases.open_deadline(case_id, "expense_report", date(2026, 7, 7))
        uow.cases.close_deadline(case_id, "expense_report")  # handed in: met
        uow.commit()
    with UnitOfWork(engine) as uow:
        for row in uow.cases.deadlines(case_id):
            if row.kind == "student_report":
                row.status = "overdue"  # the check found it late
        uow.commit()
    with UnitOfWork(engine) as uow:
        uow.cases.close_deadline(case_id, "*")  # what `close` and `decide_recognition` do
        uow.commit()
    with UnitOfWork(engine, read_only=True) as uow:
        statuses = {d.kind: d.status for d in uow.cases.deadlines(case_id)}
    assert statuses == {
        "student_report": "overdue",
        "distance_exams_spring": "void",
        "expense_report": "met",
    }


# --- every headline equals the sum of its table; the report prints labels (13.7) -------------

COUNTRY_CODES = {"TR", "DE", "RU", "KZ", "KG", "CN"}


def seeded_year(engine: Engine) -> tuple[str, YearStatistics]:
    seed(engine, 60, random.Random(7))
    with UnitOfWork(engine) as uow:
        year = academic_years(uow.session)[-1][0]
        return year, year_statistics(uow.session, year)


def test_every_headline_of_the_statistics_page_equals_the_sum_of_its_table(
    sqlite_office: Office,
) -> None:
    year, stats = seeded_year(sqlite_office.engine)
    browser = TestClient(sqlite_office.client.app)
    log_in(browser, "iro")
    html = browser.get(f"/statistics?year={year}").text
    headline = int(re.findall(r'data-headline="(\d+)"', html)[0])
    sums = {k: int(n) for k, n in re.findall(r'data-sum="([^"]+)">(\d+)<', html)}
    assert headline == stats.mobilities > 0
    assert sums["matrix"] == headline
    for key in OF_MOBILITIES:  # each counts the year's mobilities once
        assert sums[key] == headline, key
        assert sum(getattr(stats, "by_" + key.split()[0]).values()) == headline, key
    # The other tables count something else, and say what, with their own total.
    notes = dict(re.findall(r'<h2>([^<]+)</h2>\s*<p class="hint">[^<]*?(\d+)</p>', html))
    assert len(notes) >= 2
    for key, counter in stats.breakdowns().items():
        if counter:
            assert sums[key] == sum(counter.values()), key
    assert sums["how cases ended"] > headline  # all cases of the year, said as such
    assert str(sums["how cases ended"]) in notes[t("ky", "stats.b.how_cases_ended")]


def report_texts(stats: YearStatistics, lang: str) -> list[str]:
    document = docx.Document(io.BytesIO(to_docx(stats, lang)))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for table in document.tables for row in table.rows for c in row.cells]
    book = load_workbook(io.BytesIO(to_xlsx(stats, lang)))
    texts += [ws.title for ws in book.worksheets]
    texts += [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
              if c.value is not None]  # fmt: skip
    return texts


def test_the_annual_report_prints_labels_in_the_chosen_language_never_codes(
    engine: Engine,
) -> None:
    _, stats = seeded_year(engine)
    codes = (
        {s.value for s in FundingSource} | {s.value for s in Scope} | COUNTRY_CODES
        | {s for d in DEFINITIONS.values() for s in d.states}
        | {"short", "long", "on_time", "late", "overdue", "pending", "outgoing", "incoming",
           "students", "staff", "passed", "failed"}
    )  # fmt: skip
    expected = {"ky": ("Түркия", "Чыгуучу", "Бардыгы"), "ru": ("Турция", "Исходящая", "Всего"),
                "en": ("Türkiye", "Outgoing", "Total")}  # fmt: skip
    for lang in ("ky", "ru", "en"):
        texts = report_texts(stats, lang)
        assert [x for x in texts if x.strip() in codes] == [], lang
        joined = "\n".join(texts)
        for word in expected[lang]:
            assert word in joined, (lang, word)
        if lang != "en":
            assert english_sentences(joined) == [], lang
