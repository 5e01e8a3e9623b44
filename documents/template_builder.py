"""Build the first version of every DOCX template: `python -m documents.template_builder`.

The generated files in templates/<language>/<kind>.docx are committed and are the source
of truth from then on: a clerk edits them in Word or LibreOffice. Re-running this script
overwrites those edits, so run it only to start over (or pass --only KIND).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from documents.kinds import DocumentKind
from documents.render import LANGUAGES, TEMPLATES_DIR, normalise_docx
from documents.template_sources import letters, orders, student_forms
from documents.template_sources.layout import Builder

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
}


def build(kind: DocumentKind, language: str, out_dir: Path = TEMPLATES_DIR) -> Path:
    builder = Builder(language, title=f"sapar {kind.value} ({language})")
    BUILDERS[kind](builder)
    path = out_dir / language / f"{kind.value}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    # Fixed zip entry times: rebuilding an unchanged template keeps its bytes (and version).
    raw = path.read_bytes()
    path.write_bytes(normalise_docx(raw, raw))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=TEMPLATES_DIR)
    parser.add_argument("--only", choices=[k.value for k in DocumentKind], action="append")
    args = parser.parse_args(argv)
    kinds = [DocumentKind(k) for k in args.only] if args.only else list(DocumentKind)
    for kind in kinds:
        for language in LANGUAGES:
            print(build(kind, language, args.out))


if __name__ == "__main__":
    main()
