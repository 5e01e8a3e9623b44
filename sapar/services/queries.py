"""What users read: the case list, one case's papers, deadlines and history, the overdue
dashboard. Every query is cut to the user's scope in SQL, so nothing outside it is loaded.

The list pages by keyset (`id < after`, newest first): a page costs the same at 1M cases as
at 100, and the filters ride the indexes (faculty, state, id), (kind, state, id) and
(academic_year, id) of storage/orm.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import AwareDatetime
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Engine,
    Integer,
    and_,
    any_,
    bindparam,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from sapar import clock
from states.model import DeadlineStatus
from storage import search
from storage.orm import AuditEventRow, CaseRow, DeadlineRow, DocumentRow, ParticipantRow
from storage.uow import UnitOfWork

from . import access
from .case_access import case_for, ensure_can_see
from .schemas import CaseFilter
from .users import User

T = TypeVar("T")


@dataclass(frozen=True)
class CaseLine:
    id: int
    kind: str
    state: str
    full_name: str
    faculty: str | None
    programme: str | None
    host_institution: str
    host_country: str
    start_date: date
    end_date: date
    academic_year: str
    version: int
    overdue: bool


@dataclass(frozen=True)
class CasePage:
    lines: list[CaseLine]
    next_after: int | None  # the cursor of the next page, None on the last one


@dataclass(frozen=True)
class DocumentLine:
    id: int
    doc_type: str
    origin: str
    filename: str
    size: int
    number: str | None
    version: int
    created_by: str
    created_at: AwareDatetime
    # What a paper handed in is (who issued it, its number and date), as orders cite it.
    issuer: str | None = None
    ref_number: str | None = None
    ref_date: date | None = None


@dataclass(frozen=True)
class DeadlineLine:
    id: int
    case_id: int
    kind: str
    due_date: date
    status: str
    overdue: bool
    full_name: str = ""
    faculty: str | None = None
    case_kind: str = ""


@dataclass(frozen=True)
class HistoryLine:
    seq: int
    at: AwareDatetime
    actor: str
    role: str
    event: str
    outcome: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    data: dict[str, Any]


def _zoned(value: Any) -> Any:
    # SQLite hands timestamps back without their zone; we always write UTC, and the API
    # promises timestamps with their zone (RFC 3339).
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _copy(cls: type[T], row: object, **extra: Any) -> T:
    """A read-only line from a row: the fields the line names, plus what the row lacks."""
    names = [f.name for f in fields(cls) if f.name not in extra]  # type: ignore[arg-type]
    return cls(**{n: _zoned(getattr(row, n)) for n in names}, **extra)


def _late(today: date) -> ColumnElement[bool]:
    return or_(
        DeadlineRow.status == DeadlineStatus.overdue,
        and_(DeadlineRow.status == DeadlineStatus.open, DeadlineRow.due_date < today),
    )


# Up to this many matches of a word, the list reads the matching cases by their ids; past
# it the word is common and the newest-first walk meets enough matches within a few rows.
SEARCH_IDS_INLINE = 1000


def _matching(column: Any, id_column: Any, word: str, session: Session) -> list[int] | None:
    """The ids whose folded text holds the word, or None when there are more than
    SEARCH_IDS_INLINE. The LIMIT lets PostgreSQL choose: for a word its statistics call
    rare, the trigram index (ix_participants_search_trgm, ix_cases_search_trgm); for a
    common one, a scan that stops as soon as the limit is met."""
    query = select(id_column).where(column.like(f"%{word}%")).limit(SEARCH_IDS_INLINE + 1)
    found = list(session.scalars(query))
    return found if len(found) <= SEARCH_IDS_INLINE else None


def search_clause(engine: Engine, q: str) -> ColumnElement[bool]:
    """Search that forgives (storage/search.py): the case number ("100", "#100"), or every
    word of the query, in any order, in the folded name, group, host, city or programme —
    typed in Cyrillic, Latin or on a Russian keyboard."""
    number = search.case_number(q)
    words = search.terms(q)
    if not words:
        return CaseRow.id == number if number is not None else false()
    text = and_(
        *(
            or_(ParticipantRow.search_text.like(f"%{w}%"), CaseRow.search_text.like(f"%{w}%"))
            for w in words
        )
    )
    # The text spans two joined tables, so no index answers it: newest first, the planner
    # walks the cases testing each — quick while matches are many, a scan of all 1M cases
    # (seconds) when they are few (a rare name, a typo). So the rarest word's people and
    # cases are looked up first, each table through its own index, and when they are few
    # the list reads only those cases; the text clause still decides for the other words.
    narrowest: tuple[list[int], list[int]] | None = None
    with UnitOfWork(engine, read_only=True) as uow:
        for word in words:
            people = _matching(ParticipantRow.search_text, ParticipantRow.id, word, uow.session)
            if people is None:
                continue
            cases = _matching(CaseRow.search_text, CaseRow.id, word, uow.session)
            if cases is None:
                continue
            if narrowest is None or len(people) + len(cases) < sum(map(len, narrowest)):
                narrowest = (people, cases)
            if not people and not cases:
                break
    if narrowest is not None:
        people, cases = narrowest
        text = and_(
            or_(
                CaseRow.participant_id.in_(people) if people else false(),
                CaseRow.id.in_(cases) if cases else false(),
            ),
            text,
        )
    return or_(CaseRow.id == number, text) if number is not None else text


# On SQLite, up to this many late cases the case table's WHERE names them; past it, a
# subquery (PostgreSQL takes them all as one array parameter).
LATE_IDS_INLINE = 5000
# The most late ids one statement of the keyset list names.
LATE_BATCH_MAX = 1000


def _late_case_ids(session: Session, today: date) -> list[int]:
    """Every case with a late deadline, newest first. Without a LIMIT the planner reads
    them through ix_deadlines_open_due (the late are few among all deadlines: a few ms
    for 10,000); with one it walked ix_deadlines_case_id in order, testing each deadline,
    because it takes 'open and past due' for common (it cannot know the deadline check
    marks those overdue daily) and so expects the limit met early (~100 ms at 1M cases)."""
    late = select(DeadlineRow.case_id).where(_late(today)).distinct()
    if session.get_bind().dialect.name != "postgresql":
        return list(session.scalars(late.order_by(DeadlineRow.case_id.desc())))
    # One array, not a row per case: 10,000 rows made 10,000 tuples, enough allocations
    # to set off the collector's full pass over the web process (~200 ms, one request in
    # ten); a list of ints is not tracked by it.
    ids = late.subquery()
    agg = func.array_agg(aggregate_order_by(ids.c.case_id, ids.c.case_id.desc()))
    return list(session.scalar(select(agg)) or [])


def _conditions(
    engine: Engine, user: User, f: CaseFilter, today: date, *, late: bool = True
) -> list[ColumnElement[bool]]:
    """The WHERE of a case list: the user's scope and every filter given (the overdue one
    only when `late`: the keyset list applies it itself)."""
    where: list[ColumnElement[bool]] = [access.scope_clause(user)]
    for column, value in (
        (CaseRow.kind, f.kind.value if f.kind else None),
        (CaseRow.state, f.state),
        (CaseRow.faculty, f.faculty),
        (CaseRow.programme, f.programme),
        (CaseRow.host_country, f.host_country),
        (CaseRow.academic_year, f.academic_year),
    ):
        if value is not None:
            where.append(column == value)
    if f.q:
        where.append(search_clause(engine, f.q))
    if f.overdue and late:
        # Few cases are late among many: find them through the deadlines index first, rather
        # than let the planner walk every case testing each for a late deadline.
        with UnitOfWork(engine, read_only=True) as uow:
            found = _late_case_ids(uow.session, today)
        if engine.dialect.name == "postgresql":
            # One array parameter, however many: the planner knows how many and probes the
            # cases' key for them, where a subquery had it scan all the cases.
            where.append(CaseRow.id == any_(bindparam("late", found, type_=ARRAY(Integer))))
        elif len(found) > LATE_IDS_INLINE:
            where.append(CaseRow.id.in_(select(DeadlineRow.case_id).where(_late(today))))
        else:
            where.append(CaseRow.id.in_(found))
    return where


def _lines(uow: UnitOfWork, rows: Sequence[Any], today: date) -> list[CaseLine]:
    ids = [r[0].id for r in rows]
    late = set(
        uow.session.scalars(
            select(DeadlineRow.case_id).where(DeadlineRow.case_id.in_(ids), _late(today))
        )
    )
    return [_copy(CaseLine, c, full_name=name, overdue=c.id in late) for c, name in rows]


def list_cases(
    engine: Engine, *, user: User, filters: CaseFilter, today: date | None = None
) -> CasePage:
    today = today or clock.today()
    f = filters
    query = (
        select(CaseRow, ParticipantRow.full_name)
        .join(ParticipantRow, ParticipantRow.id == CaseRow.participant_id)
        .where(*_conditions(engine, user, f, today, late=False))
        .order_by(CaseRow.id.desc())
        .limit(f.limit + 1)
    )
    if f.after:
        query = query.where(CaseRow.id < f.after)
    with UnitOfWork(engine, read_only=True) as uow:
        if f.overdue:
            rows = _late_rows(uow.session, query, f, today)
        else:
            rows = list(uow.session.execute(query).all())
        more = len(rows) > f.limit
        lines = _lines(uow, rows[: f.limit], today)
    return CasePage(lines, lines[-1].id if more and lines else None)


def _late_rows(session: Session, query: Any, f: CaseFilter, today: date) -> list[Any]:
    """The page of an overdue list: the late cases, newest first, read by their ids a batch
    at a time until the page is full. The cost follows the late cases, whatever the other
    filters and wherever the late sit among the ids; with them as a subquery the planner
    merged them with a walk of the cases by id, down to the oldest late case the page
    needs: all 1M cases when the late are few or old."""
    ids = [i for i in _late_case_ids(session, today) if f.after is None or i < f.after]
    rows: list[Any] = []
    batch, start = f.limit + 1, 0
    while start < len(ids) and len(rows) <= f.limit:
        # A batch is newest-first ids, so its rows follow every row already read.
        chunk = ids[start : start + batch]
        rows += session.execute(query.where(CaseRow.id.in_(chunk))).all()
        start += batch
        batch = min(batch * 4, LATE_BATCH_MAX)  # other filters reject some: read more
    return rows[: f.limit + 1]


# The case list page (issue 13.3): sortable by these columns, paged by number, with its total.
SORTS: dict[str, Any] = {
    "id": CaseRow.id,
    "name": ParticipantRow.full_name,
    "kind": CaseRow.kind,
    "state": CaseRow.state,
    "faculty": CaseRow.faculty,
    "host": CaseRow.host_institution,
    "country": CaseRow.host_country,
    "programme": CaseRow.programme,
    "dates": CaseRow.start_date,
    "year": CaseRow.academic_year,
}


@dataclass(frozen=True)
class CaseTable:
    lines: list[CaseLine]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:  # the number of the page's first row, 1-based
        return (self.page - 1) * self.size + 1 if self.lines else 0

    @property
    def last(self) -> int:
        return self.first + len(self.lines) - 1 if self.lines else 0


def case_table(
    engine: Engine,
    *,
    user: User,
    filters: CaseFilter,
    sort: str = "-id",
    page: int = 1,
    size: int = 25,
    today: date | None = None,
) -> CaseTable:
    """One page of the filtered list, sorted by a column (`-` first: descending), with the
    total of rows the filters find; the id breaks ties so pages never overlap."""
    today = today or clock.today()
    where = _conditions(engine, user, filters, today)
    column = SORTS.get(sort.lstrip("-"), CaseRow.id)
    descending = sort.startswith("-")
    order = [column.desc() if descending else column.asc()]
    if column is not CaseRow.id:
        order.append(CaseRow.id.desc() if descending else CaseRow.id.asc())
    base = (
        select(CaseRow, ParticipantRow.full_name)
        .join(ParticipantRow, ParticipantRow.id == CaseRow.participant_id)
        .where(*where)
    )
    # Every case has its participant, so the total joins them only when the search reads
    # their names: at 1M cases the join (a hash of every participant) tripled the count.
    count = select(func.count()).select_from(CaseRow)
    if filters.q:
        count = count.join(ParticipantRow, ParticipantRow.id == CaseRow.participant_id)
    count = count.where(*where)
    with UnitOfWork(engine, read_only=True) as uow:
        total = int(uow.session.scalar(count) or 0)
        pages = max(1, -(-total // size))
        page = min(max(page, 1), pages)
        rows = uow.session.execute(
            base.order_by(*order).limit(size).offset((page - 1) * size)
        ).all()
        lines = _lines(uow, rows, today)
    return CaseTable(lines, total, page, size)


def filter_choices(engine: Engine, *, user: User) -> dict[str, list[str]]:
    """Values present in the user's cases, for the filter drop-downs."""
    out: dict[str, list[str]] = {}
    with UnitOfWork(engine, read_only=True) as uow:
        for name, column in (
            ("programme", CaseRow.programme),
            ("host_country", CaseRow.host_country),
            ("academic_year", CaseRow.academic_year),
        ):
            values = uow.session.scalars(
                select(column).where(access.scope_clause(user), column.is_not(None)).distinct()
            )
            out[name] = sorted(v for v in values if v)
    return out


def documents(engine: Engine, *, user: User, case_id: int) -> list[DocumentLine]:
    case_for(engine, user=user, case_id=case_id)
    with UnitOfWork(engine, read_only=True) as uow:
        return document_lines(uow.session, case_id)


def document_lines(session: Session, case_id: int) -> list[DocumentLine]:
    """A case's papers, oldest first (the caller has checked the user may see the case)."""
    rows = session.scalars(
        select(DocumentRow)
        .where(DocumentRow.case_id == case_id)
        .order_by(DocumentRow.created_at, DocumentRow.id)
    )
    return [_copy(DocumentLine, r) for r in rows]


def deadlines(
    engine: Engine, *, user: User, case_id: int, today: date | None = None
) -> list[DeadlineLine]:
    case_for(engine, user=user, case_id=case_id)
    with UnitOfWork(engine, read_only=True) as uow:
        return deadline_lines(uow, case_id, today or clock.today())


def deadline_lines(uow: UnitOfWork, case_id: int, today: date) -> list[DeadlineLine]:
    """A case's deadlines, each saying whether it is late (the caller has checked scope)."""
    return [
        DeadlineLine(d.id, d.case_id, d.kind, d.due_date, d.status, _is_late(d, today))
        for d in uow.cases.deadlines(case_id)
    ]


def _is_late(d: DeadlineRow, today: date) -> bool:
    return d.status == DeadlineStatus.overdue or (
        d.status == DeadlineStatus.open and d.due_date < today
    )


def history(engine: Engine, *, user: User, case_id: int) -> list[HistoryLine]:
    # One transaction for the case and its events: the history is read often.
    with UnitOfWork(engine, read_only=True) as uow:
        case = uow.cases.get(case_id)
        lines = history_lines(uow.session, case_id)
    ensure_can_see(engine, user=user, case=case)
    return lines


def history_lines(session: Session, case_id: int) -> list[HistoryLine]:
    """A case's history, in order (the caller has checked the user may see the case)."""
    rows = session.scalars(
        select(AuditEventRow).where(AuditEventRow.case_id == case_id).order_by(AuditEventRow.seq)
    )
    return [_copy(HistoryLine, r) for r in rows]


@dataclass(frozen=True)
class OverdueBoard:
    by_faculty: list[tuple[str, int]]
    lines: list[DeadlineLine]


def overdue(
    engine: Engine, *, user: User, today: date | None = None, limit: int = 500
) -> OverdueBoard:
    """Deadlines marked overdue, or open and past due, in the user's scope; oldest first.

    Uses ix_deadlines_open_due: the cost grows with what is late, not with all deadlines."""
    today = today or clock.today()
    base = (
        select(DeadlineRow, CaseRow, ParticipantRow.full_name)
        .join(CaseRow, CaseRow.id == DeadlineRow.case_id)
        .join(ParticipantRow, ParticipantRow.id == CaseRow.participant_id)
        .where(_late(today), access.scope_clause(user))
    )
    counts = (
        select(CaseRow.faculty, func.count(DeadlineRow.id))
        .join(CaseRow, CaseRow.id == DeadlineRow.case_id)
        .where(_late(today), access.scope_clause(user))
        .group_by(CaseRow.faculty)
        .order_by(func.count(DeadlineRow.id).desc())
    )
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.execute(base.order_by(DeadlineRow.due_date).limit(limit)).all()
        by_faculty = [(f or "—", n) for f, n in uow.session.execute(counts).all()]
    lines = [
        DeadlineLine(d.id, d.case_id, d.kind, d.due_date, d.status, True, name, c.faculty, c.kind)
        for d, c, name in rows
    ]
    return OverdueBoard(by_faculty, lines)


def partner_choices(engine: Engine) -> list[tuple[str, str]]:
    """The partner registry for the new-case form: (id, "name (country)")."""
    from storage.orm import PartnerRow

    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.execute(
            select(PartnerRow.id, PartnerRow.name, PartnerRow.country).order_by(PartnerRow.name)
        ).all()
    return [(str(i), f"{name} ({country})") for i, name, country in rows]


@dataclass(frozen=True)
class PartnerPick:
    """A partner of the registry as the new-case form offers it: picking it fills the host,
    its country (as a code), city and the programme of its newest agreement (issue 13.5)."""

    id: int
    name: str
    country: str  # ISO code when the registry's country is recognised, else as registered
    city: str | None
    programme: str | None


# Agreements that are a programme of their own (printed as the case's programme); a
# bilateral agreement or a memorandum names none.
NOT_PROGRAMMES = frozenset({"bilateral", "memorandum"})


def partner_picks(engine: Engine) -> list[PartnerPick]:
    from sapar.i18n import label
    from storage import countries
    from storage.orm import AgreementRow, PartnerRow

    with UnitOfWork(engine, read_only=True) as uow:
        partners = uow.session.execute(
            select(PartnerRow.id, PartnerRow.name, PartnerRow.country, PartnerRow.city)
            .order_by(PartnerRow.name)
            .limit(5000)
        ).all()
        newest: dict[int, str] = {}
        for partner_id, kind in uow.session.execute(
            select(AgreementRow.partner_id, AgreementRow.kind).order_by(AgreementRow.valid_from)
        ):
            if kind not in NOT_PROGRAMMES:
                newest[partner_id] = kind
    return [
        PartnerPick(
            i,
            name,
            countries.code_of(country) or country,
            city,
            label("en", "agreement", newest[i]) if i in newest else None,
        )
        for i, name, country, city in partners
    ]
