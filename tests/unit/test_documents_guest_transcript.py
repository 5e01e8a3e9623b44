"""The paper OshSU gives a guest at the end of the stay (КАОЖ duties): a student's transcript
of records course by course, a staff member's certificate of the stay, also in English for the
home university abroad."""

from __future__ import annotations

import pytest

from documents import ContextError, DocumentKind, languages_of, render
from documents.docx_text import full_text
from documents.samples import sample_data

KIND = DocumentKind.issued_transcript


def test_a_guest_students_transcript_without_a_grade_is_refused_naming_the_grades() -> None:
    data = sample_data(KIND, "ky") | {"grades": []}
    with pytest.raises(ContextError) as refused:
        render(KIND, "ky", data)
    assert [path for path, _ in refused.value.problems] == ["grades"]


def test_a_staff_guests_certificate_needs_no_grades_and_says_so_in_its_title() -> None:
    data = sample_data(KIND, "en") | {"grades": [], "participant": "staff"}
    text = full_text(render(KIND, "en", data).content)
    assert "CERTIFICATE OF STAY" in text and "TRANSCRIPT" not in text
    assert "Credits (ECTS)" not in text  # no empty grades table


def test_the_english_transcript_prints_the_grades_the_total_and_the_signers_in_latin() -> None:
    text = full_text(render(KIND, "en", sample_data(KIND, "en")).content)
    assert "TRANSCRIPT OF RECORDS" in text
    assert "Karimov Jasurbek Olimjon ugli" in text  # the passport's spelling
    assert "from 1 September 2026 to 25 December 2026" in text
    assert "Manas Studies" in text and "15.5" in text
    assert "T. Zh. Abdyrakhmanova" in text and "Dean of the Faculty of Philology" in text


def test_the_guests_transcript_exists_in_english_beside_kyrgyz_and_russian() -> None:
    assert languages_of(KIND) == ("ky", "ru", "en")
