"""Every sample converts to PDF with LibreOffice and reads back with the expected text.

LibreOffice start-up dominates, so all samples convert in one batched soffice call.
"""

import re
import subprocess
from pathlib import Path

import pytest

from documents import LANGUAGES, TEMPLATED, DocumentKind, LibreOfficeMissing, render
from documents.pdf import convert_to_pdf
from documents.samples import edge_data, sample_data
from tests.integration.pdf_checks import broken_dates, fonts_not_embedded, pages

pytestmark = pytest.mark.libreoffice

EXPECTED: dict[DocumentKind, list[str]] = {
    DocumentKind.mobility_order: ["412/01-ст", "Үсөнов Өмүрбек", "Кастамону"],
    DocumentKind.staff_trip_order: ["95/02-к", "Сыдыкова Бермет", "RIMT/INT/58"],
    DocumentKind.return_order: ["301/01-ст", "Асанова Айпери", "38/01-ст"],
    DocumentKind.dean_nomination: ["Жолдошбеков Нурсултан", "Microeconomics II", "3,72"],
    DocumentKind.study_plan: ["Асанова Айпери", "Data Analysis with Python", "22,5"],
    DocumentKind.trip_report_form: ["Жолдошбеков Нурсултан", "International Marketing"],
    DocumentKind.questionnaire: ["Мамытова Гүлзада", "AC 1234567", "3,85"],
    DocumentKind.parents_consent: ["Асанов Бакыт", "ID 2345678"],
    DocumentKind.invitation_request: ["01-17/1043", "Ahmet Hamdi Topal", "MEV-2024-031"],
    DocumentKind.recognition_decision: ["TR-2026-0931", "Econometrics", "88"],
    DocumentKind.missed_deadline_notice: ["03-12/77", "Жолдошбеков"],  # ru declines it
    DocumentKind.incoming_invitation: ["01-17/1051", "Karimov Jasurbek", "FA 7654321"],
    DocumentKind.enrolment_order: ["415/01-ст", "Kim Min-jun", "12-ЭА"],
    DocumentKind.referral_letter: ["01-17/1077", "Айпери", "KU-IRO/2026-114"],
    DocumentKind.staff_report_form: ["95/02-к", "Сыдыкова Бермет"],
    DocumentKind.expulsion_submission: ["07-12/88", "Corporate Finance", "TR-2026-1187"],
    DocumentKind.faculty_mobility_report: ["ЭК-1-23", "Mevlana"],
    DocumentKind.issued_transcript: ["17/TR", "Karimov Jasurbek", "15,5"],
}
DATES = {"ky": "2026-жылдын", "ru": "2026 г."}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[DocumentKind, str], Path]:
    docx_dir = tmp_path_factory.mktemp("docx")
    pdf_dir = tmp_path_factory.mktemp("pdf")
    paths = {}
    for kind in TEMPLATED:
        for language in LANGUAGES:
            path = docx_dir / f"{kind.value}_{language}.docx"
            path.write_bytes(render(kind, language, sample_data(kind, language)).content)
            paths[kind, language] = path
    for language in LANGUAGES:  # the edge cases, in the same soffice run
        for name, (kind, data) in edge_data(language).items():
            path = docx_dir / f"{name}_{language}.docx"
            path.write_bytes(render(kind, language, data).content)
            paths[name, language] = path  # type: ignore[index]
    try:
        converted = convert_to_pdf(list(paths.values()), pdf_dir, timeout=300)
    except LibreOfficeMissing as missing:
        pytest.fail(str(missing))
    return dict(zip(paths, converted, strict=True))


@pytest.fixture(scope="module")
def pdf_texts(
    pdfs: dict[tuple[DocumentKind, str], Path],
) -> dict[tuple[DocumentKind, str], str]:
    texts = {}
    for key, pdf in pdfs.items():
        result = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        )
        texts[key] = result.stdout
    return texts


# The orders whose student tables are wide (10 columns and more): an annex in landscape.
WIDE = (DocumentKind.mobility_order, DocumentKind.return_order, DocumentKind.enrolment_order)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(TEMPLATED))
def test_each_sample_pdf_has_no_blank_page_no_broken_date_and_its_fonts_embedded(
    pdfs: dict[tuple[DocumentKind, str], Path], kind: DocumentKind, language: str
) -> None:
    read = pages(pdfs[kind, language])
    assert not [p.number for p in read if p.blank], "a blank page"
    assert not broken_dates("\n".join(p.text for p in read))
    assert not fonts_not_embedded(pdfs[kind, language])
    # Portrait, but for the wide tables' annex, which begins on a landscape page of its own.
    landscape = [p.landscape for p in read]
    if kind in WIDE:
        assert landscape[0] is False and landscape[-1] is True, landscape
        first = landscape.index(True)
        assert read[first].text.lstrip().startswith(("Приложение к приказу", "ОшМУнун"))
    else:  # the letters and forms are portrait; a report with a wide table may turn
        assert landscape[0] is False, landscape


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(TEMPLATED))
def test_each_sample_pdf_contains_its_names_and_numbers(
    pdf_texts: dict[tuple[DocumentKind, str], str], kind: DocumentKind, language: str
) -> None:
    # Lines may wrap at a hyphen inside a number ("MEV-2024-" / "031"): rejoin them.
    text = re.sub(r"-\s+", "-", " ".join(pdf_texts[kind, language].split()))
    for expected in EXPECTED[kind]:
        assert expected in text, f"{expected!r} missing from {kind.value}_{language}.pdf"
    assert DATES[language] in text


def test_kyrgyz_letters_reach_the_pdf_intact(
    pdf_texts: dict[tuple[DocumentKind, str], str],
) -> None:
    text = pdf_texts[DocumentKind.mobility_order, "ky"]
    assert "ОШ МАМЛЕКЕТТИК УНИВЕРСИТЕТИ" in text
    assert "Ңурланович" in text.replace("\n", " ") or "Ңурлано" in text
    assert "мобилдүүлүккө жиберүү жөнүндө" in text


def test_a_missing_libreoffice_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LibreOfficeMissing, match="libreoffice-writer"):
        convert_to_pdf([tmp_path / "a.docx"], tmp_path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_edge_samples_convert_with_no_blank_page_and_no_broken_date(
    pdfs: dict[tuple[DocumentKind, str], Path], language: str
) -> None:
    for name in ("edge_group_order", "edge_corrected_order", "edge_return_order"):
        pdf = pdfs[name, language]  # type: ignore[index]
        read = pages(pdf)
        assert not [p.number for p in read if p.blank], name
        assert not broken_dates("\n".join(p.text for p in read)), name
        assert not fonts_not_embedded(pdf), name
        assert not read[0].landscape and read[-1].landscape, name
    group = pages(pdfs["edge_group_order", language])  # type: ignore[index]
    assert sum(p.landscape for p in group) >= 2  # 40 rows: the annex runs over pages
