import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from documents import (
    LANGUAGES,
    TEMPLATED,
    DocumentKind,
    RenderedDocument,
    languages_of,
    render,
    template_path,
)
from documents.docx_text import full_text, paragraph_texts
from documents.errors import TemplateProblem
from documents.samples import minimal_data, sample_data

KINDS_AND_LANGUAGES = [(kind, language) for kind in TEMPLATED for language in languages_of(kind)]
IDS = [f"{kind.value}-{language}" for kind, language in KINDS_AND_LANGUAGES]
ROOT = Path(__file__).resolve().parents[2]


def _assert_clean_document(document: RenderedDocument) -> str:
    docx.Document(io.BytesIO(document.content))  # opens with python-docx
    for paragraph in paragraph_texts(document.content):
        for leftover in ("{{", "}}", "{%", "%}"):
            assert leftover not in paragraph, f"template tag left in: {paragraph!r}"
    return full_text(document.content)


@pytest.mark.parametrize(("kind", "language"), KINDS_AND_LANGUAGES, ids=IDS)
def test_every_template_renders_from_a_full_context(kind: DocumentKind, language: str) -> None:
    document = render(kind, language, sample_data(kind, language))  # type: ignore[arg-type]
    text = _assert_clean_document(document)
    assert document.kind is kind and document.language == language
    assert document.template_name == f"{kind.value}.docx"
    assert len(document.template_version) == 12
    assert document.sha256 == hashlib.sha256(document.content).hexdigest()
    assert document.suggested_filename.endswith(f"_{language}.docx")
    if language == "ky":
        assert "ө" in text and "ү" in text


@pytest.mark.parametrize(("kind", "language"), KINDS_AND_LANGUAGES, ids=IDS)
def test_every_template_renders_from_a_minimal_context(kind: DocumentKind, language: str) -> None:
    _assert_clean_document(render(kind, language, minimal_data(kind, language)))  # type: ignore[arg-type]


def test_kyrgyz_letters_survive_in_typed_names_and_in_the_template_text() -> None:
    text = full_text(render("mobility_order", "ky", sample_data("mobility_order", "ky")).content)
    assert "Үсөнов Өмүрбек Ңурланович" in text
    assert "Мамытова Гүлзада Өмүрбековна" in text
    assert "Студенттерди академиялык мобилдүүлүккө жиберүү жөнүндө" in text
    assert "2026-жылдын 23-ноябры" in text
    assert "ОшМУнун 2026-жылдын 23-ноябрындагы № 412/01-ст буйругуна тиркеме" in text


TYPED = [
    "O'Brien & Sons <Ltd>",
    "Өмүрбек Үсөнов Ңң",
    '"Quoted" name’s & <b>bold</b> {{ not a tag }} {% nor this %}',
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", TYPED)
def test_text_typed_by_users_comes_out_exactly_as_typed(typed: str, language: str) -> None:
    data = sample_data("mobility_order", language)  # type: ignore[arg-type]
    data["students"][0]["full_name"] = typed
    data["students"][1]["host_institution"] = typed
    data["signer"]["full_name"] = typed
    data["note"] = typed
    paragraphs = paragraph_texts(render("mobility_order", language, data).content)  # type: ignore[arg-type]
    # The name's cell, the signature and the note item each hold just the value; the host's
    # cell holds it with the country.
    assert paragraphs.count(typed) == 3
    assert paragraphs.count(f"{typed} ({data['students'][1]['host_country']})") == 1


def test_a_line_break_in_free_text_becomes_a_line_break_not_a_new_item() -> None:
    data = sample_data("staff_trip_order", "ky")
    data["purpose"] = "Конок лекциялар\nжана семинар"
    content = render("staff_trip_order", "ky", data).content
    assert "Конок лекцияларжана семинар" in full_text(content)  # one paragraph, a <w:br/>
    assert b"<w:br/>" in zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml")


def test_a_group_order_with_300_students_has_one_table_row_per_student() -> None:
    data: dict[str, Any] = sample_data("mobility_order", "ky")
    row = data["students"][0]
    data["students"] = [row | {"full_name": f"Студент №{i:03d} Өмүрбеков"} for i in range(300)]
    document = docx.Document(io.BytesIO(render("mobility_order", "ky", data).content))
    student_table = next(t for t in document.tables if t.rows[0].cells[0].text == "№")
    assert len(student_table.rows) == 301
    names = [r.cells[1].text for r in student_table.rows[1:]]
    assert names == [f"Студент №{i:03d} Өмүрбеков" for i in range(300)]
    assert student_table.rows[300].cells[0].text == "300"


def test_optional_parts_are_left_out_when_absent_and_printed_when_given() -> None:
    full = full_text(
        render("staff_trip_order", "ru", sample_data("staff_trip_order", "ru")).content
    )
    data = sample_data("staff_trip_order", "ru") | {
        "project": "Грант МОН КР № 17",
        "university_funds": True,
    }
    with_project = full_text(render("staff_trip_order", "ru", data).content)
    assert "Научный проект" not in full and "авансовый отчёт" not in full
    assert "Грант МОН КР № 17" in with_project and "в течение 5 рабочих дней" in with_project
    assert "14 дн." in full  # 11–24 January, both days counted


def test_the_recognition_decision_prints_the_elective_fallback_and_the_outcome() -> None:
    text = full_text(
        render("recognition_decision", "ky", sample_data("recognition_decision", "ky")).content
    )
    assert "Университеттик компонент / элективдүү курс" in text
    assert "кошумча (жайкы) семестрде акы төлөө негизинде" in text
    assert "Эсептелген кредиттер: 10; эсептелбеген кредиттер: 5." in text


def test_the_same_context_gives_byte_identical_documents() -> None:
    for kind in TEMPLATED:
        first = render(kind, "ky", sample_data(kind, "ky"))
        second = render(kind, "ky", sample_data(kind, "ky"))
        assert first.content == second.content and first.sha256 == second.sha256


def test_rendering_is_deterministic_across_processes_and_hash_seeds() -> None:
    script = (
        "from documents import render; from documents.samples import sample_data;"
        "print(render('mobility_order', 'ru', sample_data('mobility_order', 'ru')).sha256)"
    )
    here = render("mobility_order", "ru", sample_data("mobility_order", "ru")).sha256
    for seed in ("1", "2"):
        env = os.environ | {"PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == here


def test_zip_entries_and_core_properties_carry_no_rendering_time() -> None:
    content = render("return_order", "ky", sample_data("return_order", "ky")).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2026-01-01T00:00:00Z" in core


def test_the_template_version_is_the_hash_of_the_template_file() -> None:
    document = render("questionnaire", "ru", sample_data("questionnaire", "ru"))
    path = template_path("questionnaire", "ru")
    assert document.template_version == hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        render("questionnaire", "fr", sample_data("questionnaire", "ru"))  # type: ignore[arg-type]


def test_english_is_refused_for_a_paper_that_has_no_english_template() -> None:
    """English exists only for the papers that go abroad: a questionnaire stays ky/ru."""
    assert languages_of("questionnaire") == ("ky", "ru")
    assert languages_of("invitation_request") == ("ky", "ru", "en")
    with pytest.raises(TemplateProblem, match=r"en/questionnaire\.docx does not exist"):
        render("questionnaire", "en", sample_data("questionnaire", "ru"))
