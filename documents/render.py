"""Render a document kind from its DOCX template and a validated context.

The output is deterministic: docx files are zip archives whose entry timestamps, and the
core-properties dates, would otherwise record the moment of rendering. Callers store
documents content-addressed by sha256, so the same context must give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
from docxtpl import DocxTemplate
from pydantic import BaseModel, ValidationError

from documents import filters
from documents.errors import ContextError, TemplateProblem
from documents.kinds import DocumentKind, context_model

Language = Literal["ky", "ru"]
LANGUAGES: tuple[Language, ...] = ("ky", "ru")
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# 1980-01-01 is the earliest time a zip entry can carry.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FALLBACK_CORE_TIME = "2026-01-01T00:00:00Z"
_CORE_DATE = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)([^<]*)(</dcterms:\2>)")


@dataclass(frozen=True)
class RenderedDocument:
    content: bytes
    kind: DocumentKind
    language: Language
    template_name: str
    template_version: str
    """sha256[:12] of the template file's bytes: which edit of the template was used."""
    sha256: str
    media_type: str
    suggested_filename: str


def template_path(
    kind: DocumentKind | str, language: Language, templates_dir: Path | None = None
) -> Path:
    return (templates_dir or TEMPLATES_DIR) / language / f"{DocumentKind(kind).value}.docx"


def validate_context(kind: DocumentKind | str, context: BaseModel | Mapping[str, Any]) -> BaseModel:
    """The context as its kind's model, or ContextError naming every bad field."""
    kind = DocumentKind(kind)
    model = context_model(kind)
    try:
        if isinstance(context, BaseModel) and not isinstance(context, model):
            return model.model_validate(context, from_attributes=True)
        return model.model_validate(context)
    except ValidationError as error:
        raise ContextError.from_validation(kind.value, error) from None


def jinja_environment(language: Language) -> jinja2.Environment:
    # Autoescape keeps typed "&", "<" and quotes intact in the XML; StrictUndefined turns a
    # template variable the context lacks into an error instead of a blank in an order.
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(filters.for_language(language))
    return env


def render(
    kind: DocumentKind | str,
    language: Language,
    context: BaseModel | Mapping[str, Any],
    *,
    templates_dir: Path | None = None,
) -> RenderedDocument:
    """Render `kind` in `language` ("ky" is the state language) from `context`."""
    kind = DocumentKind(kind)
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    model = validate_context(kind, context)
    path = template_path(kind, language, templates_dir)
    try:
        template_bytes = path.read_bytes()
    except FileNotFoundError:
        raise TemplateProblem(f"template {path} does not exist") from None

    document = DocxTemplate(io.BytesIO(template_bytes))
    try:
        document.render(
            template_variables(model), jinja_env=jinja_environment(language), autoescape=True
        )
    except jinja2.TemplateError as error:
        raise TemplateProblem(f"template {path}: {error}") from error
    raw = io.BytesIO()
    document.save(raw)
    content = normalise_docx(raw.getvalue(), template_bytes)

    return RenderedDocument(
        content=content,
        kind=kind,
        language=language,
        template_name=path.name,
        template_version=hashlib.sha256(template_bytes).hexdigest()[:12],
        sha256=hashlib.sha256(content).hexdigest(),
        media_type=DOCX_MEDIA_TYPE,
        suggested_filename=suggested_filename(kind, language, model),
    )


def template_variables(model: BaseModel) -> dict[str, Any]:
    """Top-level template names: the model's fields and computed fields, as typed objects
    (dates stay dates so the language's filters can format them)."""
    names = [*type(model).model_fields, *type(model).model_computed_fields]
    return {name: getattr(model, name) for name in names}


def normalise_docx(content: bytes, template_bytes: bytes) -> bytes:
    """Rewrite the zip with fixed entry times and the template's core-properties dates."""
    template_dates = _core_dates(template_bytes)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _replace_core_dates(data, lambda name: template_dates.get(name))
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, data)
    return out.getvalue()


def _core_dates(docx: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        try:
            xml = archive.read("docProps/core.xml").decode("utf-8")
        except KeyError:
            return {}
    return {m.group(2): m.group(3) for m in _CORE_DATE.finditer(xml)}


def _replace_core_dates(xml: bytes, value_for: Callable[[str], str | None]) -> bytes:
    def replace(match: re.Match[str]) -> str:
        value = value_for(match.group(2)) or _FALLBACK_CORE_TIME
        return match.group(1) + value + match.group(4)

    return _CORE_DATE.sub(replace, xml.decode("utf-8")).encode("utf-8")


def suggested_filename(kind: DocumentKind, language: Language, model: BaseModel) -> str:
    """e.g. "mobility_order_145-ст_ky.docx"; the number is left out when there is none."""
    number = getattr(model, "number", None)
    parts = [kind.value]
    if number:
        parts.append(re.sub(r"[^\w-]+", "-", str(number)).strip("-"))
    parts.append(language)
    return "_".join(p for p in parts if p) + ".docx"
