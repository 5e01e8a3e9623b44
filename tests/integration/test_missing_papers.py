"""The papers issue 12 found missing, each issued from a case through the real path (a step
records it, the sweep issues it) and read back as text; the letters that go abroad are in
English."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from sapar.services.issuing import sweep
from sapar.services.study_plan import PlanLine, set_study_plan
from states.dossier import DocumentType as D
from states.model import Scope
from tests.builders import LONG_STAY_PAPERS, a_case, a_guest
from tests.integration.desk import DEAN, IRO, Desk
from tests.integration.test_issuing import aiperi, invited, issued, text_of


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Desk:
    return Desk(engine, tmp_path / "files")


def test_the_letter_asking_a_foreign_host_for_invitations_is_issued_in_english(
    desk: Desk, engine: Engine
) -> None:
    case_id = invited(desk)  # an international stay (Ankara): nominate asked for the letter
    [letter] = [r for r in issued(engine, case_id) if r.doc_type == "invitation_request"]
    text = text_of(desk, letter)
    assert letter.language == "en" and letter.filename.endswith("_en.docx")
    assert "Osh State University presents its compliments" in text
    assert "Aiperi Omurbekova" in text  # the name romanised, not in Cyrillic
    assert "Айпери" not in text and "Урматтоо" not in text


def test_a_domestic_partner_gets_the_letter_in_the_clerks_language(
    desk: Desk, engine: Engine
) -> None:
    case_id = desk.open(
        a_case(aiperi(), scope=Scope.domestic, host_institution="Талас мамлекеттик университети",
               host_country="Кыргызстан", host_city="Талас", host_language="кыргыз тили")
    )  # fmt: skip
    desk.hand_in(case_id, *LONG_STAY_PAPERS)
    set_study_plan(engine, case_id=case_id, actor=DEAN, lines=[PlanLine("Макроэкономика", 6)])
    desk.step(case_id, "nominate", DEAN)
    sweep(engine, desk.files)
    [letter] = [r for r in issued(engine, case_id) if r.doc_type == "invitation_request"]
    assert letter.language == "ky"
    assert "Айпери Өмүрбекова" in text_of(desk, letter)


def test_a_guest_from_abroad_gets_oshsus_invitation_in_english(desk: Desk, engine: Engine) -> None:
    guest = a_guest(specialty="Computer Engineering", year=3, group_name="КИ-3-23")
    case_id = desk.open(a_case(guest, faculty="Математика жана информатика факультети",
                               host_institution="ОшМУ", host_country="Кыргызстан",
                               purpose="one semester of study"))  # fmt: skip
    desk.hand_in(case_id, D.partner_nomination)
    desk.step(case_id, "accept", IRO)
    sweep(engine, desk.files)
    [letter] = issued(engine, case_id)
    text = text_of(desk, letter)
    assert (letter.doc_type, letter.language) == ("incoming_invitation", "en")
    assert "LETTER OF INVITATION" in text and "Dear Mehmet Yılmaz," in text
    assert "Faculty of Mathematics" in text  # the faculty's English name
