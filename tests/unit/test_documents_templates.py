"""Every variable a template uses is declared by its context model, down to the attributes
of loop items ("s.host_institution" must be a field of the student row model)."""

import types
import typing
from typing import Any

import pytest
from docxtpl import DocxTemplate
from jinja2 import nodes
from pydantic import BaseModel

from documents import LANGUAGES, DocumentKind, context_model, template_path
from documents.render import jinja_environment

KINDS_AND_LANGUAGES = [(kind, language) for kind in DocumentKind for language in LANGUAGES]
IDS = [f"{kind.value}-{language}" for kind, language in KINDS_AND_LANGUAGES]
JINJA_NAMES = {"loop"}
Path = tuple[str, ...]


def _declared(model: type[BaseModel]) -> dict[str, Any]:
    fields = {name: f.annotation for name, f in model.model_fields.items()}
    return fields | {n: f.return_type for n, f in model.model_computed_fields.items()}


def _unwrap(annotation: Any) -> Any:
    """Optional[X] → X."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        (annotation,) = [a for a in typing.get_args(annotation) if a is not type(None)]
    return annotation


def _expr_path(node: nodes.Node, scope: dict[str, Path]) -> Path | None:
    if isinstance(node, nodes.Name):
        return scope.get(node.name, (node.name,))
    if isinstance(node, nodes.Getattr):
        base = _expr_path(node.node, scope)
        return None if base is None else (*base, node.attr)
    return None


def _paths(node: nodes.Node, scope: dict[str, Path], out: set[Path]) -> None:
    if isinstance(node, nodes.For):
        _paths(node.iter, scope, out)
        inner = dict(scope)
        iterated = _expr_path(node.iter, scope)
        if iterated is not None and isinstance(node.target, nodes.Name):
            inner[node.target.name] = (*iterated, "[]")
        for child in [*node.body, *node.else_]:
            _paths(child, inner, out)
        return
    if isinstance(node, nodes.Name | nodes.Getattr):
        path = _expr_path(node, scope)
        if path is not None:
            out.add(path)
            return
    for child in node.iter_child_nodes():
        _paths(child, scope, out)


def _check(model: type[BaseModel], path: Path) -> str | None:
    current: Any = model
    for depth, step in enumerate(path):
        shown = ".".join(path[: depth + 1])
        if step == "[]":
            if typing.get_origin(current) is not list:
                return f"{shown}: iterates over something that is not a list"
            current = _unwrap(typing.get_args(current)[0])
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return f"{shown}: {current!r} has no attribute {step!r}"
        declared = _declared(current)
        if step not in declared:
            return f"{shown}: not declared by {current.__name__}"
        current = _unwrap(declared[step])
    return None


@pytest.mark.parametrize(("kind", "language"), KINDS_AND_LANGUAGES, ids=IDS)
def test_top_level_template_variables_are_fields_of_the_context_model(
    kind: DocumentKind, language: str
) -> None:
    template = DocxTemplate(template_path(kind, language))  # type: ignore[arg-type]
    used = template.get_undeclared_template_variables(jinja_environment(language))  # type: ignore[arg-type]
    assert used, "a template without variables is suspicious"
    assert used <= set(_declared(context_model(kind)))


@pytest.mark.parametrize(("kind", "language"), KINDS_AND_LANGUAGES, ids=IDS)
def test_attribute_paths_in_templates_resolve_through_the_context_model(
    kind: DocumentKind, language: str
) -> None:
    template = DocxTemplate(template_path(kind, language))  # type: ignore[arg-type]
    template.init_docx()
    source = template.patch_xml(template.get_xml())
    paths: set[Path] = set()
    _paths(jinja_environment(language).parse(source), {}, paths)  # type: ignore[arg-type]
    problems = [
        problem
        for path in sorted(paths)
        if path[0] not in JINJA_NAMES and (problem := _check(context_model(kind), path))
    ]
    assert not problems
    assert paths


def test_the_checker_catches_a_misspelt_attribute_of_a_loop_item() -> None:
    source = "{% for s in students %}{{ s.host_instituton }}{% endfor %}"
    paths: set[Path] = set()
    _paths(jinja_environment("ky").parse(source), {}, paths)
    model = context_model(DocumentKind.mobility_order)
    assert _check(model, ("students", "[]", "host_instituton")) is not None
    assert ("students", "[]", "host_instituton") in paths
