"""Drafts of new DOCX templates for developers: `python -m scripts.template_drafts`.

templates/ is the only source of the templates the service uses; a clerk edits those files
in Word or LibreOffice and nothing regenerates them. This script only writes drafts — by
default into var/template-drafts/ — and refuses any output folder inside templates/, so it
can never overwrite a clerk's edit. A developer adding a new paper drafts it here, reviews
the draft in Word, copies it into templates/<language>/ by hand, and runs
`sapar templates check`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from documents.kinds import DocumentKind
from documents.render import LANGUAGES, TEMPLATES_DIR, Language, normalise_docx
from scripts.template_drafts import guests, letters, orders, papers, student_forms
from scripts.template_drafts.layout import Builder

DRAFTS_DIR = Path("var/template-drafts")

BUILDERS: dict[DocumentKind, Callable[[Builder], None]] = {
    DocumentKind.mobility_order: orders.mobility_order,
    DocumentKind.staff_trip_order: orders.staff_trip_order,
    DocumentKind.return_order: orders.return_order,
    DocumentKind.enrolment_order: orders.enrolment_order,
    DocumentKind.dean_nomination: student_forms.dean_nomination,
    DocumentKind.study_plan: student_forms.study_plan,
    DocumentKind.trip_report_form: student_forms.trip_report_form,
    DocumentKind.questionnaire: student_forms.questionnaire,
    DocumentKind.parents_consent: student_forms.parents_consent,
    DocumentKind.invitation_request: letters.invitation_request,
    DocumentKind.recognition_decision: letters.recognition_decision,
    DocumentKind.missed_deadline_notice: letters.missed_deadline_notice,
    DocumentKind.incoming_invitation: letters.incoming_invitation,
    DocumentKind.referral_letter: papers.referral_letter,
    DocumentKind.staff_report_form: papers.staff_report_form,
    DocumentKind.expulsion_submission: papers.expulsion_submission,
    DocumentKind.faculty_mobility_report: papers.faculty_mobility_report,
    DocumentKind.issued_transcript: guests.issued_transcript,
}


# The papers that go abroad are drafted in English too (templates/en/).
IN_ENGLISH: set[DocumentKind] = {
    DocumentKind.invitation_request,
    DocumentKind.incoming_invitation,
    DocumentKind.referral_letter,
    DocumentKind.issued_transcript,
}


def draft_languages(kind: DocumentKind) -> tuple[Language, ...]:
    return (*LANGUAGES, "en") if kind in IN_ENGLISH else LANGUAGES


class WouldOverwriteTemplates(ValueError):
    """The output folder is inside templates/, which only clerks' edits change."""


def refuse_templates_dir(out_dir: Path) -> None:
    out, templates = out_dir.resolve(), TEMPLATES_DIR.resolve()
    if out == templates or templates in out.parents:
        raise WouldOverwriteTemplates(
            f"{out_dir} is inside {TEMPLATES_DIR}: drafts never overwrite the templates; "
            "write them elsewhere and copy a reviewed draft in by hand"
        )


def build(kind: DocumentKind, language: str, out_dir: Path = DRAFTS_DIR) -> Path:
    refuse_templates_dir(out_dir)
    builder = Builder(language, title=f"sapar {kind.value} ({language})")
    BUILDERS[kind](builder)
    path = out_dir / language / f"{kind.value}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    # Fixed zip entry times: rebuilding an unchanged draft keeps its bytes.
    raw = path.read_bytes()
    path.write_bytes(normalise_docx(raw, raw))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DRAFTS_DIR)
    parser.add_argument("--only", choices=[k.value for k in BUILDERS], action="append")
    args = parser.parse_args(argv)
    refuse_templates_dir(args.out)
    kinds = [DocumentKind(k) for k in args.only] if args.only else list(BUILDERS)
    for kind in kinds:
        for language in draft_languages(kind):
            print(build(kind, language, args.out))
