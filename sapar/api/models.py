"""The API's JSON shapes (responses; requests are sapar.services.schemas)."""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, BaseModel, ConfigDict

from sapar.problems import FieldError
from sapar.services.cases import FireResult
from sapar.services.imports import ImportJob
from sapar.services.partner_registry import PartnerLine
from sapar.services.queries import CaseLine, DeadlineLine
from states.kinds import Step
from states.model import Case


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ParticipantOut(_Out):
    """A person of the registry."""

    id: int | None
    version: int
    university_id: str | None
    pin: str | None
    full_name: str
    full_name_latin: str | None
    gender: str | None
    birth_date: date | None
    kind: str
    faculty: str | None
    department: str | None
    level: str | None
    year: int | None
    semester: int | None
    gpa: float | None
    funding_basis: str | None
    tuition_debt: bool
    position: str | None
    home_institution: str | None
    citizenship: str | None
    email: str | None
    phone: str | None
    specialty: str | None
    group_name: str | None
    study_language: str | None
    passport_number: str | None
    address: str | None
    parent_full_name: str | None
    parent_relation: str | None
    parent_passport: str | None
    parent_address: str | None
    parent_phone: str | None


class PersonCaseOut(_Out):
    id: int
    kind: str
    state: str
    host_institution: str
    host_country: str
    start_date: date
    end_date: date
    academic_year: str


class PersonOut(ParticipantOut):
    """A person with their cases, oldest first."""

    cases: list[PersonCaseOut] = []


class PersonLineOut(_Out):
    id: int
    full_name: str
    kind: str
    university_id: str | None
    birth_date: date | None
    faculty: str | None
    group_name: str | None
    home_institution: str | None


class ImportJobOut(BaseModel):
    """An import running off the request: poll `GET /api/imports/{id}` until `finished`.
    `status`: queued, checking (`done` lines checked), writing (`done` of `total` written),
    done or failed. A failed import wrote nothing; `error` says why and `errors` names the
    line (the header is line 1) and the column. `added`/`corrected`: an import of people."""

    id: int
    kind: str
    filename: str
    status: str
    finished: bool
    done: int
    total: int
    added: int | None = None
    corrected: int | None = None
    error: str | None = None
    errors: list[FieldError] = []
    created_by: str
    created_at: AwareDatetime
    finished_at: AwareDatetime | None = None

    @classmethod
    def of(cls, job: ImportJob, lang: str) -> ImportJobOut:
        errors = []
        if job.error is not None:
            errors = [FieldError(field=job.error_field or "file", line=job.error_line,
                                 message=job.error)]  # fmt: skip
        return cls(
            id=job.id, kind=job.kind, filename=job.filename, status=job.status,
            finished=job.finished, done=job.done, total=job.total, added=job.added,
            corrected=job.corrected, error=job.say_error(lang), errors=errors,
            created_by=job.created_by, created_at=job.created_at, finished_at=job.finished_at,
        )  # fmt: skip


class StepOut(BaseModel):
    event: str
    needs_reason: bool
    roles: list[str]


class CaseOut(_Out):
    id: int | None
    kind: str
    state: str
    version: int
    participant: ParticipantOut
    scope: str
    host_institution: str
    host_country: str
    host_city: str | None
    programme: str | None
    purpose: str
    start_date: date
    end_date: date
    actual_end_date: date | None
    funding_source: str
    competitive: bool
    language_certificate_required: bool
    faculty: str | None
    department: str | None
    failed_credits: int | None
    outcome: str | None
    host_language: str | None
    language_level: str | None
    substitute: str | None
    project: str | None
    host_contact: str | None
    host_contact_position: str | None
    coordinator: str | None
    home_country: str | None
    # The steps the calling user may take now.
    steps: list[StepOut] = []

    @classmethod
    def of(cls, case: Case, steps: list[Step]) -> CaseOut:
        out = cls.model_validate(case)
        out.steps = [
            StepOut(event=s.event, needs_reason=s.needs_reason, roles=sorted(s.roles))
            for s in steps
        ]
        return out


class CasePageOut(BaseModel):
    cases: list[CaseLine]
    next_after: int | None


class CreatedOut(BaseModel):
    id: int
    kind: str
    person_id: int


class FiredOut(BaseModel):
    case_id: int
    event: str
    from_state: str
    to_state: str
    version: int

    @classmethod
    def of(cls, result: FireResult) -> FiredOut:
        return cls(
            case_id=result.case_id,
            event=result.event,
            from_state=result.from_state,
            to_state=result.to_state,
            version=result.version,
        )


class OverdueOut(BaseModel):
    by_faculty: dict[str, int]
    deadlines: list[DeadlineLine]


class MeOut(_Out):
    username: str
    full_name: str
    role: str
    faculty: str | None
    department: str | None
    language: str


class RequestedOut(BaseModel):
    outbox_id: int


class CorrectedOut(BaseModel):
    version: int
    changed: list[str]
    reissue: list[str]


class PlanSavedOut(BaseModel):
    version: int


class TranscriptSavedOut(BaseModel):
    failed_credits: float


class PlanLineOut(_Out):
    title: str
    credits: float
    mode: str
    replaces: str | None
    teacher: str | None
    term: str | None


class TranscriptLineOut(_Out):
    host_course: str
    credits: float
    host_grade: str
    host_scale: str
    score: float
    home_letter: str
    home_points: int
    home_course: str | None
    credited: bool
    refusal_reason: str | None


class RecognitionOut(_Out):
    plan: list[PlanLineOut]
    plan_version: int | None
    transcript: list[TranscriptLineOut]


class PartnerPageOut(BaseModel):
    """One page of the registry; `more`: a next page exists (ask for `page` + 1)."""

    partners: list[PartnerLine]
    page: int
    page_size: int
    more: bool
