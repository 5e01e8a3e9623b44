"""The `sapar` command: accounts, cases from a file, history, audit, imports; one-line failures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from documents import TEMPLATED, languages_of
from sapar.cli import app
from sapar.config import get_settings
from tests.integration.office import staff_case

runner = CliRunner()


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SAPAR_DATABASE_URL", f"sqlite:///{tmp_path / 'sapar.db'}")
    monkeypatch.setenv("SAPAR_FILES_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_users_cases_history_and_audit_work_from_the_shell(shell: Path) -> None:
    added = runner.invoke(app, ["users", "add", "gulnara", "--name", "Гүлнара Мамытова",
                                "--role", "iro", "--password", "Osh-2026-secret"])  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "gulnara" in runner.invoke(app, ["users", "list"]).output
    token = runner.invoke(app, ["users", "add-token", "gulnara"]).output.strip()
    assert token.startswith("sapar_")
    case_file = shell / "case.yaml"
    case_file.write_text(json.dumps(staff_case()), encoding="utf-8")  # JSON is valid YAML
    opened = runner.invoke(app, ["cases", "create", "--file", str(case_file), "--as", "gulnara"])
    assert opened.exit_code == 0 and "opened case #1 (outgoing_staff)" in opened.output
    refused = runner.invoke(app, ["cases", "fire", "1", "close", "--as", "gulnara"])
    assert refused.exit_code == 1 and "possible here" in refused.output
    payload = shell / "why.json"
    payload.write_text('{"reason": "Конференция жокко чыгарылды"}')
    withdrawn = runner.invoke(app, ["cases", "fire", "1", "withdraw", "--payload", str(payload)])
    assert withdrawn.exit_code == 0 and "application → withdrawn" in withdrawn.output
    assert "refused" in runner.invoke(app, ["cases", "history", "1"]).output
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and "1 case histories intact" in verified.output


def test_a_bad_import_row_fails_in_one_line_per_problem_and_imports_nothing(shell: Path) -> None:
    rows = shell / "students.csv"
    rows.write_text("full_name,faculty,gpa\nАйгерим Жолдошбекова,Экономика факультети,3.6\n"
                    "Нурбек Асанов,Экономика факультети,7\n", encoding="utf-8")  # fmt: skip
    failed = runner.invoke(app, ["import", "people", str(rows)])
    assert failed.exit_code == 1
    assert "line 3: gpa: GPA is on a 4.0 scale: 7 is not possible" in failed.output
    assert "nothing was imported" in failed.output
    assert "Traceback" not in failed.output
    rows.write_text("full_name,faculty,gpa\nАйгерим Жолдошбекова,Экономика факультети,3.6\n",
                    encoding="utf-8")  # fmt: skip
    done = runner.invoke(app, ["import", "people", str(rows)])
    assert done.exit_code == 0 and "people: 1 added, 0 corrected" in done.output


def test_a_malformed_case_file_names_the_problem(shell: Path) -> None:
    broken = shell / "case.json"
    broken.write_text('{"participant": ')
    answer = runner.invoke(app, ["cases", "create", "--file", str(broken)])
    assert answer.exit_code == 1 and answer.output.startswith("error:")


def test_partners_import_from_the_shell_and_a_bad_file_is_refused_whole(shell: Path) -> None:
    good = shell / "partners.csv"
    good.write_text(
        "name,country,agreement_kind,valid_from\n"
        "Kastamonu Üniversitesi,Türkiye,bilateral,2024-01-01\n",
        encoding="utf-8",
    )
    assert "imported 1 partners" in runner.invoke(app, ["import", "partners", str(good)]).output
    bad = shell / "bad.csv"
    bad.write_text("name,country\nX,\n", encoding="utf-8")
    refused = runner.invoke(app, ["import", "partners", str(bad)])
    assert refused.exit_code == 1 and "line 2: country: Required" in refused.output


def test_the_deadline_check_runs_for_a_given_day_and_refuses_a_bad_date(shell: Path) -> None:
    checked = runner.invoke(app, ["deadlines", "check", "--date", "2026-11-23"])
    assert checked.exit_code == 0 and "2026-11-23: looked at 0" in checked.output
    refused = runner.invoke(app, ["deadlines", "check", "--date", "23.11.2026"])
    assert refused.exit_code == 1 and "is not a date" in refused.output


def test_samples_render_every_template_in_both_languages(shell: Path) -> None:
    result = runner.invoke(app, ["samples", "--out", str(shell / "samples")])
    assert result.exit_code == 0, result.output
    rendered = {p.name for p in (shell / "samples").glob("*.docx")}
    expected = {f"{k.value}_{lang}.docx" for k in TEMPLATED for lang in languages_of(k)}
    assert rendered == expected
    assert {"invitation_request_en.docx", "referral_letter_en.docx"} <= rendered
