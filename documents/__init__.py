"""Official documents (orders, annexes, letters) rendered from the DOCX templates in
templates/<language>/<kind>.docx, Kyrgyz ("ky", the state language) and Russian ("ru"),
and English ("en") for the papers addressed abroad.

    from documents import DocumentKind, render
    doc = render(DocumentKind.mobility_order, "ky", context)   # -> RenderedDocument
"""

from documents.errors import ContextError, LibreOfficeMissing, TemplateProblem
from documents.kinds import TEMPLATED, DocumentKind, context_model
from documents.render import (
    ALL_LANGUAGES,
    LANGUAGES,
    Language,
    RenderedDocument,
    languages_of,
    render,
    template_path,
)

__all__ = [
    "ALL_LANGUAGES",
    "LANGUAGES",
    "TEMPLATED",
    "ContextError",
    "DocumentKind",
    "Language",
    "LibreOfficeMissing",
    "RenderedDocument",
    "TemplateProblem",
    "context_model",
    "languages_of",
    "render",
    "template_path",
]
