"""Checks a clerk's edit of a template before it can print a wrong order.

docxtpl strips the XML between a `{{` and the next `}}` anywhere in the document, so one
missing brace (`{{ number }`) silently swallows the number, the title and the preamble that
follow it. Every tag must therefore open and close within one paragraph: an unbalanced
delimiter is refused with its place (part, paragraph number and the paragraph's text), both
when the template is first used for rendering and by `sapar templates check`.

The command also parses each template as Jinja (syntax errors, with the paragraph) and
checks every variable and attribute the template uses against the context model of its kind,
so a misspelt field is caught before the first order is issued.
"""

from __future__ import annotations

import io
import re
import types
import typing
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from lxml import etree
from pydantic import BaseModel

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P = f"{{{W}}}p"
_T = f"{{{W}}}t"
_TEMPLATED_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml$")
_TOKEN = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
_CLOSER = {"{{": "}}", "{%": "%}", "{#": "#}"}
_SHOWN = 70


@dataclass(frozen=True)
class Place:
    """Where in a template a problem is: the part, the paragraph (1-based, in document
    order, table cells included) and the paragraph's text as the clerk sees it."""

    part: str
    paragraph: int
    text: str

    def __str__(self) -> str:
        text = self.text if len(self.text) <= _SHOWN else self.text[: _SHOWN - 1] + "…"
        return f"{self.part}, paragraph {self.paragraph}: «{text}»"


@dataclass(frozen=True)
class Finding:
    place: Place | None
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


def templated_parts(docx: bytes) -> dict[str, bytes]:
    """The parts docxtpl renders: the body, headers, footers and footnotes."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {
            name: archive.read(name) for name in archive.namelist() if _TEMPLATED_PART.match(name)
        }


def paragraphs(xml: bytes) -> Iterator[str]:
    root = etree.fromstring(xml)
    for paragraph in root.iter(_P):
        yield "".join(t.text or "" for t in paragraph.iter(_T))


def unbalanced(text: str) -> str | None:
    """Why the tags of one paragraph do not balance, or None when they do."""
    opened: tuple[str, int] | None = None
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in _CLOSER:
            if opened is not None:
                return f"{opened[0]!r} at character {opened[1] + 1} is not closed before {token!r}"
            opened = (token, match.start())
            continue
        if opened is None:
            return f"{token!r} at character {match.start() + 1} closes nothing"
        if _CLOSER[opened[0]] != token:
            return f"{opened[0]!r} at character {opened[1] + 1} is closed by {token!r}"
        opened = None
    if opened is not None:
        expected = _CLOSER[opened[0]]
        return f"{opened[0]!r} at character {opened[1] + 1} is never closed with {expected!r}"
    return None


def check_balance(docx: bytes) -> list[Finding]:
    """Every tag opens and closes within its paragraph."""
    findings = []
    for part, xml in templated_parts(docx).items():
        for index, text in enumerate(paragraphs(xml), start=1):
            problem = unbalanced(text)
            if problem:
                findings.append(Finding(Place(part, index, text), f"unbalanced tag: {problem}"))
    return findings


def place_of_line(
    part: str, patched_xml: str, lineno: int | None, docx_part: bytes
) -> Place | None:
    """The paragraph a Jinja error's line belongs to (docxtpl puts each paragraph on its
    own line before compiling)."""
    if lineno is None:
        return None
    lines = patched_xml.splitlines()
    if not 0 < lineno <= len(lines):
        return None
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()
    for index, paragraph in enumerate(paragraphs(docx_part), start=1):
        if text and (text in paragraph or (paragraph.strip() and paragraph.strip() in text)):
            return Place(part, index, paragraph)
    return Place(part, 0, text)


# Variables and attributes ------------------------------------------------------------------

_JINJA_NAMES = {"loop"}
VarPath = tuple[str, ...]


def declared_fields(model: type[BaseModel]) -> dict[str, Any]:
    fields = {name: f.annotation for name, f in model.model_fields.items()}
    return fields | {n: f.return_type for n, f in model.model_computed_fields.items()}


def _unwrap(annotation: Any) -> Any:
    """Optional[X] → X."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        (annotation,) = [a for a in typing.get_args(annotation) if a is not type(None)]
    return annotation


def _expr_path(node: nodes.Node, scope: dict[str, VarPath]) -> VarPath | None:
    if isinstance(node, nodes.Name):
        return scope.get(node.name, (node.name,))
    if isinstance(node, nodes.Getattr):
        base = _expr_path(node.node, scope)
        return None if base is None else (*base, node.attr)
    return None


def variable_paths(node: nodes.Node, scope: dict[str, VarPath] | None = None) -> set[VarPath]:
    """Every variable and attribute chain a template reads; a loop variable stands for
    "an item of" what it iterates ("students", "[]", "full_name")."""
    out: set[VarPath] = set()
    _collect(node, scope or {}, out)
    return out


def _collect(node: nodes.Node, scope: dict[str, VarPath], out: set[VarPath]) -> None:
    if isinstance(node, nodes.For):
        _collect(node.iter, scope, out)
        inner = dict(scope)
        iterated = _expr_path(node.iter, scope)
        if iterated is not None and isinstance(node.target, nodes.Name):
            inner[node.target.name] = (*iterated, "[]")
        for child in [*node.body, *node.else_]:
            _collect(child, inner, out)
        return
    if isinstance(node, nodes.Name | nodes.Getattr):
        path = _expr_path(node, scope)
        if path is not None:
            out.add(path)
            return
    for child in node.iter_child_nodes():
        _collect(child, scope, out)


def undeclared(model: type[BaseModel], path: VarPath) -> str | None:
    """Why `path` does not resolve through `model`, or None when it does."""
    if path[0] in _JINJA_NAMES:
        return None
    current: Any = model
    for depth, step in enumerate(path):
        shown = ".".join(p for p in path[: depth + 1] if p != "[]")
        if step == "[]":
            if typing.get_origin(current) is not list:
                return f"{shown}: iterates over something that is not a list"
            current = _unwrap(typing.get_args(current)[0])
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return f"{shown}: {current!r} has no attribute {step!r}"
        declared = declared_fields(current)
        if step not in declared:
            return f"{shown}: not a field of {current.__name__}"
        current = _unwrap(declared[step])
    return None


# The whole check ---------------------------------------------------------------------------


def check_template(docx: bytes, model: type[BaseModel], env: jinja2.Environment) -> list[Finding]:
    """Balance, Jinja syntax, and every variable against `model`."""
    from documents.render import patched_sources  # render imports this module

    findings = check_balance(docx)
    if findings:
        return findings  # the patched source of an unbalanced template means nothing
    paths: set[VarPath] = set()
    parts = templated_parts(docx)
    for part, source in patched_sources(docx).items():
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError as error:
            place = place_of_line(part, source, error.lineno, parts[part])
            findings.append(Finding(place, f"template syntax: {error.message}"))
            continue
        paths |= variable_paths(tree)
    for path in sorted(paths):
        problem = undeclared(model, path)
        if problem:
            findings.append(Finding(None, f"unknown variable {problem}"))
    return findings


def check_files(paths: Iterable[Path]) -> dict[Path, list[Finding]]:
    """Check template files named templates/<language>/<kind>.docx; unknown kinds and
    languages are findings too (the service would never use such a file)."""
    from documents.kinds import TEMPLATED, context_model
    from documents.render import ALL_LANGUAGES, jinja_environment

    results: dict[Path, list[Finding]] = {}
    for path in sorted(paths):
        language, kind = path.parent.name, path.stem
        if language not in ALL_LANGUAGES or kind not in TEMPLATED:
            shown = "|".join(ALL_LANGUAGES)
            results[path] = [Finding(None, f"not a template the service uses (<{shown}>/<kind>)")]
            continue
        try:
            content = path.read_bytes()
            results[path] = check_template(
                content,
                context_model(kind),
                jinja_environment(language),
            )
        except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError) as error:
            results[path] = [Finding(None, f"not a readable DOCX file: {error}")]
    return results
