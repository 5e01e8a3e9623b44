"""The papers issue 12 found missing, each issued from a case through the real path (a step
records it, the sweep issues it) and read back as text; the letters that go abroad are in
English."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from documents import DocumentKind
from documents.docx_text import full_text
from sapar.services.faculty_report import faculty_report
from sapar.services.issuing import request_document, sweep
from sapar.services.readiness import NotReady
from sapar.services.study_plan import PlanLine, TranscriptLine, record_transcript, set_study_plan
from states.dossier import DocumentKind as D
from states.grades import RecognitionOutcome, Scale
from states.model import Scope
from storage.orm import CaseRow, ParticipantRow
from storage.uow import UnitOfWork
from tests.builders import LONG_STAY_PAPERS, a_case, a_guest, a_staff_member, a_student
from tests.integration.desk import DEAN, HEAD, IRO, VICE_RECTOR, Desk
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


# --- a. the referral letter -----------------------------------------------------------------


def test_the_order_step_issues_the_referral_letter_in_english_citing_the_invitation(
    desk: Desk, engine: Engine
) -> None:
    case_id = invited(desk)
    desk.step(case_id, "issue_order", IRO)
    sweep(engine, desk.files)
    [letter] = [r for r in issued(engine, case_id) if r.doc_type == "referral_letter"]
    text = text_of(desk, letter)
    assert (letter.language, letter.number) == ("en", "2/ЭАБД")  # after the invitation request
    assert "LETTER OF REFERRAL" in text and "hereby refers its student Aiperi Omurbekova" in text
    assert "group FK-3-23" in text  # the group code romanised with the name
    assert "No. 2026/145" in text  # the host's invitation as handed in (tests.integration.desk)
    assert "11 ECTS credits" in text  # the ЖОП's host courses: 6 + 5


def test_the_referral_letter_is_also_issued_in_kyrgyz_and_russian_on_request(
    desk: Desk, engine: Engine
) -> None:
    case_id = invited(desk)
    desk.step(case_id, "issue_order", IRO)
    for language in ("ky", "ru"):
        request_document(engine, case_id=case_id, kind=DocumentKind.referral_letter,
                         language=language)  # fmt: skip
    sweep(engine, desk.files)
    letters = [r for r in issued(engine, case_id) if r.doc_type == "referral_letter"]
    assert [(r.language, r.number) for r in letters] == [
        ("en", "2/ЭАБД"), ("ky", "2/ЭАБД"), ("ru", "2/ЭАБД")
    ]  # fmt: skip
    ky, ru = text_of(desk, letters[1]), text_of(desk, letters[2])
    assert "ЖОЛДОМО КАТ" in ky and "Айпери Өмүрбекова" in ky and "окуу жайына жолдойт" in ky
    assert "НАПРАВЛЕНИЕ" in ru and "Айпери Өмүрбекова" in ru
    assert "на академическую мобильность по программе" in ru


def test_the_order_step_is_refused_naming_what_the_referral_letter_lacks(
    desk: Desk, engine: Engine
) -> None:
    case_id = invited(desk)
    with UnitOfWork(engine) as uow:  # the host's name wiped after the invitation came
        uow.session.execute(update(CaseRow).where(CaseRow.id == case_id).values(programme=None))
        uow.commit()
    with pytest.raises(NotReady) as refused:
        desk.step(case_id, "issue_order", IRO)
    assert "referral_letter" in [m.document.value for m in refused.value.missing]
    assert "ЭАБД duties (referral letter)" in str(refused.value)


# --- b. the staff member's short trip report (3.6) --------------------------------------------


def _staff_trip_abroad(desk: Desk) -> int:
    staff = a_staff_member(full_name="Нурбек Асанов", position="доцент")
    case_id = desk.open(a_case(staff, purpose="Эл аралык конференцияда баяндама",
                               substitute="ага окутуучу А. Токтогулов"))  # fmt: skip
    desk.hand_in(case_id, D.application, D.invitation_letter, D.substitution_note)
    for event, actor in (("approve_by_head", HEAD), ("approve_by_dean", DEAN),
                         ("approve_by_vice_rector", VICE_RECTOR), ("receive_invitation", IRO),
                         ("issue_order", IRO)):  # fmt: skip
        desk.step(case_id, event, actor)
    sweep(desk.engine, desk.files)
    desk.step(case_id, "depart", IRO)
    return case_id


def test_the_return_of_a_staff_member_issues_the_short_report_form_citing_the_order(
    desk: Desk, engine: Engine
) -> None:
    case_id = _staff_trip_abroad(desk)
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 6, 20))
    sweep(engine, desk.files)
    [form] = [r for r in issued(engine, case_id) if r.doc_type == "staff_report_form"]
    text = text_of(desk, form)
    assert form.language == "ky"
    assert "ИШ САПАР ТУУРАЛУУ КЫСКАЧА ОТЧЕТ" in text and "3.6-пункту" in text
    assert "Нурбек Асанов" in text and "доцент" in text
    assert "№ 1/ИС буйрук" in text  # the business-trip order it was made on
    assert "20-июнуна чейин" in text  # the actual return date ends the period
    assert "Кызматташууну өнүктүрүү боюнча сунуштар" in text  # the part to fill in by hand


def test_a_return_whose_report_form_cannot_be_filled_is_refused_naming_the_field(
    desk: Desk, engine: Engine
) -> None:
    case_id = _staff_trip_abroad(desk)
    with UnitOfWork(engine) as uow:
        uow.session.execute(update(ParticipantRow).values(position=None))
        uow.commit()
    with pytest.raises(NotReady) as refused:
        desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 6, 20))
    assert [(m.document.value, m.path) for m in refused.value.missing] == [
        ("staff_report_form", "staff.position")
    ]
    assert "3.6" in str(refused.value)


# --- c. the expulsion submission (more than 15 credits failed) ------------------------------


def _decided(desk: Desk, failing: list[tuple[str, int]]) -> int:
    case_id = invited(desk)
    desk.step(case_id, "issue_order", IRO)
    desk.hand_in(case_id, D.mobility_order)
    desk.step(case_id, "depart", IRO)
    desk.step(case_id, "return_home", IRO, actual_end_date=date(2026, 6, 30))
    desk.hand_in(case_id, D.host_transcript, D.certificate, actor=DEAN)
    lines = [TranscriptLine("International Finance", 6, "B", Scale.ects)]
    lines += [TranscriptLine(title, credits, "F", Scale.ects) for title, credits in failing]
    failed = record_transcript(desk.engine, case_id=case_id, actor=DEAN, lines=lines)
    desk.step(case_id, "start_recognition", DEAN)
    desk.step(case_id, "decide_recognition", DEAN, failed_credits=int(failed))
    sweep(desk.engine, desk.files)
    return case_id


def test_more_than_15_failed_credits_issue_the_deans_expulsion_submission(
    desk: Desk, engine: Engine
) -> None:
    case_id = _decided(desk, [("Corporate Finance", 8), ("Business Statistics", 8)])
    with UnitOfWork(engine, read_only=True) as uow:
        assert uow.cases.get(case_id).outcome is RecognitionOutcome.expulsion_proposal
    kinds = [r.doc_type for r in issued(engine, case_id)]
    assert kinds[-2:] == ["recognition_decision", "expulsion_submission"]
    submission = issued(engine, case_id)[-1]
    text = text_of(desk, submission)
    assert submission.language == "ky"
    assert "СУНУШ" in text and "студентти окуудан четтетүү жөнүндө" in text
    assert "кредиттеринин суммасы 16 кредитти түзөт жана белгиленген 15 кредиттен ашат" in text
    assert "Corporate Finance" in text and "Business Statistics" in text
    assert "International Finance" not in text  # credited: not a reason to expel
    assert "Айпери Өмүрбекова окуудан четтетүүнү сунуштайм" in text


def test_fifteen_failed_credits_mean_a_summer_retake_and_no_submission(
    desk: Desk, engine: Engine
) -> None:
    case_id = _decided(desk, [("Corporate Finance", 8), ("Business Statistics", 7)])
    with UnitOfWork(engine, read_only=True) as uow:
        assert uow.cases.get(case_id).outcome is RecognitionOutcome.summer_retake
    assert "expulsion_submission" not in [r.doc_type for r in issued(engine, case_id)]


# --- d. the faculty's mobility report to ЭАБД (on demand) -----------------------------------


def test_the_faculty_report_lists_the_faculty_cases_of_the_period_by_direction(
    desk: Desk, engine: Engine
) -> None:
    case_id = invited(desk)  # Aiperi, semester 2026-02-02..2026-06-30, at Ankara
    desk.step(case_id, "issue_order", IRO)
    faculty = aiperi().faculty
    assert faculty
    later = desk.open(a_case(a_student(full_name="Бекзат Турдубаев", university_id="S-2"),
                             start_date=date(2026, 9, 1), end_date=date(2026, 12, 20)))  # fmt: skip
    other = desk.open(a_case(a_student(full_name="Гүлнур Асанова", university_id="S-3",
                                       faculty="Медицина факультети")))  # fmt: skip
    assert later and other
    document = faculty_report(engine, faculty=faculty, period_from=date(2026, 1, 1),
                              period_to=date(2026, 6, 30), language="ky")  # fmt: skip
    text = full_text(document.content)
    assert "ФАКУЛЬТЕТТЕ АКАДЕМИЯЛЫК МОБИЛДҮҮЛҮКТҮН АТКАРЫЛЫШЫ ЖӨНҮНДӨ ОТЧЕТ" in text
    assert "Айпери Өмүрбекова" in text and "Ankara Üniversitesi" in text
    assert "Бекзат Турдубаев" not in text  # the autumn semester is outside the period
    assert "Гүлнур Асанова" not in text  # another faculty's student
    assert "чет өлкөгө жиберилген студенттер — 1" in text
    ru = full_text(faculty_report(engine, faculty=faculty, period_from=date(2026, 1, 1),
                                  period_to=date(2026, 6, 30), language="ru").content)  # fmt: skip
    assert "ОТЧЁТ О РЕАЛИЗАЦИИ АКАДЕМИЧЕСКОЙ МОБИЛЬНОСТИ" in ru and "Айпери Өмүрбекова" in ru
