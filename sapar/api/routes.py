"""/api: thin routes, keyword-only calls into the service layer. Errors are mapped in one
place (sapar.app) from the service's own exceptions to 4xx answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    File,
    Form,
    Query,
    Request,
    UploadFile,
)
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sapar.deps import Services, services
from sapar.http import (
    CaseId,
    DocumentId,
    JobId,
    PartnerId,
    PersonId,
    ask_for_documents,
    attachment,
    request_language,
)
from sapar.problems import LoginRequired, ProblemOut
from sapar.services import (
    access,
    editing,
    imports,
    papers,
    partner_registry,
    pdf_copies,
    people,
    queries,
    recognition,
    steps,
    users,
)
from sapar.services.case_access import case_for
from sapar.services.papers import MAX_UPLOAD_BYTES, PaperFacts, UploadRefused
from sapar.services.partner_registry import PartnerLine
from sapar.services.partners import PartnerIn
from sapar.services.schemas import (
    AgreementIn,
    AgreementKind,
    CaseFilter,
    CaseIn,
    Day,
    FireIn,
    PaperRequestIn,
    ParticipantIn,
    PartnerBodyIn,
    PersonPatchIn,
    QuotaIn,
    StudyPlanIn,
    TranscriptIn,
)
from sapar.services.tables import MAX_BYTES
from states.dossier import DocumentKind

from .models import (
    CaseOut,
    CasePageOut,
    CorrectedOut,
    CreatedOut,
    FiredOut,
    ImportJobOut,
    MeOut,
    OverdueOut,
    PartnerPageOut,
    PersonCaseOut,
    PersonLineOut,
    PersonOut,
    PlanSavedOut,
    RecognitionOut,
    RequestedOut,
    TranscriptSavedOut,
)

bearer = HTTPBearer(auto_error=False, description="A token from `sapar users add-token`")


def api_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> users.User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise LoginRequired(key="auth.required")
    user = users.user_for_token(services(request).engine, credentials.credentials)
    if user is None or user.role is users.Role.participant:
        raise LoginRequired(key="auth.token_refused")
    request.state.user = user  # errors answer in the user's language unless Accept-Language
    return user


User = Annotated[users.User, Depends(api_user)]
Svc = Annotated[Services, Depends(services)]


def _problems(*codes: int) -> dict[int | str, dict[str, object]]:
    """The statuses a route answers besides its success, each with the real error body."""
    what = {
        400: "The input is not usable (a file that is not a PDF/DOCX, an impossible step)",
        401: "No token, or one that is unknown, expired or revoked",
        403: "The case is outside this account's scope, or the step is not its duty",
        404: "No such case or document",
        409: "Someone else changed the case meanwhile (expected_version)",
        413: "The body is over its limit (JSON 1 MB, uploads 10 MB)",
        422: "A field's value is refused; `errors` names each field",
        503: "The database is unreachable for the moment; try again",
    }
    return {code: {"model": ProblemOut, "description": what[code]} for code in codes}


router = APIRouter(prefix="/api", tags=["cases"], responses=_problems(401, 413, 422, 503))


@router.get("/me", response_model=MeOut)
def me(user: User) -> users.User:
    return user


@router.get("/cases", response_model=CasePageOut)
def list_cases(user: User, svc: Svc, filters: Annotated[CaseFilter, Depends()]) -> CasePageOut:
    page = queries.list_cases(svc.engine, user=user, filters=filters)
    return CasePageOut(
        cases=page.lines,
        next_after=page.next_after,
    )


@router.post("/cases", response_model=CreatedOut, status_code=201, responses=_problems(403))
def create_case(user: User, svc: Svc, data: CaseIn) -> CreatedOut:
    """Open a case for a person of the registry (`person_id`; see GET /api/people), or with a
    new person (`participant`) when none matches. A student whose previous mobility is not
    finished is refused (4.8, Student duties), naming that case; a new person with the name
    and birth date of one in the registry is refused with 409 unless `confirm_new_person`."""
    case = steps.open_new_case(svc.engine, user=user, data=data)
    assert case.id is not None and case.participant.id is not None
    return CreatedOut(id=case.id, kind=case.kind.value, person_id=case.participant.id)


@router.get("/cases/{case_id}", response_model=CaseOut, responses=_problems(403, 404))
def read_case(user: User, svc: Svc, case_id: CaseId) -> CaseOut:
    case = case_for(svc.engine, user=user, case_id=case_id)
    return CaseOut.of(case, access.steps_for(user, case))


@router.post(
    "/cases/{case_id}/events", response_model=FiredOut, responses=_problems(400, 403, 404, 409)
)
def fire_event(user: User, svc: Svc, case_id: CaseId, step: FireIn) -> FiredOut:
    result = steps.take_step(svc.engine, user=user, case_id=case_id, step=step)
    ask_for_documents(svc, case_id)
    return FiredOut.of(result)


@router.get(
    "/cases/{case_id}/history",
    response_model=list[queries.HistoryLine],
    responses=_problems(403, 404),
)
def case_history(user: User, svc: Svc, case_id: CaseId) -> list[queries.HistoryLine]:
    return queries.history(svc.engine, user=user, case_id=case_id)


@router.get(
    "/cases/{case_id}/deadlines",
    response_model=list[queries.DeadlineLine],
    responses=_problems(403, 404),
)
def case_deadlines(user: User, svc: Svc, case_id: CaseId) -> list[queries.DeadlineLine]:
    return queries.deadlines(svc.engine, user=user, case_id=case_id)


@router.get(
    "/cases/{case_id}/documents",
    response_model=list[queries.DocumentLine],
    responses=_problems(403, 404),
)
def case_documents(user: User, svc: Svc, case_id: CaseId) -> list[queries.DocumentLine]:
    return queries.documents(svc.engine, user=user, case_id=case_id)


async def read_upload(file: UploadFile) -> bytes:
    """The upload's bytes, refusing early (without reading on) when it is too big."""
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"file: '{file.filename}' is over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
        )
    return content


@router.post(
    "/cases/{case_id}/documents",
    response_model=queries.DocumentLine,
    status_code=201,
    responses=_problems(400, 403, 404),
)
async def upload_document(
    user: User,
    svc: Svc,
    case_id: CaseId,
    doc_type: Annotated[DocumentKind, Form()],
    file: Annotated[UploadFile, File()],
    issuer: Annotated[str | None, Form(max_length=300, description="Who issued the paper")] = None,
    number: Annotated[str | None, Form(max_length=80, description="Its number")] = None,
    date: Annotated[Day | None, Form(description="Its date (yyyy-mm-dd or dd.mm.yyyy)")] = None,
) -> queries.DocumentLine:
    """Hand in a paper. The host's invitation comes with its issuer, number and date, a
    partner's nomination and a host transcript with their issuer and date: the university's
    papers cite them."""
    content = await read_upload(file)
    attached = papers.hand_in(
        svc.engine,
        svc.files,
        user=user,
        case_id=case_id,
        doc_type=doc_type,
        filename=file.filename or "upload",
        content=content,
        facts=PaperFacts(issuer=issuer or None, number=number or None, date=date),
    )
    listed = queries.documents(svc.engine, user=user, case_id=case_id)
    return next(d for d in listed if d.id == attached.document_id)


@router.post(
    "/cases/{case_id}/documents/request",
    response_model=RequestedOut,
    status_code=202,
    responses=_problems(403, 404, 409),
)
def request_paper(user: User, svc: Svc, case_id: CaseId, data: PaperRequestIn) -> RequestedOut:
    """Ask for a paper now: a form to print (study_plan, questionnaire, parents_consent,
    trip_report_form) or the corrected reissue of one already issued (a new version, the same
    number). Refused (422) naming each field the case lacks for it."""
    item = papers.request_paper(svc.engine, user=user, case_id=case_id, kind=data.kind,
                                language=data.language)  # fmt: skip
    ask_for_documents(svc, case_id)
    return RequestedOut(outbox_id=item)


@router.patch(
    "/cases/{case_id}", response_model=CorrectedOut, responses=_problems(400, 403, 404, 409)
)
def correct_case(user: User, svc: Svc, case_id: CaseId, data: editing.CaseEditIn) -> CorrectedOut:
    """Correct the case's data (the offices that own it). Only the fields sent change; the
    state decides which may (the host and the dates only before the order); 409 when someone
    else changed the case since `expected_version`. `reissue` names the papers already issued
    that print a corrected value: ask for them with POST …/documents/request."""
    done = editing.correct_case(svc.engine, user=user, case_id=case_id, data=data)
    return CorrectedOut(
        version=done.version, changed=sorted(done.changes), reissue=[k.value for k in done.reissue]
    )


@router.put(
    "/cases/{case_id}/study-plan", response_model=PlanSavedOut, responses=_problems(403, 404, 409)
)
def save_study_plan(user: User, svc: Svc, case_id: CaseId, data: StudyPlanIn) -> PlanSavedOut:
    """The ЖОП (annex 2), course by course; each save is a new version (the old kept)."""
    lines = [line.to_line() for line in data.courses]
    version = recognition.save_study_plan(svc.engine, user=user, case_id=case_id, lines=lines)
    return PlanSavedOut(version=version)


@router.put(
    "/cases/{case_id}/transcript",
    response_model=TranscriptSavedOut,
    responses=_problems(403, 404, 409),
)
def save_transcript(
    user: User, svc: Svc, case_id: CaseId, data: TranscriptIn
) -> TranscriptSavedOut:
    """The host transcript, course by course, converted by the grade tables (3.6); answers
    the credits not recognised, which the recognition decision's failed_credits must match.
    For an incoming student: the grades OshSU recorded for the guest (`host_course` the
    OshSU course, `host_scale` "hundred", `host_grade` the score), which the guest's
    transcript of records prints (КАОЖ duties)."""
    lines = [line.to_line() for line in data.courses]
    failed = recognition.save_transcript(svc.engine, user=user, case_id=case_id, lines=lines)
    return TranscriptSavedOut(failed_credits=failed)


@router.get(
    "/cases/{case_id}/recognition", response_model=RecognitionOut, responses=_problems(403, 404)
)
def read_recognition(user: User, svc: Svc, case_id: CaseId) -> RecognitionOut:
    """The ЖОП's current lines and the transcript as recognised, course by course."""
    found = recognition.recognition_of(svc.engine, user=user, case_id=case_id)
    return RecognitionOut.model_validate(found, from_attributes=True)


# Before the DOCX route below: its {document_id} would otherwise take "12.pdf" whole.
@router.get(
    "/cases/{case_id}/documents/{document_id}.pdf",
    responses={
        200: {
            "description": "A PDF copy of the document (fonts embedded), made by LibreOffice "
            "once and kept; a PDF upload is its own copy",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        **_problems(403, 404, 503),
    },
)
def download_pdf_copy(user: User, svc: Svc, case_id: CaseId, document_id: DocumentId) -> Response:
    """The same document as `GET …/documents/{document_id}`, as PDF, for whoever may download
    it. 503 when LibreOffice is missing, busy for too long, or does not finish in time (it is
    killed); the DOCX is still there."""
    found = pdf_copies.pdf_download(
        svc.engine,
        svc.files,
        user=user,
        case_id=case_id,
        document_id=document_id,
        timeout=svc.settings.pdf_timeout_seconds,
        wait=svc.settings.pdf_wait_seconds,
    )
    return attachment(found)


@router.get(
    "/cases/{case_id}/documents/{document_id}",
    responses={
        200: {
            "description": "The file (PDF or DOCX) as an attachment",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        },
        **_problems(403, 404),
    },
)
def download_document(user: User, svc: Svc, case_id: CaseId, document_id: DocumentId) -> Response:
    found = papers.document_download(
        svc.engine, svc.files, user=user, case_id=case_id, document_id=document_id
    )
    return attachment(found)


# --- the registry of people ------------------------------------------------------------------


@router.get("/people", response_model=list[PersonLineOut], tags=["people"])
def find_people(
    user: User,
    svc: Svc,
    q: Annotated[
        str | None, Query(max_length=100, description="Name, university ID or ПИН")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[people.PersonLine]:
    return people.find(svc.engine, user=user, q=q, limit=limit)


@router.post(
    "/people",
    response_model=PersonOut,
    status_code=201,
    tags=["people"],
    responses=_problems(400, 403, 409),
)
def add_person(
    user: User,
    svc: Svc,
    data: ParticipantIn,
    confirm_new_person: Annotated[bool, Query(description="Add despite a namesake")] = False,
) -> PersonOut:
    """Record a new person. The same university ID or ПИН twice is refused (400); the same
    name and birth date as someone in the registry is refused with 409 unless confirmed."""
    person_id = people.add(svc.engine, user=user, data=data, confirm=confirm_new_person)
    return _person_out(svc, user, person_id)


@router.get(
    "/people/{person_id}", response_model=PersonOut, tags=["people"], responses=_problems(403, 404)
)
def read_person(user: User, svc: Svc, person_id: PersonId) -> PersonOut:
    """A person's record and their cases."""
    return _person_out(svc, user, person_id)


@router.patch(
    "/people/{person_id}",
    response_model=PersonOut,
    tags=["people"],
    responses=_problems(400, 403, 404, 409),
)
def correct_person(user: User, svc: Svc, person_id: PersonId, data: PersonPatchIn) -> PersonOut:
    """Correct a person's record: the fields given change, `expected_version` guards against
    overwriting someone else's correction (409)."""
    changes = data.model_dump(exclude={"expected_version"}, exclude_unset=True)
    people.correct(svc.engine, user=user, person_id=person_id, changes=changes,
                   expected_version=data.expected_version)  # fmt: skip
    return _person_out(svc, user, person_id)


@router.post(
    "/people/import",
    response_model=ImportJobOut,
    status_code=202,
    tags=["people"],
    responses=_problems(400, 403),
)
async def import_people(
    request: Request,
    user: User,
    svc: Svc,
    later: BackgroundTasks,
    file: Annotated[UploadFile, File(description=".csv or .xlsx")],
) -> ImportJobOut:
    """Add or correct people from CSV/XLSX (header: the fields of a person; a known
    university_id corrects that person). Answers at once (202) with the import's job; the
    import runs after the answer: poll `GET /api/imports/{id}`. All or nothing: every line is
    checked before any is written, and a bad line fails the job naming the line and field."""
    return await _queue(request, user, svc, later, file, kind="people")


async def _queue(
    request: Request, user: users.User, svc: Services, later: BackgroundTasks, file: UploadFile,
    *, kind: str,
) -> ImportJobOut:  # fmt: skip
    """The upload queued as an import of `kind` (sapar.services.imports, as the pages do),
    run after the answer on a worker thread; its refusals worded in the caller's language."""
    lang = request_language(request)
    content = await file.read(MAX_BYTES + 1)
    job_id = imports.queue_import(svc.engine, svc.files, user=user, kind=kind, lang=lang,
                                  filename=file.filename or "upload", content=content)  # fmt: skip
    later.add_task(imports.run_import, svc.engine, svc.files, job_id)
    return ImportJobOut.of(imports.import_job(svc.engine, user=user, job_id=job_id), lang)


@router.get(
    "/imports/{job_id}",
    response_model=ImportJobOut,
    tags=["imports"],
    responses=_problems(403, 404),
)
def read_import(request: Request, user: User, svc: Svc, job_id: JobId) -> ImportJobOut:
    """An import's progress and outcome (people or partners), for who may run that import."""
    job = imports.import_job(svc.engine, user=user, job_id=job_id)
    return ImportJobOut.of(job, request_language(request))


def _person_out(svc: Services, user: users.User, person_id: int) -> PersonOut:
    out = PersonOut.model_validate(people.get(svc.engine, person_id, user=user))
    out.cases = [
        PersonCaseOut.model_validate(c)
        for c in people.cases_of(svc.engine, user=user, person_id=person_id)
    ]
    return out


# --- the partner registry and its quotas (5.3, 5.4): the same service calls as /partners ----


@router.get("/partners", response_model=PartnerPageOut, tags=["partners"])
def list_partners(
    user: User,
    svc: Svc,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    country: Annotated[str | None, Query(max_length=80)] = None,
    agreement_kind: Annotated[AgreementKind | None, Query()] = None,
) -> PartnerPageOut:
    """The registry, a page of PARTNER_PAGE partners at a time, by country and name."""
    found, more = partner_registry.registry_page(svc.engine, user=user, country=country,
                                        agreement_kind=agreement_kind, page=page)  # fmt: skip
    return PartnerPageOut(
        partners=found,
        page=page, page_size=partner_registry.PARTNER_PAGE, more=more,
    )  # fmt: skip


@router.get(
    "/partners/{partner_id}", response_model=PartnerLine, responses=_problems(404),
    tags=["partners"],
)  # fmt: skip
def read_partner(user: User, svc: Svc, partner_id: PartnerId) -> PartnerLine:
    return partner_registry.partner(svc.engine, user=user, partner_id=partner_id)


@router.post(
    "/partners", response_model=PartnerLine, status_code=201, responses=_problems(403),
    tags=["partners"],
)  # fmt: skip
def add_partner(user: User, svc: Svc, data: PartnerBodyIn) -> PartnerLine:
    """Add a partner (the international relations office). A partner already registered
    under that name and country is answered as it is, not added twice."""
    partner_id = partner_registry.save_partner(svc.engine, user=user, partner_id=None,
                                   data=PartnerIn(**data.model_dump()))  # fmt: skip
    return partner_registry.partner(svc.engine, user=user, partner_id=partner_id)


@router.put(
    "/partners/{partner_id}", response_model=PartnerLine, responses=_problems(400, 403, 404),
    tags=["partners"],
)  # fmt: skip
def correct_partner(
    user: User, svc: Svc, partner_id: PartnerId, data: PartnerBodyIn
) -> PartnerLine:
    """Correct a partner's record: every field as it should read."""
    partner_registry.save_partner(svc.engine, user=user, partner_id=partner_id,
                      data=PartnerIn(**data.model_dump()))  # fmt: skip
    return partner_registry.partner(svc.engine, user=user, partner_id=partner_id)


@router.post(
    "/partners/{partner_id}/agreements", response_model=PartnerLine, status_code=201,
    responses=_problems(400, 403, 404), tags=["partners"],
)  # fmt: skip
def add_agreement(user: User, svc: Svc, partner_id: PartnerId, data: AgreementIn) -> PartnerLine:
    """Record an agreement with the partner (a case's stay must fall within one, 5.3)."""
    partner_registry.add_agreement(svc.engine, user=user, partner_id=partner_id, kind=data.kind,
                       valid_from=data.valid_from, valid_to=data.valid_to,
                       number=data.number)  # fmt: skip
    return partner_registry.partner(svc.engine, user=user, partner_id=partner_id)


@router.put(
    "/partners/{partner_id}/quotas", response_model=PartnerLine,
    responses=_problems(400, 403, 404), tags=["partners"],
)  # fmt: skip
def set_quota(user: User, svc: Svc, partner_id: PartnerId, data: QuotaIn) -> PartnerLine:
    """Set the places of a year for a type of participant (5.4); an order beyond them is
    refused."""
    partner_registry.set_quota(svc.engine, user=user, partner_id=partner_id,
                   academic_year=data.academic_year,
                   participant_type=data.participant_type.value, places=data.places)  # fmt: skip
    return partner_registry.partner(svc.engine, user=user, partner_id=partner_id)


@router.post(
    "/partners/import", response_model=ImportJobOut, status_code=202,
    responses=_problems(400, 403), tags=["partners"],
)  # fmt: skip
async def import_partners(
    request: Request,
    user: User,
    svc: Svc,
    later: BackgroundTasks,
    file: Annotated[UploadFile, File(description=".csv or .xlsx, the export's columns")],
) -> ImportJobOut:
    """Add partners and their agreements from CSV/XLSX; runs after the answer like the
    people's import: poll `GET /api/imports/{id}`."""
    return await _queue(request, user, svc, later, file, kind="partners")


@router.get("/overdue", response_model=OverdueOut)
def overdue(user: User, svc: Svc) -> OverdueOut:
    board = queries.overdue(svc.engine, user=user)
    return OverdueOut(
        by_faculty=dict(board.by_faculty),
        deadlines=board.lines,
    )
