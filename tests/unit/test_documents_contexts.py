from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel

from documents import TEMPLATED, ContextError, DocumentKind, context_model, render
from documents.samples import sample_data


def _without(data: dict[str, Any], *path: str | int) -> dict[str, Any]:
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return data


def test_a_missing_field_in_a_student_row_is_named_with_its_path() -> None:
    data = _without(sample_data("mobility_order", "ky"), "students", 2, "host_institution")
    with pytest.raises(ContextError) as caught:
        render(DocumentKind.mobility_order, "ky", data)
    assert str(caught.value) == (
        "mobility_order context: students[2].host_institution: field required"
    )
    assert caught.value.problems == [("students[2].host_institution", "field required")]


def test_a_missing_top_level_field_is_named() -> None:
    data = _without(sample_data("staff_trip_order", "ru"), "substitute")
    with pytest.raises(ContextError, match=r"staff_trip_order context: substitute: field"):
        render("staff_trip_order", "ru", data)


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_a_blank_required_text_is_rejected_rather_than_printed_as_an_empty_line(
    blank: str,
) -> None:
    data = sample_data("mobility_order", "ky")
    data["signer"]["full_name"] = blank
    with pytest.raises(ContextError, match=r"signer\.full_name"):
        render("mobility_order", "ky", data)


def test_control_characters_in_typed_text_are_rejected() -> None:
    data = sample_data("questionnaire", "ky")
    data["full_name"] = "Асанова\fАйпери"
    with pytest.raises(ContextError, match="full_name"):
        render("questionnaire", "ky", data)


def test_an_unknown_key_is_reported_as_a_probable_typo() -> None:
    data = sample_data("parents_consent", "ky") | {"parent_fullname": "X"}
    with pytest.raises(ContextError, match="parent_fullname: extra inputs are not permitted"):
        render("parents_consent", "ky", data)


def test_a_period_ending_before_it_starts_is_rejected() -> None:
    data = sample_data("study_plan", "ru")
    data["period_to"] = date(2026, 1, 1)
    with pytest.raises(ContextError, match="period_to is before period_from"):
        render("study_plan", "ru", data)


def test_a_recognition_outcome_that_contradicts_the_courses_is_rejected() -> None:
    data = sample_data("recognition_decision", "ky")
    data["outcome"] = "all_credited"
    with pytest.raises(ContextError, match="outcome contradicts"):
        render("recognition_decision", "ky", data)


def test_every_kind_has_a_context_model_and_a_validated_model_is_accepted_as_is() -> None:
    for kind in TEMPLATED:
        model = context_model(kind)
        context = model.model_validate(sample_data(kind, "ky"))
        assert render(kind, "ky", context).kind is kind


def test_a_callers_own_model_with_the_same_fields_is_read_by_attribute() -> None:
    class Signer(BaseModel):
        full_name: str
        position: str

    class Executor(BaseModel):
        full_name: str
        phone: str

    data = sample_data("missed_deadline_notice", "ky")

    class Notice(BaseModel):
        full_name: str
        faculty: str
        specialty: str
        year_of_study: int
        group: str
        number: str
        date: date
        duty: str
        deadline: date
        signer: Signer
        executor: Executor

    notice = Notice(**{k: v for k, v in data.items() if k in Notice.model_fields})
    text_of = render("missed_deadline_notice", "ky", notice).content
    assert text_of.startswith(b"PK")
