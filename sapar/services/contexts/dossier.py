"""The dossier (everything the papers of a case may print, one query per table it reads),
the registration of the paper being issued (its number, date, officials and language), and
how a paper is cited as another's basis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any, TypeAlias

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from documents.names import latin
from sapar import clock
from sapar.officials import Official, Officials, Post
from states.dossier import DocumentKind as D
from states.dossier import Origin
from states.model import Case
from storage.orm import DeadlineRow, DocumentRow, PlanCourseRow, RecognisedCourseRow

# A row of documents, plan_courses, recognised_courses or deadlines, read-only, its columns
# by name (as the ORM row's attributes). Not ORM objects: a group order reads the dossiers
# of a thousand cases, some five thousand rows, and building (then collecting) ORM objects
# for them cost more than the queries.
Paper: TypeAlias = Row[Any]
Line: TypeAlias = Row[Any]

# The tables of a dossier, each read (for all the dossiers read together) the first time a
# paper's builder asks for it: a mobility order reads the papers in the file and the plan,
# not the grades or the deadlines, and a step checks its readiness on the hot path.
_TABLES: dict[str, Any] = {
    "papers": DocumentRow,
    "plan": PlanCourseRow,
    "recognised": RecognisedCourseRow,
    "deadlines": DeadlineRow,
}


# Each table's read, built once (a step's readiness check runs one or two of them).
_READS = {
    attr: select(model.__table__)
    .where(model.__table__.c.case_id.in_(bindparam("ids", expanding=True)))
    .order_by(model.__table__.c.id)
    for attr, model in _TABLES.items()
}


class _Reads:
    """The dossiers read together, and the tables read for them so far."""

    def __init__(self, session: Session, dossiers: dict[Any, Dossier]) -> None:
        self.session, self.dossiers = session, dossiers

    def read(self, attr: str) -> None:
        for d in self.dossiers.values():
            d._rows[attr] = []
        ids = list(self.dossiers)
        for row in self.session.execute(_READS[attr], {"ids": ids}):
            self.dossiers[row.case_id]._rows[attr].append(row)


class Dossier:
    """Everything the papers of one case may print."""

    def __init__(self, case: Case, reads: _Reads | None = None) -> None:
        self.case = case
        self._reads = reads
        self._rows: dict[str, list[Any]] = {}

    def _table(self, attr: str) -> list[Any]:
        if attr not in self._rows:
            if self._reads is None:
                return self._rows.setdefault(attr, [])
            self._reads.read(attr)
        return self._rows[attr]

    @property
    def papers(self) -> list[Paper]:
        return self._table("papers")

    @property
    def plan(self) -> list[Line]:
        return self._table("plan")

    @property
    def recognised(self) -> list[Line]:
        return self._table("recognised")

    @property
    def deadlines(self) -> list[Line]:
        return self._table("deadlines")

    def latest(self, doc: D) -> Paper | None:
        found = [p for p in self.papers if p.doc_type == doc.value]
        return max(found, key=lambda p: (p.version, p.id)) if found else None


def load_dossier(session: Session, case: Case, *, lazy: bool = False) -> Dossier:
    return load_dossiers(session, [case], lazy=lazy)[0]


def load_dossiers(session: Session, cases: Sequence[Case], *, lazy: bool = False) -> list[Dossier]:
    """The dossiers of many cases in one query per table: a group order of a thousand
    students would otherwise read each student's papers one by one. Lazy, each table is
    read when a paper first asks for it (the session must still be open then): a step's
    readiness check reads only what its papers print."""
    dossiers: dict[Any, Dossier] = {}
    reads = _Reads(session, dossiers)
    for c in cases:
        dossiers[c.id] = Dossier(c, reads)
    if not lazy:
        for attr in _TABLES:
            reads.read(attr)
    return [dossiers[c.id] for c in cases]


@dataclass(frozen=True)
class Issue:
    """The registration of the paper being issued."""

    number: str | None
    date: date
    officials: Officials
    executor: str
    executor_phone: str
    language: str = "ky"

    def official(self, post: Post, unit: str | None = "") -> Official:
        """Who held `post` on the paper's date; OfficialsMissing names it otherwise."""
        return self.officials.require(post, unit or "", on=self.date)

    def person(self, post: Post, unit: str | None = "") -> dict[str, str]:
        """The holder of `post` as the paper prints them: name and position in its language."""
        o = self.official(post, unit)
        return {"full_name": self.name(o.full_name), "position": o.title(self.language)}

    def name(self, full_name: str, in_latin: str | None = None) -> str:
        """A name as the paper prints it: in an English paper the passport spelling (the
        registry's Latin name) or, without one, the name romanised."""
        if self.language != "en":
            return full_name
        return in_latin or latin(full_name)

    def executor_block(self) -> dict[str, str]:
        return {"full_name": self.name(self.executor), "phone": self.executor_phone}


def issued_on(paper: Paper) -> date:
    """The date a paper generated here carries: the day in Osh it was issued (stored in UTC;
    SQLite hands it back without its zone)."""
    at = paper.created_at
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return clock.local(at).date()


def ref_of(paper: Paper | None, issuer: str) -> dict[str, Any] | None:
    """A paper handed in, as cited: who issued it, its number and its date as recorded with
    it. Never the day it was uploaded: without a recorded date the date is missing, and the
    document's model refuses it by name."""
    if paper is None:
        return None
    return {"issuer": paper.issuer or issuer, "number": paper.ref_number, "date": paper.ref_date}


def cite(d: Dossier, doc: D, issuer: str) -> dict[str, Any] | None:
    """The paper of type `doc` a document cites as its basis. A paper generated here (an
    order, a nomination) is cited by its own number and issue date — also when a signed
    scan of it was handed in since, which has neither; a paper from outside by the facts
    recorded when it was handed in."""
    found = [p for p in d.papers if p.doc_type == doc.value]
    generated = [p for p in found if p.origin == Origin.generated]
    if generated:
        paper = max(generated, key=lambda p: (p.version, p.id))
        return {"issuer": issuer, "number": paper.number, "date": issued_on(paper)}
    dated = [p for p in found if p.ref_date is not None]
    if dated:
        return ref_of(max(dated, key=lambda p: (p.version, p.id)), issuer)
    return ref_of(d.latest(doc), issuer)


def dated_ref(ref: dict[str, Any] | None) -> dict[str, Any] | None:
    """A basis that may be left out: cited only when its date is known."""
    return ref if ref and ref.get("date") else None
