"""Render a document kind from its DOCX template and a validated context.

The output is deterministic: docx files are zip archives whose entry timestamps, and the
core-properties dates, would otherwise record the moment of rendering. Callers store
documents content-addressed by sha256, so the same context must give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
from docxtpl import DocxTemplate
from lxml import etree
from pydantic import BaseModel, ValidationError

from documents import filters
from documents.errors import ContextError, TemplateProblem
from documents.kinds import DocumentKind, context_model
from documents.template_check import W, check_balance, place_of_line, templated_parts

Language = Literal["ky", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("ky", "ru")
"""The languages every kind has a template in: Kyrgyz (the state language) and Russian."""
ALL_LANGUAGES: tuple[Language, ...] = ("ky", "ru", "en")
"""Also English: the papers addressed abroad (a letter to a foreign host) have an English
template besides; `languages_of` says which kinds do (the files in templates/en/)."""
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# 1980-01-01 is the earliest time a zip entry can carry.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FALLBACK_CORE_TIME = "2026-01-01T00:00:00Z"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
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


def languages_of(
    kind: DocumentKind | str, templates_dir: Path | None = None
) -> tuple[Language, ...]:
    """Kyrgyz and Russian for every kind; English too where templates/en/<kind>.docx exists
    (a paper that goes abroad). The file decides, so the kinds list stays append-only."""
    extra = tuple(
        lang
        for lang in ALL_LANGUAGES
        if lang not in LANGUAGES and template_path(kind, lang, templates_dir).is_file()
    )
    return (*LANGUAGES, *extra)


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


@functools.cache
def jinja_environment(language: Language) -> jinja2.Environment:
    # One environment per language, shared by the compiled templates (rendering is
    # thread-safe). Autoescape keeps typed "&", "<" and quotes intact in the XML;
    # StrictUndefined turns a template variable the context lacks into an error instead of
    # a blank in an order.
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
    """Render `kind` in `language` ("ky" is the state language; "en" where the kind has an
    English template) from `context`."""
    kind = DocumentKind(kind)
    if language not in ALL_LANGUAGES:
        raise ValueError(f"language must be one of {ALL_LANGUAGES}, not {language!r}")
    model = validate_context(kind, context)
    path = template_path(kind, language, templates_dir)
    template = prepared(path, language)
    content = template.render(template_variables(model))
    return RenderedDocument(
        content=content,
        kind=kind,
        language=language,
        template_name=path.name,
        template_version=template.version,
        sha256=hashlib.sha256(content).hexdigest(),
        media_type=DOCX_MEDIA_TYPE,
        suggested_filename=suggested_filename(kind, language, model),
    )


# The template, prepared once per edit ------------------------------------------------------
#
# Bare docxtpl opens the DOCX with python-docx, patches and compiles its XML as Jinja, renders,
# and saves through python-docx; making the zip deterministic then rewrote it a second time.
# Only the rendering depends on the context, so the rest is done once per template edit
# (keyed by the file's path, size and modification time) and the zip is written once, with
# fixed entry times, from the template's own entries and the rendered parts.

_BODY = f"{{{W}}}body"
_XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_CACHE_SIZE = 64
_cache: OrderedDict[tuple[str, str, int, int], PreparedTemplate] = OrderedDict()
_cache_lock = threading.Lock()


def _docxtpl() -> Any:
    # patch_xml, resolve_listing and fix_tables use nothing of the instance; an instance
    # without a document gives them a `self`.
    return DocxTemplate.__new__(DocxTemplate)


_TPL = _docxtpl()


def _patch(xml: str) -> str:
    """docxtpl's cleaning of Word's XML into Jinja source, one paragraph per line."""
    patched: str = _TPL.patch_xml(xml)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)


def _unpatch(rendered: str) -> str:
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", rendered)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    listed: str = _TPL.resolve_listing(xml)
    return listed


def _split_body(document_xml: bytes) -> tuple[bytes, str]:
    """document.xml as a shell without its body, and the body as docxtpl serialises it."""
    root = etree.fromstring(document_xml)
    body = root.find(_BODY)
    if body is None:
        raise TemplateProblem("word/document.xml has no body")
    source = etree.tostring(body, encoding="unicode")
    root.remove(body)
    return etree.tostring(root), source


def patched_sources(docx: bytes) -> dict[str, str]:
    """The Jinja source of every templated part, as docxtpl would compile it."""
    sources = {}
    for part, xml in templated_parts(docx).items():
        if part == "word/document.xml":
            sources[part] = _patch(_split_body(xml)[1])
        else:
            sources[part] = _patch(etree.tostring(etree.fromstring(xml), encoding="unicode"))
    return sources


@dataclass(frozen=True)
class PreparedTemplate:
    path: Path
    version: str
    entries: tuple[tuple[str, bytes], ...]
    """Every zip entry in the template's order; templated parts are rendered over them."""
    shell: bytes
    """word/document.xml without its body."""
    parts: Mapping[str, jinja2.Template]

    def render(self, variables: Mapping[str, Any]) -> bytes:
        rendered: dict[str, bytes] = {}
        for part, template in self.parts.items():
            try:
                xml = _unpatch(template.render(variables))
            except jinja2.TemplateError as error:
                raise TemplateProblem(f"template {self.path}: {part}: {error}") from error
            if part == "word/document.xml":
                rendered[part] = self._document(xml)
            else:
                rendered[part] = (_XML_DECLARATION + xml).encode("utf-8")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in self.entries:
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                target.writestr(info, rendered.get(name, data))
        return out.getvalue()

    def _document(self, body_xml: str) -> bytes:
        body = _TPL.fix_tables(body_xml)
        # docxtpl renumbers drawing ids so repeated images do not collide.
        for number, drawing in enumerate(body.iter(f"{{{WP}}}docPr"), start=1001):
            drawing.attrib["id"] = str(number)
        root = etree.fromstring(self.shell)
        root.append(body)
        return etree.tostring(root, encoding="UTF-8", standalone=True)


def prepared(path: Path, language: Language) -> PreparedTemplate:
    """The template at `path` opened, checked, patched and compiled — once per edit."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise TemplateProblem(f"template {path} does not exist") from None
    key = (str(path.resolve()), language, stat.st_mtime_ns, stat.st_size)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    template = _prepare(path, language)
    with _cache_lock:
        _cache[key] = template
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return template


def _prepare(path: Path, language: Language) -> PreparedTemplate:
    content = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = tuple((info.filename, archive.read(info)) for info in archive.infolist())
        problems = check_balance(content)
    except (zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        raise TemplateProblem(f"template {path} is not a readable DOCX file: {error}") from None
    if problems:
        raise TemplateProblem(f"template {path}: " + "; ".join(map(str, problems)))
    env = jinja_environment(language)
    parts: dict[str, jinja2.Template] = {}
    sources = patched_sources(content)
    originals = dict(entries)
    for part, source in sources.items():
        try:
            parts[part] = env.from_string(source)
        except jinja2.TemplateSyntaxError as error:
            place = place_of_line(part, source, error.lineno, originals[part])
            where = f"{place}: " if place else f"{part}: "
            raise TemplateProblem(f"template {path}: {where}{error.message}") from None
    shell, _ = _split_body(originals["word/document.xml"])
    return PreparedTemplate(
        path=path,
        version=hashlib.sha256(content).hexdigest()[:12],
        entries=entries,
        shell=shell,
        parts=parts,
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
