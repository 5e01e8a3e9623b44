"""Every variable a template uses is declared by its context model, down to the attributes
of loop items ("s.host_institution" must be a field of the student row model)."""

import pytest
from docxtpl import DocxTemplate

from documents import TEMPLATED, DocumentKind, context_model, languages_of, template_path
from documents.render import jinja_environment, patched_sources
from documents.template_check import declared_fields, undeclared, variable_paths

KINDS_AND_LANGUAGES = [(kind, language) for kind in TEMPLATED for language in languages_of(kind)]
IDS = [f"{kind.value}-{language}" for kind, language in KINDS_AND_LANGUAGES]


@pytest.mark.parametrize(("kind", "language"), KINDS_AND_LANGUAGES, ids=IDS)
def test_top_level_template_variables_are_fields_of_the_context_model(
    kind: DocumentKind, language: str
) -> None:
    template = DocxTemplate(template_path(kind, language))  # type: ignore[arg-type]
    used = template.get_undeclared_template_variables(jinja_environment(language))  # type: ignore[arg-type]
    assert used, "a template without variables is suspicious"
    assert used <= set(declared_fields(context_model(kind)))


@pytest.mark.parametrize(("kind", "language"), KINDS_AND_LANGUAGES, ids=IDS)
def test_attribute_paths_in_templates_resolve_through_the_context_model(
    kind: DocumentKind, language: str
) -> None:
    env = jinja_environment(language)  # type: ignore[arg-type]
    sources = patched_sources(template_path(kind, language).read_bytes())  # type: ignore[arg-type]
    paths = set().union(*(variable_paths(env.parse(s)) for s in sources.values()))
    problems = [p for path in sorted(paths) if (p := undeclared(context_model(kind), path))]
    assert not problems
    assert paths


def test_the_checker_catches_a_misspelt_attribute_of_a_loop_item() -> None:
    source = "{% for s in students %}{{ s.host_instituton }}{% endfor %}"
    paths = variable_paths(jinja_environment("ky").parse(source))
    assert ("students", "[]", "host_instituton") in paths
    model = context_model(DocumentKind.mobility_order)
    assert undeclared(model, ("students", "[]", "host_instituton")) is not None
    assert undeclared(model, ("students", "[]", "host_institution")) is None
