"""Demo data: OshSU staff, partners and cases in every state of every kind, each driven there
through the real service layer (papers handed in, steps fired, documents issued)."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select

from sapar import clock
from sapar.faculties import FACULTIES
from sapar.officials import Post
from sapar.services import users
from sapar.services.cases import Actor, fire, open_case
from sapar.services.officials import OfficialIn, save_all
from sapar.services.papers import FACTS_REQUIRED, PaperFacts, attach_paper
from sapar.services.partners import PartnerIn, add_partner, write_agreement
from sapar.services.study_plan import PlanLine, TranscriptLine, record_transcript, set_study_plan
from states.dossier import DocumentKind as D
from states.grades import Scale
from states.kinds import DEFINITIONS
from states.model import (
    Case,
    CaseKind,
    FundingBasis,
    FundingSource,
    Level,
    Participant,
    ParticipantKind,
    Role,
    Scope,
)
from storage.files import FileStore
from storage.orm import UserRow
from storage.uow import UnitOfWork

DEMO_PASSWORD = "oshsu-demo-2026"

FACULTY_DEPARTMENTS = {
    "Экономика факультети": "Финансы жана кредит кафедрасы",
    "Математика жана информатика факультети": "Информатика кафедрасы",
    "Медицина факультети": "Ички оорулар кафедрасы",
    "Дүйнөлүк тилдер жана маданият факультети": "Англис филологиясы кафедрасы",
    "Юридикалык факультет": "Жарандык укук кафедрасы",
}

# The departments' names in Russian and English, for their heads' printed positions.
DEPARTMENT_TITLES: dict[str, tuple[str, str]] = {
    "Финансы жана кредит кафедрасы": ("финансов и кредита", "Finance and Credit"),
    "Финансы кафедрасы": ("финансов", "Finance"),
    "Информатика кафедрасы": ("информатики", "Informatics"),
    "Математика кафедрасы": ("математики", "Mathematics"),
    "Ички оорулар кафедрасы": ("внутренних болезней", "Internal Medicine"),
    "Англис филологиясы кафедрасы": ("английской филологии", "English Philology"),
    "Жарандык укук кафедрасы": ("гражданского права", "Civil Law"),
}
_UNIVERSITY_OFFICIALS = (
    (Post.rector, "К. Ж. Кожобеков", "rector@oshsu.kg", "+996 3222 7-07-01"),
    (Post.vice_rector_academic, "Н. А. Айтиева", "", ""),
    (Post.vice_rector_research, "Т. С. Исаков", "", ""),
    (Post.iro_director, "Г. Т. Мамытова", "iro@oshsu.kg", "+996 3222 7-07-12"),
    (Post.lawyer, "А. Б. Турдубаев", "", ""),
    (Post.registrar, "Ж. К. Орозбаева", "", ""),
)
_SURNAMES = ("Абдыкадыров", "Жумабаева", "Сатыбалдиев", "Осмонова", "Турдалиев", "Бекова")


def demo_officials(since: date = date(2020, 9, 1)) -> list[OfficialIn]:
    """Who signs the demo's papers: the university's posts, a dean and two deputy deans per
    faculty, and the heads of the departments the demo and the tests use."""
    entries = [
        OfficialIn(post=post, full_name=name, email=email, phone=phone, valid_from=since)
        for post, name, email, phone in _UNIVERSITY_OFFICIALS
    ]
    for n, faculty in enumerate(FACULTIES):
        for k, post in enumerate(
            (Post.dean, Post.deputy_dean_international, Post.deputy_dean_academic)
        ):
            surname = _SURNAMES[(n + k) % len(_SURNAMES)]
            initials = "АБКМНС"[n % 6] + ". " + "ЖТЭОРА"[k] + "."
            entries.append(
                OfficialIn(
                    post=post, unit=faculty, full_name=f"{initials} {surname}", valid_from=since
                )
            )
    for n, (department, (ru, en)) in enumerate(DEPARTMENT_TITLES.items()):
        entries.append(
            OfficialIn(
                post=Post.head_of_department,
                unit=department,
                full_name=f"{'ДЗМУ'[n % 4]}. Ш. {_SURNAMES[(2 * n) % len(_SURNAMES)]}",
                titles={"ru": f"Заведующий кафедрой {ru}", "en": f"Head of the {en} Department"},
                valid_from=since,
            )
        )
    return entries


# (institution, country, city, programme, scope)
PARTNERS = [
    ("Ankara Üniversitesi", "Türkiye", "Ankara", "Mevlana", Scope.international),
    ("Kazan Federal University", "Россия", "Казань", "Эки тараптуу келишим", Scope.international),
    ("Universität Potsdam", "Deutschland", "Potsdam", "Erasmus+", Scope.international),
    ("Osh Technological University", "Кыргызстан", "Ош", "Osh Declaration", Scope.domestic),
    ("Kyrgyz-Turkish Manas University", "Кыргызстан", "Бишкек", "Osh Declaration", Scope.domestic),
    ("Universität Potsdam", "Deutschland", "Potsdam", "DAAD", Scope.international),
]
GUESTS = [
    ("Mehmet Yılmaz", "Ankara Üniversitesi", "Türkiye"),
    ("Алина Хасанова", "Kazan Federal University", "Россия"),
    ("Lena Schmidt", "Universität Potsdam", "Deutschland"),
    ("Elif Demir", "Ankara Üniversitesi", "Türkiye"),
    ("Руслан Галиев", "Kazan Federal University", "Россия"),
]
FIRST = ["Айгерим", "Нурбек", "Жылдыз", "Бекзат", "Айпери", "Эламан", "Гүлзат", "Тилек",
         "Назира", "Азамат", "Мээрим", "Улан", "Асель", "Эрлан", "Бермет", "Данияр"]  # fmt: skip
LAST = ["Жолдошбекова", "Асанов", "Токтосунова", "Маматов", "Абдыкадырова", "Сыдыков",
        "Осмонова", "Ташиев", "Эргешова", "Кадыров", "Бакирова", "Жумабаев"]  # fmt: skip


def _female(first: str) -> bool:
    return first in {"Айгерим", "Жылдыз", "Айпери", "Гүлзат", "Назира", "Мээрим", "Асель",
                     "Бермет"}  # fmt: skip


def kyrgyz_name(i: int) -> str:
    first = FIRST[i % len(FIRST)]
    last = LAST[(i * 7) % len(LAST)]
    if _female(first) and not last.endswith("а"):
        last += "а"
    elif not _female(first) and last.endswith("ова"):
        last = last[:-1]
    return f"{last} {first}"


def a_pdf(title: str) -> bytes:
    """A small valid one-page PDF (ASCII text): opens in any viewer."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


# --- who acts -----------------------------------------------------------------------------


def demo_staff() -> list[dict[str, Any]]:
    staff: list[dict[str, Any]] = [
        {"username": "iro", "full_name": "Гүлнара Мамытова", "role": Role.iro},
        {"username": "rector", "full_name": "Кудайберди Кожобеков", "role": Role.rector},
        {"username": "vr.academic", "full_name": "Жаныбек Алимов",
         "role": Role.vice_rector_academic},
        {"username": "vr.research", "full_name": "Канат Садыков",
         "role": Role.vice_rector_research},
        {"username": "project.lead", "full_name": "Азамат Кадыров", "role": Role.project_lead},
        {"username": "accounting", "full_name": "Айнура Бекова", "role": Role.accounting},
        {"username": "auditor", "full_name": "Самат Жумабаев", "role": Role.auditor},
    ]  # fmt: skip
    for n, (faculty, department) in enumerate(FACULTY_DEPARTMENTS.items(), start=1):
        staff.append({"username": f"dean{n}", "full_name": f"{kyrgyz_name(40 + n)} (деканат)",
                      "role": Role.dean_office, "faculty": faculty})  # fmt: skip
        staff.append({"username": f"head{n}", "full_name": kyrgyz_name(60 + n),
                      "role": Role.head_of_department, "faculty": faculty,
                      "department": department})  # fmt: skip
    return staff


@dataclass
class Cast:
    """The demo's actors, by duty and faculty."""

    by_username: dict[str, Actor] = field(default_factory=dict)

    def role(self, role: Role, faculty: str | None = None) -> Actor:
        for actor in self.by_username.values():
            if actor.role is role and (faculty is None or actor.faculty == faculty):
                return actor
        raise LookupError(f"no demo {role.value} for {faculty}")


AGREEMENT_OF = {"Mevlana": "mevlana", "Erasmus+": "erasmus_plus", "DAAD": "daad",
                "Osh Declaration": "osh_declaration"}  # fmt: skip


def ensure_partners(engine: Engine) -> dict[str, int]:
    """The partner registry (5.3): each demo partner with an agreement from 2020 to 2030."""
    ids: dict[str, int] = {}
    with UnitOfWork(engine) as uow:
        for name, country, city, programme, scope in PARTNERS:
            if name in ids:
                continue
            ids[name] = add_partner(
                uow.session, PartnerIn(name=name, country=country, city=city, scope=scope)
            )
            write_agreement(
                uow.session, partner_id=ids[name],
                kind=AGREEMENT_OF.get(programme, "bilateral"),
                valid_from=date(2020, 1, 1), valid_to=date(2030, 12, 31),
                number=f"{2020 + len(ids)}/{len(ids):02d}", title=f"{programme}: {name}",
            )  # fmt: skip
        uow.commit()
    return ids


def ensure_staff(engine: Engine, password: str) -> Cast:
    with UnitOfWork(engine, read_only=True) as uow:
        existing = set(uow.session.scalars(select(UserRow.username)))
    cast = Cast()
    for spec in demo_staff():
        if spec["username"] not in existing:
            users.create_user(engine, password=password, **spec)
        user = users.get_user(engine, username=spec["username"])
        cast.by_username[user.username] = user.actor
    return cast


# --- the journeys ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    event: str
    role: Role
    papers: tuple[D, ...] = ()
    payload: dict[str, Any] = field(default_factory=dict)


STUDENT_PAPERS = (D.application, D.transcript, D.questionnaire, D.motivation_letter,
                  D.passport_copy, D.parents_consent)  # fmt: skip


def student_path(long_term: bool, returned_on: date) -> list[Move]:
    return [
        Move("nominate", Role.dean_office, (*STUDENT_PAPERS, *((D.study_plan,) * long_term))),
        Move("receive_invitation", Role.iro, (D.invitation_letter,)),
        Move("issue_order", Role.iro, (D.dean_nomination,) if long_term else ()),
        Move("depart", Role.iro, (D.mobility_order,)),
        Move("return_home", Role.dean_office, (), {"actual_end_date": returned_on}),
        Move(
            "start_recognition",
            Role.dean_office,
            (D.host_transcript, D.certificate)
            if long_term
            else (D.reference_letter, D.certificate),
        ),
        Move(
            "decide_recognition", Role.dean_office, (), {"failed_credits": 4} if long_term else {}
        ),
    ]


def staff_path(project: bool, returned_on: date) -> list[Move]:
    moves = [
        Move(
            "approve_by_head",
            Role.head_of_department,
            (D.application, D.invitation_letter, D.substitution_note),
        ),
        Move("approve_by_dean", Role.dean_office),
    ]
    if project:
        moves.append(Move("approve_by_project_lead", Role.project_lead))
    return [
        *moves,
        Move("approve_by_vice_rector", Role.vice_rector_research),
        Move("receive_invitation", Role.iro),
        Move("issue_order", Role.iro),
        Move("depart", Role.iro, (D.staff_trip_order,)),
        Move("return_home", Role.head_of_department, (), {"actual_end_date": returned_on}),
        Move("file_report", Role.iro,
             (D.presentation_minutes, D.staff_report, *((D.expense_report,) * (not project)))),
        Move("close", Role.iro),
    ]  # fmt: skip


def incoming_path() -> list[Move]:
    return [
        Move("accept", Role.iro, (D.partner_nomination,)),
        Move("enrol", Role.iro),
        Move("arrive", Role.dean_office, (D.enrolment_order,)),
        # OshSU issues it from the grades its faculty entered (DEMO_GUEST_GRADES): no upload.
        Move("issue_transcript", Role.dean_office),
        Move("close", Role.iro),
    ]


# (kind, how many steps along the main path, side exit or None)
@dataclass(frozen=True)
class Plan:
    kind: CaseKind
    steps: int
    exit: Move | None = None
    project: bool = False


def plans() -> Iterator[Plan]:
    for kind, length in ((CaseKind.outgoing_student_long, 7),
                         (CaseKind.outgoing_student_short, 7)):  # fmt: skip
        for n in range(length + 1):
            yield Plan(kind, n)
        yield Plan(
            kind,
            0,
            Move(
                "withdraw",
                Role.dean_office,
                (),
                {"reason": "Студент үй-бүлөлүк себеп менен баш тартты"},
            ),
        )
        yield Plan(
            kind,
            0,
            Move(
                "reject",
                Role.dean_office,
                (),
                {"reason": "GPA кайра текшерилди: конкурстан өтпөдү"},
            ),
        )
        yield Plan(
            kind,
            1,
            Move("cancel", Role.iro, (), {"reason": "Кабыл алуучу окуу жайдан чакыруу келген жок"}),
        )
    for project in (False, True):
        for n in range(len(staff_path(project, clock.today())) + 1):
            if project and n < 3:
                continue  # the states before the project lead are already shown
            yield Plan(CaseKind.outgoing_staff, n, project=project)
    yield Plan(
        CaseKind.outgoing_staff,
        2,
        Move("withdraw", Role.iro, (), {"reason": "Катышуучу баш тартты"}),
    )
    yield Plan(
        CaseKind.outgoing_staff,
        1,
        Move("reject", Role.dean_office, (), {"reason": "Сабактарды алмаштыруу мүмкүн эмес"}),
    )
    yield Plan(
        CaseKind.outgoing_staff,
        3,
        Move("cancel", Role.iro, (), {"reason": "Конференция жокко чыгарылды"}),
    )
    for kind in (CaseKind.incoming_student, CaseKind.incoming_staff):
        for n in range(len(incoming_path()) + 1):
            yield Plan(kind, n)
        yield Plan(kind, 1, Move("withdraw", Role.iro, (), {"reason": "Катышуучу баш тартты"}))
        yield Plan(kind, 0, Move("reject", Role.iro, (), {"reason": "Өнөктөштүн квотасы толгон"}))


# --- building a case --------------------------------------------------------------------------


def _dates(kind: CaseKind, steps: int, today: date) -> tuple[date, date, date]:
    """(start, end, actual return): in the future before departure, in the past after."""
    short = kind is CaseKind.outgoing_student_short
    staff = kind is CaseKind.outgoing_staff
    length = 20 if short else 7 if staff else 150
    departs_at = {"outgoing_staff": 6}.get(kind.value, 4)
    if steps < departs_at:
        start = today + timedelta(days=70)
    elif steps == departs_at:  # abroad now
        start = today - timedelta(days=length // 2 + 1)
    else:
        start = today - timedelta(days=length + 120)
    end = start + timedelta(days=length)
    return start, end, min(end, today)


def _case(i: int, plan: Plan, today: date) -> Case:
    faculty = list(FACULTY_DEPARTMENTS)[i % len(FACULTY_DEPARTMENTS)]
    department = FACULTY_DEPARTMENTS[faculty]
    host, country, city_name, programme, scope = PARTNERS[i % len(PARTNERS)]
    city: str | None = city_name
    start, end, _ = _dates(plan.kind, plan.steps, today)
    if plan.kind.is_incoming:
        name, home, citizenship = GUESTS[i % len(GUESTS)]
        staff = plan.kind is CaseKind.incoming_staff
        participant = Participant(
            full_name=name, kind=ParticipantKind.staff if staff else ParticipantKind.student,
            level=None if staff else Level.bachelor, position="PhD, доцент" if staff else None,
            home_institution=home, citizenship=citizenship,
            specialty="Computer Science" if i % 2 else "Economics", year=None if staff else 3,
        )  # fmt: skip
        host, country, city, scope = home, citizenship, None, Scope.international
        funding = FundingSource.credit_mobility
    elif plan.kind is CaseKind.outgoing_staff:
        participant = Participant(
            full_name=kyrgyz_name(i), kind=ParticipantKind.staff, faculty=faculty,
            department=department, position=("доцент", "ага окутуучу", "профессор")[i % 3],
        )  # fmt: skip
        funding = FundingSource.research_project if plan.project else FundingSource.university
    else:
        participant = Participant(
            full_name=kyrgyz_name(i), kind=ParticipantKind.student, faculty=faculty,
            department=department, level=Level.bachelor, year=3, semester=1,
            gpa=round(3.1 + (i % 9) / 10, 2), funding_basis=FundingBasis.budget,
            specialty="Экономика", group_name=f"ЭК-{21 + i % 4}",
        )  # fmt: skip
        funding = FundingSource.credit_mobility
    purpose = {
        CaseKind.outgoing_staff: "Эл аралык илимий конференция",
        CaseKind.incoming_staff: "Конок лекциялар",
    }.get(plan.kind, "Академиялык окуу (семестр)")
    if plan.kind is CaseKind.outgoing_student_short:
        purpose = "Жайкы мектеп"
    return Case(
        kind=plan.kind, state=DEFINITIONS[plan.kind].initial, participant=participant,
        scope=scope, host_institution=host, host_country=country, host_city=city,
        programme=programme, start_date=start, end_date=end, funding_source=funding,
        purpose=purpose, faculty=faculty, department=department,
        **_particulars(plan.kind, funding, i, country),
    )  # fmt: skip


def _particulars(kind: CaseKind, funding: FundingSource, i: int, country: str) -> dict[str, Any]:
    """What the papers print beyond the case: the language of study, who covers classes."""
    if kind is CaseKind.outgoing_staff:
        found: dict[str, Any] = {
            "substitute": ("ага окутуучу А. Токтогулов", "доцент Б. Садырова")[i % 2]
        }
        if funding is FundingSource.research_project:
            found["project"] = "«Кыргызстандын тоо экосистемалары» илимий долбоору"
        return found
    if kind.is_outgoing_student:
        language = ("англис тили", "түрк тили", "немис тили")[i % 3]
        return {"host_language": language, "language_level": ("B2", "B1", "B1")[i % 3]}
    return {"home_country": country}


# 4 failed credits: the paid summer retake of the decision the demo takes (4.8, ФД duties).
DEMO_TRANSCRIPT = (
    TranscriptLine("International Finance", 6, "B", Scale.ects),
    TranscriptLine("Econometrics", 5, "A", Scale.ects),
    TranscriptLine("Academic Writing", 4, "FX", Scale.ects),
)
# A guest student's grades at OshSU, on its own 100-point scale (КАОЖ duties).
DEMO_GUEST_GRADES = (
    TranscriptLine("Кыргыз тили (чет тили катары)", 4, "84", Scale.hundred),
    TranscriptLine("Борбордук Азиянын экономикасы", 6, "91", Scale.hundred),
)
DEMO_PLAN = (
    PlanLine("International Finance", 6, replaces="Эл аралык финансы"),
    PlanLine("Econometrics", 5, replaces="Эконометрика"),
    PlanLine("Academic Writing", 3),
    PlanLine("Бухгалтердик эсеп", 4, mode="distance", teacher="Т. Жумабаев", term="spring"),
)


@dataclass
class DemoResult:
    cases: int = 0
    steps: int = 0
    papers: int = 0
    issued: int = 0
    problems: list[str] = field(default_factory=list)


def load_demo(
    engine: Engine,
    files: FileStore,
    *,
    password: str = DEMO_PASSWORD,
    extra: int = 40,
    issue: Callable[[], int] | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    today: date | None = None,
) -> DemoResult:
    """Load the demo. `issue` runs the document flow once (returns how many it issued); the
    papers a step needs that no flow produced are handed in as signed scans."""
    today = today or clock.today()
    save_all(engine, demo_officials(), actor="demo")
    cast = ensure_staff(engine, password)
    partners = ensure_partners(engine)
    result = DemoResult()
    todo = list(plans())
    total = len(todo) + extra
    for i, plan in enumerate(todo):
        _drive(engine, files, cast, i, plan, today, issue, result, partners)
        progress(i + 1, total)
    for j in range(extra):
        i = len(todo) + j
        plan = Plan((CaseKind.outgoing_student_long, CaseKind.outgoing_student_short)[j % 2], 0)
        case = _case(i, plan, today)
        case.partner_id = partners.get(case.host_institution)
        open_case(engine, actor=cast.role(Role.dean_office, case.faculty), case=case)
        result.cases += 1
        progress(i + 1, total)
    return result


def _drive(
    engine: Engine,
    files: FileStore,
    cast: Cast,
    i: int,
    plan: Plan,
    today: date,
    issue: Callable[[], int] | None,
    result: DemoResult,
    partners: dict[str, int],
) -> None:
    case = _case(i, plan, today)
    case.partner_id = partners.get(case.host_institution)
    case_id = open_case(engine, actor=cast.role(Role.dean_office, case.faculty), case=case)
    result.cases += 1
    if plan.kind is CaseKind.outgoing_student_long:
        set_study_plan(engine, case_id=case_id, lines=list(DEMO_PLAN),
                       actor=cast.role(Role.dean_office, case.faculty))  # fmt: skip
    _, _, returned_on = _dates(plan.kind, plan.steps, today)
    if plan.kind is CaseKind.outgoing_staff:
        path = staff_path(plan.project, returned_on)
    elif plan.kind.is_incoming:
        path = incoming_path()
    else:
        path = student_path(plan.kind is CaseKind.outgoing_student_long, returned_on)
    moves = path[: plan.steps] + ([plan.exit] if plan.exit else [])
    for move in moves:
        faculty = case.faculty if move.role in (Role.dean_office, Role.head_of_department) else None
        actor = cast.role(move.role, faculty)
        _hand_in(engine, files, case_id, move.papers, actor, issue, result)
        if move.event == "decide_recognition" and plan.kind is CaseKind.outgoing_student_long:
            record_transcript(engine, case_id=case_id, lines=list(DEMO_TRANSCRIPT), actor=actor)
        if move.event == "issue_transcript" and plan.kind is CaseKind.incoming_student:
            record_transcript(engine, case_id=case_id, lines=list(DEMO_GUEST_GRADES), actor=actor)
        try:
            fire(engine, case_id=case_id, event=move.event, actor=actor,
                 payload=dict(move.payload), today=today)  # fmt: skip
            result.steps += 1
        except Exception as exc:  # the demo goes on; the report lists what did not fit
            result.problems.append(f"case #{case_id} {move.event}: {exc}")
            return


def _facts(paper: D, case_id: int) -> PaperFacts:
    """What the host's or partner's paper says about itself, as the orders cite it."""
    if paper is D.mobility_order:
        # Without the document flow (`sapar demo --no-documents`) the signed order is handed
        # in as a scan: the return order cites it by the number and date it carries.
        return PaperFacts("ОшМУ", f"{100 + case_id}/АМ", clock.today() - timedelta(days=60))
    if paper not in FACTS_REQUIRED:
        return PaperFacts()
    number = f"{2026}/{100 + case_id % 900}" if paper is D.invitation_letter else None
    return PaperFacts("Ankara Üniversitesi", number, clock.today() - timedelta(days=30))


def _hand_in(
    engine: Engine,
    files: FileStore,
    case_id: int,
    papers: tuple[D, ...],
    actor: Actor,
    issue: Callable[[], int] | None,
    result: DemoResult,
) -> None:
    if not papers:
        return
    with UnitOfWork(engine, read_only=True) as uow:
        present = uow.cases.document_types(case_id)
    if issue is not None and any(p.value not in present for p in papers):
        try:
            result.issued += issue()
        except Exception as exc:
            result.problems.append(f"document flow: {exc}")
        with UnitOfWork(engine, read_only=True) as uow:
            present = uow.cases.document_types(case_id)
    for paper in papers:
        if paper.value in present:
            continue
        seed = zlib.crc32(f"{case_id}{paper.value}".encode())
        attach_paper(
            engine, files, case_id=case_id, doc_type=paper,
            filename=f"{paper.value}-{case_id}-{seed % 1000:03d}.pdf",
            content=a_pdf(f"OshSU case #{case_id}: {paper.value.replace('_', ' ')}"),
            actor=actor, facts=_facts(paper, case_id),
        )  # fmt: skip
        result.papers += 1
