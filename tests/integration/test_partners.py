"""The partner registry: agreements in force, quotas, and the registry's import and export."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sapar.services.partners import (
    PartnerImportError,
    PartnerIn,
    add_partner,
    export_csv,
    export_xlsx,
    import_partners,
    parse_partner_list,
    write_agreement,
    write_quota,
)
from states.dossier import DocumentKind as D
from states.guards import RuleViolation
from states.model import Basis
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_student
from tests.integration.desk import DEAN, IRO, Desk

SEED = Path(__file__).parents[3] / "shared" / "seeds" / "002_eda40c8529eacdba.txt"
PAPERS = LONG_STAY_PAPERS


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Desk:
    return Desk(engine, tmp_path / "files")


def a_partner(engine: Engine, *, valid_to: date | None = date(2028, 8, 31),
              places: int | None = None) -> int:  # fmt: skip
    with UnitOfWork(engine) as uow:
        pid = add_partner(uow.session, PartnerIn("Ankara Üniversitesi", "Türkiye", city="Ankara"))
        write_agreement(uow.session, partner_id=pid, kind="mevlana", valid_from=date(2023, 9, 1),
                        valid_to=valid_to)  # fmt: skip
        if places is not None:
            write_quota(uow.session, partner_id=pid, academic_year="2025-2026",
                        participant_type="outgoing_students", places=places)  # fmt: skip
        uow.commit()
    return pid


def invited(desk: Desk, partner_id: int | None, name: str = "Айбек") -> int:
    case_id = desk.open(a_case(a_student(full_name=name), basis=Basis.agreement,
                               partner_id=partner_id))  # fmt: skip
    desk.hand_in(case_id, *PAPERS)
    desk.step(case_id, "nominate", DEAN)
    desk.hand_in(case_id, D.invitation_letter, D.dean_nomination)
    desk.step(case_id, "receive_invitation", IRO)
    return case_id


def test_an_order_beyond_the_quota_is_refused(desk: Desk, engine: Engine) -> None:
    pid = a_partner(engine, places=2)
    first, second, third = (invited(desk, pid, n) for n in ("Айбек", "Бурул", "Чынара"))
    desk.step(first, "issue_order", IRO)
    desk.step(second, "issue_order", IRO)
    with pytest.raises(RuleViolation, match="quota with Ankara Üniversitesi is used up: 2 of 2"):
        desk.step(third, "issue_order", IRO)


def test_a_withdrawn_student_gives_the_place_back(desk: Desk, engine: Engine) -> None:
    pid = a_partner(engine, places=1)
    first, second = invited(desk, pid, "Айбек"), invited(desk, pid, "Бурул")
    desk.step(first, "issue_order", IRO)
    desk.step(first, "withdraw", IRO, reason="refused to go")
    assert desk.step(second, "issue_order", IRO).to_state == "ordered"


def test_an_agreement_that_ends_before_the_mobility_ends_does_not_cover_it(
    desk: Desk, engine: Engine
) -> None:
    pid = a_partner(engine, valid_to=date(2026, 6, 29))  # the stay ends 2026-06-30
    case_id = invited(desk, pid)
    with pytest.raises(RuleViolation, match="no agreement with Ankara Üniversitesi covers"):
        desk.step(case_id, "issue_order", IRO)


def test_an_agreement_ending_on_the_last_day_of_the_stay_covers_it(
    desk: Desk, engine: Engine
) -> None:
    pid = a_partner(engine, valid_to=date(2026, 6, 30))
    assert desk.step(invited(desk, pid), "issue_order", IRO).to_state == "ordered"


def test_an_order_on_an_agreement_needs_a_partner_named(desk: Desk) -> None:
    with pytest.raises(
        RuleViolation,
        match=r"name the partner .* individual invitation or personal initiative — 3.2",
    ):
        desk.step(invited(desk, None), "issue_order", IRO)


def test_an_individual_invitation_needs_no_agreement(desk: Desk) -> None:
    case_id = desk.open(a_case(basis=Basis.individual_invitation))
    desk.hand_in(case_id, *PAPERS)
    desk.step(case_id, "nominate", DEAN)
    desk.hand_in(case_id, D.invitation_letter, D.dean_nomination)
    desk.step(case_id, "receive_invitation", IRO)
    assert desk.step(case_id, "issue_order", IRO).to_state == "ordered"


CSV = (
    "name,name_latin,country,city,website,emails,phones,scope,agreement_kind,"
    "agreement_number,signed_on,valid_from,valid_to\n"
    "Кастамону Университети,Kastamonu Üniversitesi,Түркия,Kastamonu,https://kastamonu.edu.tr,"
    "intl@kastamonu.edu.tr,,international,bilateral,17,2023-05-02,2023-05-02,2028-05-01\n"
    "Кыргыз-Түрк «Манас» университети,,Кыргызстан,Бишкек,,,,domestic,osh_declaration,,,"
    "2024-01-10,\n"
)


def test_partners_import_from_csv_and_export_again(engine: Engine) -> None:
    assert import_partners(engine, filename="partners.csv", content=CSV.encode()) == 2
    with UnitOfWork(engine) as uow:
        exported = export_csv(uow.session).decode("utf-8-sig")
        book = load_workbook(io.BytesIO(export_xlsx(uow.session)))
    assert "Кыргыз-Түрк «Манас» университети" in exported
    assert "2028-05-01" in exported
    sheet = book.active
    assert sheet is not None and sheet.max_row == 3


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (CSV.replace("Түркия,Kastamonu", ",Kastamonu"), "line 2: country: Required"),
        (CSV.replace("2028-05-01", "01.05.2028"), "line 2: valid_to: '01.05.2028' is not a date"),
        (CSV.replace("osh_declaration", "handshake"), "line 3: agreement_kind: 'handshake'"),
    ],
)
def test_a_bad_line_refuses_the_whole_file_naming_line_and_field(
    engine: Engine, bad: str, message: str
) -> None:
    with pytest.raises(PartnerImportError, match=message):
        import_partners(engine, filename="partners.csv", content=bad.encode())
    with UnitOfWork(engine) as uow:
        assert export_csv(uow.session).decode("utf-8-sig").count("\n") == 1, "nothing written"


def test_the_partner_list_of_the_seed_report_parses_into_institutions_and_countries() -> None:
    partners = parse_partner_list(SEED.read_text(encoding="utf-8"))
    assert ("Кастамону Университети", "Түркия") in partners
    assert ("Алматы технологиялык университети", "Казакстан") in partners
    assert len(partners) > 80
