"""Templates are safe to edit (issue 12.5): a clerk's unbalanced tag is refused with its
place, at render and by `sapar templates check`; the fast renderer prints what docxtpl
prints; an edited template is used at once; drafts can never overwrite templates/."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from documents import LANGUAGES, DocumentKind, TemplateProblem, render, template_path
from documents.render import TEMPLATES_DIR, jinja_environment, template_variables
from documents.render import validate_context as valid
from documents.samples import sample_data
from documents.template_check import check_files, unbalanced
from sapar.cli import app

runner = CliRunner()


def _edited(tmp_path: Path, old: str, new: str, *, language: str = "ky") -> Path:
    """A copy of templates/ whose mobility order has `old` replaced by `new` once."""
    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, root)
    path = root / language / "mobility_order.docx"
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as source:
        entries = [(i, source.read(i)) for i in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new, 1).encode("utf-8")
            target.writestr(info, data)
    path.write_bytes(out.getvalue())
    return root


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("№ {{ number }", "'{{' at character 3 is never closed with '}}'"),
        ("№ {{ number }} }}", "'}}' at character 16 closes nothing"),
        ("{% if x }}", "'{%' at character 1 is closed by '}}'"),
        ("{{ a {{ b }}", "'{{' at character 1 is not closed before '{{'"),
        ("{% if note %}{{ note }}{% endif %}", None),
        ("plain text with { braces }", None),
    ],
)
def test_unbalanced_tags_are_found_in_a_paragraph(text: str, problem: str | None) -> None:
    assert unbalanced(text) == problem


def test_rendering_a_template_with_a_missing_brace_is_an_error_naming_the_place(
    tmp_path: Path,
) -> None:
    root = _edited(tmp_path, "№ {{ number }}", "№ {{ number }")
    with pytest.raises(TemplateProblem) as refused:
        render("mobility_order", "ky", sample_data("mobility_order", "ky"), templates_dir=root)
    message = str(refused.value)
    assert "word/document.xml, paragraph" in message
    assert "«№ {{ number }»" in message
    assert "never closed with '}}'" in message


def test_templates_check_names_every_problem_and_fails(tmp_path: Path) -> None:
    root = _edited(tmp_path, "№ {{ number }}", "№ {{ number }")
    result = runner.invoke(app, ["templates", "check", str(root)])
    assert result.exit_code == 1
    assert "ky/mobility_order.docx" in result.output
    assert "never closed" in result.output
    assert "1 with problems" in result.output


def test_templates_check_reports_a_misspelt_field_and_a_syntax_error(tmp_path: Path) -> None:
    misspelt = _edited(tmp_path / "a", "{{ s.host_institution }}", "{{ s.host_instituton }}")
    (finding,) = check_files([misspelt / "ky" / "mobility_order.docx"]).popitem()[1]
    assert "students.host_instituton: not a field of OutgoingStudent" in str(finding)
    broken = _edited(tmp_path / "b", "{%tr for s in students %}", "{%tr for s in %}")
    (finding,) = check_files([broken / "ky" / "mobility_order.docx"]).popitem()[1]
    assert "template syntax" in str(finding) and "paragraph" in str(finding)


def test_the_shipped_templates_pass_the_check() -> None:
    result = runner.invoke(app, ["templates", "check"])
    assert result.exit_code == 0, result.output
    assert "0 with problems" in result.output


def test_an_edited_template_is_used_at_once(tmp_path: Path) -> None:
    data = sample_data("mobility_order", "ky")
    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, root)
    before = render("mobility_order", "ky", data, templates_dir=root)
    edited = _edited(tmp_path / "edit", "БУЙРУК КЫЛАМ:", "БУЙРУК КЫЛАМ (оңдолду):")
    shutil.copy(edited / "ky" / "mobility_order.docx", root / "ky" / "mobility_order.docx")
    after = render("mobility_order", "ky", data, templates_dir=root)
    assert after.template_version != before.template_version
    assert "оңдолду" in _body(after.content)


def _body(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _canonical(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read(name))
    return etree.tostring(root, method="c14n")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", [DocumentKind.mobility_order, DocumentKind.dean_nomination])
def test_the_cached_renderer_prints_exactly_what_docxtpl_prints(
    kind: DocumentKind, language: str
) -> None:
    from docxtpl import DocxTemplate

    data = sample_data(kind, language)  # type: ignore[arg-type]
    ours = render(kind, language, data).content  # type: ignore[arg-type]
    bare = DocxTemplate(template_path(kind, language))  # type: ignore[arg-type]
    variables = template_variables(valid(kind, data))
    bare.render(variables, jinja_env=jinja_environment(language), autoescape=True)  # type: ignore[arg-type]
    out = io.BytesIO()
    bare.save(out)
    with zipfile.ZipFile(io.BytesIO(ours)) as archive:
        names = [n for n in archive.namelist() if n.endswith(".xml") and "core" not in n]
    for name in names:
        assert _canonical(ours, name) == _canonical(out.getvalue(), name), name


def test_drafts_refuse_to_write_into_templates() -> None:
    from scripts.template_drafts import WouldOverwriteTemplates, main

    with pytest.raises(WouldOverwriteTemplates):
        main(["--out", str(TEMPLATES_DIR / "ky"), "--only", "mobility_order"])
    with pytest.raises(WouldOverwriteTemplates):
        main(["--out", str(TEMPLATES_DIR)])
