"""The dossier (everything the papers of a case may print, read in one query per table),
the registration of the paper being issued (its number, date, officials and language), and
how a paper is cited as another's basis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.names import latin
from sapar import clock
from sapar.officials import Official, Officials, Post
from states.dossier import DocumentKind as D
from states.dossier import Origin
from states.model import Case
from storage.orm import DeadlineRow, DocumentRow, PlanCourseRow, RecognisedCourseRow


@dataclass
class Dossier:
    """Everything the papers of one case may print."""

    case: Case
    papers: list[DocumentRow] = field(default_factory=list)
    plan: list[PlanCourseRow] = field(default_factory=list)
    recognised: list[RecognisedCourseRow] = field(default_factory=list)
    deadlines: list[DeadlineRow] = field(default_factory=list)

    def latest(self, doc: D) -> DocumentRow | None:
        found = [p for p in self.papers if p.doc_type == doc.value]
        return max(found, key=lambda p: (p.version, p.id)) if found else None


def load_dossier(session: Session, case: Case) -> Dossier:
    return load_dossiers(session, [case])[0]


def load_dossiers(session: Session, cases: Sequence[Case]) -> list[Dossier]:
    """The dossiers of many cases in one query per table: a group order of a thousand
    students would otherwise read each student's papers one by one."""
    dossiers = {c.id: Dossier(c) for c in cases}
    ids = list(dossiers)
    tables: tuple[tuple[Any, str], ...] = (
        (DocumentRow, "papers"),
        (PlanCourseRow, "plan"),
        (RecognisedCourseRow, "recognised"),
        (DeadlineRow, "deadlines"),
    )
    for model, attr in tables:
        for row in session.scalars(select(model).where(model.case_id.in_(ids)).order_by(model.id)):
            getattr(dossiers[row.case_id], attr).append(row)
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


def issued_on(paper: DocumentRow) -> date:
    """The date a paper generated here carries: the day in Osh it was issued (stored in UTC;
    SQLite hands it back without its zone)."""
    at = paper.created_at
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return clock.local(at).date()


def ref_of(paper: DocumentRow | None, issuer: str) -> dict[str, Any] | None:
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
