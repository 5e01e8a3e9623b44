"""Readiness before paper: a step that will ask for a document is refused, before anything
changes, when that document's context cannot be built from the case.

The check builds the very context the document flow will build (same dossier, same builder,
same pydantic model) without rendering or numbering it, so what it lets through the flow can
print, and what it refuses is named field by field — in the user's language, with the field
a clerk can correct (the person's group, the case's substitute teacher, ...)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError
from sqlalchemy.orm import Session

from documents import context_model
from documents.errors import ContextError
from sapar.i18n import label, t
from sapar.officials import Officials, OfficialsMissing
from states.dossier import DocumentKind
from states.guards import Refusal, RuleViolation
from states.model import Case
from states.numbering import placeholder_number

from .contexts import build_context
from .contexts.common import language_for
from .contexts.dossier import Issue, load_dossier

# The clause that ties each paper to its step, cited when the paper cannot be issued.
CLAUSES: dict[DocumentKind, str] = {
    DocumentKind.dean_nomination: "4.8, ФД duties (annex 1)",
    DocumentKind.invitation_request: "4.3",
    DocumentKind.mobility_order: "1.4",
    DocumentKind.staff_trip_order: "1.4, ИПК duties",
    DocumentKind.return_order: "1.4",
    DocumentKind.recognition_decision: "3.6, 4.5",
    DocumentKind.incoming_invitation: "1.5, КАОЖ duties",
    DocumentKind.enrolment_order: "1.5",
    DocumentKind.missed_deadline_notice: "Student duties",
    DocumentKind.referral_letter: "ЭАБД duties (referral letter)",
    DocumentKind.staff_report_form: "3.6, ИПК duties",
    DocumentKind.expulsion_submission: "4.8, ФД duties",
    DocumentKind.issued_transcript: "КАОЖ duties",
}
# A context's field → the field of the case or of the person a clerk corrects to fill it.
SOURCES: dict[str, str] = {
    "group": "group_name",
    "specialty": "specialty",
    "year_of_study": "year",
    "tuition": "funding_basis",
    "gpa": "gpa",
    "language": "host_language",
    "languages": "host_language",
    "position": "position",
    "department": "department",
    "faculty": "faculty",
    "citizenship": "citizenship",
    "home_institution": "home_institution",
    "home_country": "home_country",
    "programme": "programme",
    "host_city": "host_city",
    "substitute": "substitute",
    "project": "project",
    "birth_date": "birth_date",
    "passport_number": "passport_number",
    "address": "address",
    "phone": "phone",
    "email": "email",
    "parent_full_name": "parent_full_name",
    "parent_relation": "parent_relation",
    "parent_passport": "parent_passport",
    "parent_address": "parent_address",
    "parent_phone": "parent_phone",
    "full_name": "full_name",
    "courses": "transcript",
    "plan": "study_plan",
    "transcript": "host_transcript",
    "invitation": "invitation_letter",
    "invitations": "invitation_letter",
    "sending_order": "mobility_order",
    "sending_orders": "mobility_order",
    "nomination": "dean_nomination",
    "basis": "partner_nomination",
    "deadline": "deadline",
    "order": "staff_trip_order",
    "failed_credits": "failed_credits",
    "grades": "guest_grades",
}


@dataclass(frozen=True)
class Missing:
    document: DocumentKind
    path: str  # where in the document's context, e.g. students[0].group
    source: str  # the field to correct, e.g. group_name

    def words(self, lang: str) -> str:
        field = t(lang, f"field.{self.source}")
        if field == f"field.{self.source}":  # not a form field: a paper or a course list
            field = label(lang, "doc", self.source)
        return f"{field} ({self.path})"


class NotReady(RuleViolation):
    """The step would ask for papers whose contexts cannot be built: nothing changed."""

    def __init__(self, missing: Sequence[Missing], lang: str = "en") -> None:
        self.missing = tuple(missing)
        self.lang = lang
        by_doc: dict[DocumentKind, list[Missing]] = {}
        for m in self.missing:
            by_doc.setdefault(m.document, []).append(m)
        super().__init__(
            Refusal(
                t(
                    lang,
                    "ready.missing",
                    doc=label(lang, "doc", doc.value),
                    fields="; ".join(m.words(lang) for m in found),
                ),
                CLAUSES.get(doc, "1.4"),
            )
            for doc, found in by_doc.items()
        )

    def in_language(self, lang: str) -> NotReady:
        return NotReady(self.missing, lang)


def _source(path: str) -> str:
    for part in reversed(path.replace("[", ".").replace("]", "").split(".")):
        if part in SOURCES:
            return SOURCES[part]
    return path.split(".")[-1]


def problems(
    session: Session,
    case: Case,
    kinds: Iterable[DocumentKind],
    *,
    today: date,
    officials: Officials | None = None,
) -> list[Missing]:
    """What keeps each of `kinds` from being issued for `case` as it now stands."""
    kinds = list(kinds)
    if not kinds:
        return []
    if officials is None:
        # The registry the paper will be signed from: an empty one would refuse every
        # paper for want of a rector. Imported here: officials → users → cases → readiness.
        from .officials import load_officials

        officials = load_officials(session)
    dossier = load_dossier(session, case, lazy=True)  # only the tables its papers print
    found: list[Missing] = []
    for kind in kinds:
        number = placeholder_number(kind)
        # The language the flow will issue it in: an English letter reads the Latin names.
        language = language_for(kind, case)
        issue = Issue(number, today, officials, "sapar", "+996 3222 7-07-12", language)
        try:
            context_model(kind).model_validate(build_context(kind, [dossier], issue))
        except OfficialsMissing as exc:
            # A signer the caller did not check for (contexts.signers.needs): still a refusal naming
            # the post, never a crash.
            raise RuleViolation(exc.refusals) from None
        except ValidationError as exc:
            for path, _message in ContextError.from_validation(kind.value, exc).problems:
                found.append(Missing(kind, path, _source(path)))
    return found
