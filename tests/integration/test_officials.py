"""Officials (issue 12.1): read from the setting, edited by the administrator, printed as who
held the post on the paper's date; a missing one refuses the step that asks for the paper."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sapar.app import create_app
from sapar.config import Settings
from sapar.officials import OfficialMissing, Post
from sapar.services import officials
from sapar.services.issuing import sweep
from sapar.services.officials import OfficialIn
from sapar.services.users import User, UserProblem
from states.dossier import DocumentKind as D
from states.guards import RuleViolation
from states.machine import NotPermitted
from states.model import Role
from storage.uow import UnitOfWork
from tests.builders import a_case, a_staff_member
from tests.integration.desk import DEAN, HEAD, IRO, VICE_RECTOR, Desk
from tests.integration.office import Office
from tests.integration.test_issuing import issued, text_of, to_the_order
from tests.integration.web_client import csrf_of, log_in

ADMIN = User(1, "admin", "Администратор", Role.admin)
ECONOMICS = "Экономика факультети"


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Desk:
    return Desk(engine, tmp_path / "files")


def _holder(engine: Engine, post: Post, unit: str = "") -> int:
    found = [o for o in officials.list_officials(engine) if o.post is post and o.unit == unit]
    assert found and found[0].id is not None
    return found[0].id


def test_a_step_whose_paper_has_no_signer_on_record_is_refused_naming_the_post(
    desk: Desk, engine: Engine
) -> None:
    dean = _holder(engine, Post.dean, ECONOMICS)
    officials.end_appointment(engine, user=ADMIN, official_id=dean, last_day=date(2026, 10, 31))
    case_id = desk.open(a_case(host_language="англис тили", language_level="B2"))
    desk.hand_in(case_id, *(D.application, D.transcript, D.questionnaire, D.motivation_letter,
                            D.passport_copy, D.parents_consent, D.study_plan))  # fmt: skip
    with pytest.raises(RuleViolation) as refused:
        desk.step(case_id, "nominate", DEAN)
    [missing] = refused.value.refusals
    assert isinstance(missing, OfficialMissing)
    assert (missing.post, missing.unit, missing.clause) == ("dean", ECONOMICS, "4.1, 4.8")
    assert "No dean (Экономика факультети) is on record for 23.11.2026" in str(missing)
    assert "/officials" in missing.say("ky") and "катталган эмес" in missing.say("ky")
    assert "не указан декан" in missing.say("ru")
    assert "administrator" in missing.say("en")
    with UnitOfWork(engine, read_only=True) as uow:
        assert uow.cases.get(case_id).state == "application"  # nothing changed, nothing queued
    assert sweep(engine, desk.files).issued == []


def test_a_staff_trip_order_carries_the_whole_approval_chain(desk: Desk, engine: Engine) -> None:
    staff = a_staff_member(full_name="Нурбек Асанов", position="доцент")
    case_id = desk.open(a_case(staff, purpose="Эл аралык конференцияда баяндама",
                               substitute="ага окутуучу А. Токтогулов"))  # fmt: skip
    desk.hand_in(case_id, D.application, D.invitation_letter, D.substitution_note)
    for event, actor in (("approve_by_head", HEAD), ("approve_by_dean", DEAN),
                         ("approve_by_vice_rector", VICE_RECTOR), ("receive_invitation", IRO),
                         ("issue_order", IRO)):  # fmt: skip
        desk.step(case_id, event, actor)
    sweep(engine, desk.files)
    visas = text_of(desk, issued(engine, case_id)[0]).split("Макулдашылды:")[1]
    chain = [
        "Информатика кафедрасынын башчысы",
        "Математика жана информатика факультетинин деканы",
        "Илимий иштер боюнча проректор",
        "Эл аралык байланыштар департаментинин директору",
    ]
    positions = [visas.index(title) for title in chain]
    assert positions == sorted(positions), "visas follow the regulation's order (4.8)"
    assert "—" not in visas


def test_an_order_prints_who_held_the_post_on_its_date(desk: Desk, engine: Engine) -> None:
    officials.appoint(
        engine,
        user=ADMIN,
        entry=OfficialIn(
            post=Post.rector, full_name="А. Т. Жаңы Ректор", valid_from=date(2026, 11, 1)
        ),
    )
    case_id = to_the_order(desk)
    sweep(engine, desk.files)
    order = next(r for r in issued(engine, case_id) if r.doc_type == "mobility_order")
    text = text_of(desk, order)
    assert "А. Т. Жаңы Ректор" in text and "К. Ж. Кожобеков" not in text
    terms = {
        o.full_name: o.valid_to for o in officials.list_officials(engine) if o.post is Post.rector
    }
    assert terms["К. Ж. Кожобеков"] == date(2026, 10, 31)  # the previous term ends the day before


def test_the_officials_file_setting_is_read_at_start(tmp_path: Path) -> None:
    file = tmp_path / "officials.json"
    file.write_text(
        json.dumps(
            [
                {"post": "rector", "full_name": "К. Ж. Кожобеков", "valid_from": "2021-09-01"},
                {
                    "post": "dean",
                    "unit": ECONOMICS,
                    "full_name": "Б. Токтосунов",
                    "valid_from": "2022-01-10",
                    "valid_to": "2027-01-09",
                },
            ]
        ),
        encoding="utf-8",
    )
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'fresh.db'}", officials_file=file,
                        files_dir=tmp_path / "files", var_dir=tmp_path)  # fmt: skip
    app = create_app(settings)
    engine = app.state.services.engine
    names = {(o.post.value, o.full_name, o.title("ru")) for o in officials.list_officials(engine)}
    assert names == {
        ("rector", "К. Ж. Кожобеков", "Ректор"),
        ("dean", "Б. Токтосунов", "Декан экономического факультета"),
    }
    create_app(settings)  # importing the same file again changes nothing
    assert len(officials.list_officials(engine)) == 2
    file.write_text('[{"post": "dean", "unit": "Айыл чарба", "full_name": "X Y", '
                    '"valid_from": "2022-01-10"}]', encoding="utf-8")  # fmt: skip
    with pytest.raises(UserProblem, match="entry 1: unit: 'Айыл чарба' is not one of"):
        create_app(settings)


def test_only_the_administrator_appoints_and_a_department_needs_its_translations(
    sqlite_office: Office,
) -> None:
    browser = TestClient(sqlite_office.client.app)
    csrf = log_in(browser, "admin")
    page = browser.get("/officials")
    assert page.status_code == 200 and "К. Ж. Кожобеков" in page.text
    form = {"csrf": csrf, "post": "head_of_department", "unit": "Банк иши кафедрасы",
            "full_name": "Э. Р. Садыкова", "valid_from": "2026-09-01"}  # fmt: skip
    refused = browser.post("/officials", data=form, follow_redirects=False)
    assert refused.status_code == 400 and "titles" in refused.text and "ru, en" in refused.text
    form |= {"title_ru": "Заведующая кафедрой банковского дела",
             "title_en": "Head of the Banking Department"}  # fmt: skip
    assert browser.post("/officials", data=form, follow_redirects=False).status_code == 303
    shown = browser.get("/officials").text
    assert "Банк иши кафедрасынын башчысы" in shown and "Заведующая кафедрой" in shown

    clerk = TestClient(sqlite_office.client.app)
    token = log_in(clerk, "iro")
    assert clerk.get("/officials").status_code == 200  # a refusal sends everyone here
    assert "csrf" not in clerk.get("/officials").text.split("<table")[1]  # no edit forms
    form["csrf"] = token
    assert clerk.post("/officials", data=form, follow_redirects=False).status_code == 403
    with pytest.raises(NotPermitted):
        officials.appoint(
            sqlite_office.engine,
            user=User(2, "iro", "ЭАБД", Role.iro),
            entry=OfficialIn(post=Post.rector, full_name="X Y", valid_from=date(2027, 1, 1)),
        )
    assert csrf_of(shown)


def test_a_reissue_after_the_signed_scan_keeps_its_number_and_says_what_it_replaces(
    desk: Desk, engine: Engine
) -> None:
    """Issue 12.4, on the real path: the order, its signed scan uploaded, then a correction."""
    from documents import DocumentKind
    from sapar.services.issuing import request_document

    case_id = to_the_order(desk)
    sweep(engine, desk.files)
    desk.hand_in(case_id, D.mobility_order)  # the signed scan, uploaded by ЭАБД
    request_document(engine, case_id=case_id, kind=DocumentKind.mobility_order, language="ru")
    sweep(engine, desk.files)
    orders = [r for r in issued(engine, case_id) if r.doc_type == "mobility_order"]
    generated = [r for r in orders if r.origin == "generated"]
    assert [r.number for r in generated] == ["1/АМ", "1/АМ"]  # the first stays in the file
    first, second = generated
    text = text_of(desk, second).replace("\u00a0", " ")  # a date's spaces never break
    # The date the first version carries: its day in Osh (UTC+6), not the UTC day stored.
    from sapar.services.contexts.dossier import issued_on

    assert f"Версия 2 (исправленная), заменяет версию от {issued_on(first).day} " in text
    assert "версия" not in text_of(desk, first).lower()


def test_a_step_reads_with_its_case_the_same_registry_the_papers_are_signed_from(
    desk: Desk, engine: Engine
) -> None:
    # One appointment with an end and titles of its own, so every field is compared.
    officials.end_appointment(
        engine, user=ADMIN, official_id=_holder(engine, Post.rector), last_day=date(2026, 12, 31)
    )
    case_id = desk.open(a_case())
    with UnitOfWork(engine) as uow:
        read = uow.cases.get_for_step(case_id, officials=True)
        assert read.officials is not None
        with_the_case = officials.officials_from_json(read.officials)
        on_its_own = officials.load_officials(uow.session)
    assert sorted(map(repr, with_the_case._by_post.items())) == sorted(
        map(repr, on_its_own._by_post.items())
    )
    assert with_the_case.holder(Post.rector, on=date(2026, 12, 31)) is not None
    assert with_the_case.holder(Post.rector, on=date(2027, 1, 1)) is None
