"""The pages: case list, new case, case file, overdue dashboard. Each route reads the form,
calls the service layer with keywords, and renders; refusals render the same page with the
guard's words and a 4xx status."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import FormData, UploadFile

from documents import TEMPLATED
from sapar import clock, explain
from sapar.deps import services
from sapar.http import CaseId, DocumentId, FilterId, ask_for_documents, attachment
from sapar.i18n import t
from sapar.problems import Problem, problem_of
from sapar.services import (
    editing,
    exports,
    group_orders,
    papers,
    pdf_copies,
    people,
    queries,
    recognition,
    saved_filters,
    steps,
)
from sapar.services.case_access import case_for
from sapar.services.case_file import case_file
from sapar.services.outbox import NothingToRetry
from sapar.services.papers import FACTS_REQUIRED, MAX_UPLOAD_BYTES, PaperFacts, UploadRefused
from sapar.services.schemas import (
    LIST_COLUMNS,
    MAX_ID,
    PAGE_SIZES,
    CaseFilter,
    CaseIn,
    Day,
    FieldRefused,
    FireIn,
    ListView,
    Particulars,
    decimal_number,
    describe,
    form_fields,
    form_text,
    say,
    step_input,
    whole_number,
)
from sapar.services.study_plan import PlanLine, TranscriptLine
from states import roles
from states.dossier import PRINTED_ONLY, DocumentKind
from states.explained import Explained
from states.grades import Scale
from states.guards import RuleViolation
from states.kinds import DEFINITIONS
from states.machine import InvalidTransition, NotPermitted
from states.model import CaseKind
from storage import countries
from storage.repository import ConcurrencyConflict

from .render import page
from .session import PostedForm, WebUser

router = APIRouter(include_in_schema=False)
PARTICIPANT_PREFIX = "p_"
REFUSALS = (RuleViolation, NotPermitted, InvalidTransition, ConcurrencyConflict)
editing_form = form_fields(editing.CaseEditIn)
# The forms a student fills in, printed on request from what the case holds.
ON_REQUEST = (DocumentKind.study_plan, DocumentKind.questionnaire, DocumentKind.parents_consent,
              DocumentKind.trip_report_form)  # fmt: skip


class FormProblem(Explained, ValueError):
    """A line of a table form the clerk must fix (message `error.<key>`)."""


VIEW_ONLY = frozenset(ListView.model_fields) - frozenset(CaseFilter.model_fields)


def _view(request: Request) -> ListView:
    params = {k: v for k, v in request.query_params.items() if v != ""}
    columns = [c for c in request.query_params.getlist("cols") if c]
    if columns:  # the column checkboxes send one `cols` each
        params["cols"] = ",".join(columns)
    return ListView.model_validate(params)


def _filters(request: Request) -> CaseFilter:
    params = {k: v for k, v in request.query_params.items() if v != "" and k not in VIEW_ONLY}
    return CaseFilter.model_validate(params)


Filters = Annotated[CaseFilter, Depends(_filters)]
View = Annotated[ListView, Depends(_view)]


@router.get("/")
def home(user: WebUser) -> Response:
    return RedirectResponse("/desk", status_code=303)


def _list_page(
    request: Request, user: WebUser, view: ListView, *, status: int = 200, **extra: Any
) -> Response:
    svc = services(request)
    table = queries.case_table(svc.engine, user=user, filters=view.filters(), sort=view.sort,
                               page=view.page, size=view.size)  # fmt: skip
    states = sorted({s for d in DEFINITIONS.values() for s in d.states})
    columns = view.columns()
    # The view as links keep it: filters, sort, size and columns (not the page).
    query = {k: v for k, v in view.model_dump(exclude_defaults=True).items()
             if k not in ("page", "after", "limit")}  # fmt: skip
    query = {k: (v.value if hasattr(v, "value") else v) for k, v in query.items()}
    query["cols"] = ",".join(columns)
    return page(
        request,
        "cases.html",
        user=user,
        status=status,
        result=table,
        filters=view,
        view=view,
        query=query,
        columns=columns,
        all_columns=LIST_COLUMNS,
        page_sizes=PAGE_SIZES,
        states=states,
        kinds=list(CaseKind),
        choices=queries.filter_choices(svc.engine, user=user),
        saved=saved_filters.mine(svc.engine, user=user),
        may_order=user.role in roles.ORDER_ISSUERS,
        **extra,
    )


def _posted_view(query: str) -> ListView:
    """The list's view a form carried back (hidden field): as it was, or the plain list."""
    try:
        return ListView.model_validate(dict(parse_qsl(saved_filters.clean_query(query))))
    except ValidationError:
        return ListView.model_validate({})


@router.get("/cases")
def case_list(request: Request, user: WebUser, view: View) -> Response:
    return _list_page(request, user, view)


@router.post("/cases/filters")
def save_filter(request: Request, user: WebUser, form: PostedForm) -> Response:
    """Save the list's current view under a name (the same name replaces it)."""
    query = str(form.get("query", ""))
    try:
        saved_filters.save(services(request).engine, user=user,
                           name=str(form.get("name", "")), query=query)  # fmt: skip
    except saved_filters.FilterRefused as exc:
        return _list_page(request, user, _posted_view(query), status=422, filter_error=str(exc))
    return RedirectResponse(f"/cases?{saved_filters.clean_query(query)}", status_code=303)


@router.post("/cases/filters/{filter_id}/delete")
def delete_filter(
    request: Request, user: WebUser, filter_id: FilterId, form: PostedForm
) -> Response:
    saved_filters.remove(services(request).engine, user=user, filter_id=filter_id)
    return RedirectResponse("/cases", status_code=303)


@router.post("/cases/group-order")
def group_order(
    request: Request, user: WebUser, form: PostedForm, background: BackgroundTasks
) -> Response:
    """One order for the cases selected on the list: each takes its order step, and the
    orders are issued together after the answer (sapar/services/group_orders.py)."""
    if user.role not in roles.ORDER_ISSUERS:  # before reading the selection: nothing to learn
        raise NotPermitted(t(user.language, "group.only_iro"))
    svc = services(request)
    ids = [int(v) for v in form.getlist("case_id") if isinstance(v, str) and v.isdigit()
           and 0 < int(v) <= MAX_ID]  # fmt: skip
    view = _posted_view(str(form.get("query", "")))
    if not ids:
        return _list_page(request, user, view, status=422,
                          order_error=t(user.language, "group.none_selected"))  # fmt: skip
    done = group_orders.take_orders(svc.engine, user=user, case_ids=ids)
    if done.items:
        background.add_task(group_orders.issue_together, svc.engine, svc.files, done.items)
    refused = {case_id: _refusal(exc, user.language)[1] for case_id, exc in done.refused.items()}
    return _list_page(request, user, view, status=200 if done.ordered else 422,
                      ordered=done.ordered, order_refused=refused)  # fmt: skip


@router.get("/cases/export.csv")
def case_export(request: Request, user: WebUser, filters: Filters) -> Response:
    """The filtered list as CSV (for the yearly statistics, 5.6): the user's scope only."""
    svc = services(request)

    def lines() -> Iterator[list[Any]]:
        current = filters.model_copy(update={"limit": 200})
        for _ in range(250):  # at most 50 000 rows per export
            result = queries.list_cases(svc.engine, user=user, filters=current)
            for c in result.lines:
                yield [c.id, c.kind, c.state, c.full_name, c.faculty, c.programme,
                       c.host_institution, countries.name(user.language, c.host_country),
                       c.start_date, c.end_date,
                       c.academic_year, int(c.overdue)]  # fmt: skip
            if result.next_after is None:
                break
            current = current.model_copy(update={"after": result.next_after})

    header = ["id", "kind", "state", "full_name", "faculty", "programme", "host", "country",
              "start", "end", "academic_year", "overdue"]  # fmt: skip
    return Response(
        exports.csv_text(header, lines()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=sapar-cases.csv"},
    )


def _new_case_page(
    request: Request, user: WebUser, values: dict[str, str], *, status: int = 200, **extra: Any
) -> Response:
    svc = services(request)
    person = None
    raw = values.get("person_id", "")
    if raw.isdigit():
        try:
            person = people.get(svc.engine, int(raw), user=user)
        except (people.PersonNotFound, NotPermitted):
            person = None
    q = request.query_params.get("q", "").strip()
    return page(
        request, "case_new.html", user=user, status=status, values=values,
        partners=queries.partner_picks(svc.engine), person=person, q=q,
        matches=people.find(svc.engine, user=user, q=q, limit=20) if q and person is None else [],
        particulars=form_fields(Particulars), **extra,
    )  # fmt: skip


@router.get("/cases/new")
def new_case_form(request: Request, user: WebUser) -> Response:
    values = {"p_faculty": user.faculty or "", "purpose": "Академиялык окуу (семестр)",
              "person_id": request.query_params.get("person_id", "")}  # fmt: skip
    return _new_case_page(request, user, values)


def case_data(form: FormData) -> dict[str, Any]:
    """The flat form as CaseIn's nested shape (participant fields carry a prefix); with a
    person of the registry chosen, the new-person fields are not read."""
    data: dict[str, Any] = {"participant": {}}
    for key, value in form.multi_items():
        if key == "csrf" or not isinstance(value, str):
            continue
        if key.startswith(PARTICIPANT_PREFIX):
            data["participant"][key.removeprefix(PARTICIPANT_PREFIX)] = value
        else:
            data[key] = value
    if str(data.get("person_id") or "").strip():
        data.pop("participant")
    else:
        data.pop("person_id", None)
    return data


@router.post("/cases/new")
def create_case(request: Request, user: WebUser, form: PostedForm) -> Response:
    svc = services(request)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    try:
        data = CaseIn.model_validate(case_data(form))
        case = steps.open_new_case(svc.engine, user=user, data=data)
    except (ValidationError, FieldRefused) as exc:
        described = (
            describe(list(exc.errors()), user.language)
            if isinstance(exc, ValidationError)
            else [
                {
                    "field": exc.field,
                    "label": explain.field_label(user.language, exc.field),
                    "message": exc.message(user.language),
                }
            ]
        )
        errors = {e["field"].replace("participant.", PARTICIPANT_PREFIX): e["message"]
                  for e in described}  # fmt: skip
        error_labels = {e["field"].replace("participant.", PARTICIPANT_PREFIX): e["label"]
                        for e in described}  # fmt: skip
        return _new_case_page(request, user, values, status=422, errors=errors,
                              error_labels=error_labels)  # fmt: skip
    except (people.PersonProblem, people.PersonNotFound, RuleViolation, NotPermitted) as exc:
        problem, lines = _refusal(exc, user.language)
        duplicate = isinstance(exc, people.PossibleDuplicate)
        return _new_case_page(
            request, user, values, status=problem.status, refused=lines,
            duplicate_of=exc.existing if isinstance(exc, people.PossibleDuplicate) else [],
            ask_confirm=duplicate,
        )  # fmt: skip
    return RedirectResponse(f"/cases/{case.id}?opened=1", status_code=303)


def case_page(
    request: Request, user: WebUser, case_id: CaseId, *, status: int = 200, **extra: Any
) -> Response:
    today = clock.today()
    found = case_file(services(request).engine, user=user, case_id=case_id, today=today)
    case = found.case
    return page(
        request,
        "case.html",
        user=user,
        status=status,
        case=case,
        steps=found.steps,
        step_fields={s.event: form_fields(step_input(s.event)) for s in found.steps},
        readiness=found.missing,
        next_steps=found.next_steps,
        documents=found.documents,
        deadlines=found.deadlines,
        history=found.history,
        outbox=found.outbox,
        notifications=found.notifications,
        can_retry=found.may_retry,
        recognition=found.recognition,
        scales=recognition.SCALES,
        can_upload=found.may_upload,
        doc_types=[k for k in DocumentKind if k not in PRINTED_ONLY],
        facts_required={d.value: f for d, f in FACTS_REQUIRED.items()},
        edit_fields=[f for f in editing_form if f.name in editing.editable_fields(case)]
        if user.role in roles.OPENERS
        else [],
        on_request=ON_REQUEST,
        today=today,
        **extra,
    )


@router.get("/cases/{case_id}")
def case_view(request: Request, user: WebUser, case_id: CaseId) -> Response:
    notice = None
    if "done" in request.query_params:
        notice = t(user.language, "case.done", event="")
    return case_page(request, user, case_id, notice=notice)


def _refusal(exc: Exception, lang: str) -> tuple[Problem, list[str]]:
    problem = problem_of(exc, lang)
    if isinstance(exc, RuleViolation):
        return problem, [explain.refusal(lang, r) for r in exc.refusals]
    if problem.errors and "label" in problem.errors[0]:
        return problem, [f"{e['label']}: {e['message']}" for e in problem.errors]
    return problem, [problem.message]


@router.post("/cases/{case_id}/steps")
def take_step(request: Request, user: WebUser, case_id: CaseId, form: PostedForm) -> Response:
    svc = services(request)
    fields = {k: v for k, v in form.items() if k != "csrf" and isinstance(v, str)}
    try:
        step = FireIn.model_validate(fields)
        result = steps.take_step(svc.engine, user=user, case_id=case_id, step=step)
    except (ValidationError, *REFUSALS) as exc:
        problem, lines = _refusal(exc, user.language)
        return case_page(
            request, user, case_id, status=problem.status, refused=lines,
            refused_event=fields.get("event"),
        )  # fmt: skip
    ask_for_documents(svc, case_id)
    return RedirectResponse(f"/cases/{case_id}?done={result.event}", status_code=303)


@router.post("/cases/{case_id}/documents")
async def upload(request: Request, user: WebUser, case_id: CaseId, form: PostedForm) -> Response:
    svc = services(request)
    file = form.get("file")
    try:
        doc_type = DocumentKind(str(form.get("doc_type", "")))
        if not isinstance(file, UploadFile) or not file.filename:
            raise UploadRefused("file: choose a PDF or DOCX file", "file_missing")
        content = await file.read(MAX_UPLOAD_BYTES + 1)
        raw_date = str(form.get("ref_date", "") or "").strip()
        facts = PaperFacts(
            issuer=str(form.get("issuer", "") or "").strip() or None,
            number=str(form.get("ref_number", "") or "").strip() or None,
            date=_paper_date(raw_date),
        )
        papers.hand_in(
            svc.engine,
            svc.files,
            user=user,
            case_id=case_id,
            doc_type=doc_type,
            filename=file.filename,
            content=content,
            facts=facts,
        )
    except (UploadRefused, ValueError) as exc:
        if isinstance(exc, UploadRefused):
            message = explain.error(user.language, exc)
        else:
            message = t(user.language, "error.unknown_paper")
        return case_page(request, user, case_id, status=400, upload_error=message)
    return RedirectResponse(f"/cases/{case_id}?uploaded={doc_type.value}#documents", 303)


def _paper_date(raw: str) -> date | None:
    if not raw:
        return None
    try:
        return TypeAdapter(Day).validate_python(raw)
    except ValidationError:
        raise UploadRefused(f"date: '{raw}' is not a date (dd.mm.yyyy)") from None


@router.post("/cases/{case_id}/documents/request")
def request_paper(request: Request, user: WebUser, case_id: int, form: PostedForm) -> Response:
    svc = services(request)
    raw = str(form.get("kind", ""))
    try:
        kind = DocumentKind(raw)
        if kind not in TEMPLATED:  # a paper handed in has nothing to print
            raise ValueError(raw)
        papers.request_paper(svc.engine, user=user, case_id=case_id, kind=kind)
    except ValueError:
        return case_page(request, user, case_id, status=400, refused=[f"kind: '{raw}'?"])
    except REFUSALS as exc:
        problem, lines = _refusal(exc, user.language)
        return case_page(request, user, case_id, status=problem.status, refused=lines)
    ask_for_documents(svc, case_id)
    return RedirectResponse(f"/cases/{case_id}?requested={kind.value}#outbox", status_code=303)


@router.post("/cases/{case_id}/edit")
def correct_case(request: Request, user: WebUser, case_id: int, form: PostedForm) -> Response:
    svc = services(request)
    fields = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    try:
        case = case_for(svc.engine, user=user, case_id=case_id, action="correct")
        allowed = set(editing.editable_fields(case)) | {"expected_version"}
        sent = {k: v for k, v in fields.items() if k in allowed}
        if "competitive" in allowed and "competitive" not in sent:
            sent["competitive"] = "false"  # an unticked box sends nothing
        done = editing.correct_case(
            svc.engine, user=user, case_id=case_id, data=editing.CaseEditIn.model_validate(sent)
        )
    except ValidationError as exc:
        said = describe(list(exc.errors()), user.language)
        errors = [f"{e['label']}: {e['message']}" for e in said]
        return case_page(request, user, case_id, status=422, edit_errors=errors, edit=fields)
    except REFUSALS as exc:
        problem, lines = _refusal(exc, user.language)
        return case_page(request, user, case_id, status=problem.status, edit_errors=lines)
    query = f"edited={','.join(sorted(done.changes)) or '-'}"
    if done.reissue:
        query += f"&reissue={','.join(k.value for k in done.reissue)}"
    return RedirectResponse(f"/cases/{case_id}?{query}#edit", status_code=303)


# Before the DOCX route below, which would take "12.pdf" as its document id.
@router.get("/cases/{case_id}/documents/{document_id}.pdf")
def download_pdf(
    request: Request, user: WebUser, case_id: CaseId, document_id: DocumentId
) -> Response:
    svc = services(request)
    found = pdf_copies.pdf_download(
        svc.engine,
        svc.files,
        user=user,
        case_id=case_id,
        document_id=document_id,
        timeout=svc.settings.pdf_timeout_seconds,
        wait=svc.settings.pdf_wait_seconds,
    )
    # Shown in the browser's reader; the DOCX link next to it is the one to save.
    disposition = f"inline; filename*=UTF-8''{quote(found.filename)}"
    return Response(
        found.content, media_type=found.media_type, headers={"Content-Disposition": disposition}
    )


@router.get("/cases/{case_id}/documents/{document_id}")
def download(request: Request, user: WebUser, case_id: CaseId, document_id: DocumentId) -> Response:
    svc = services(request)
    found = papers.document_download(
        svc.engine, svc.files, user=user, case_id=case_id, document_id=document_id
    )
    return attachment(found)


@router.get("/overdue")
def overdue(request: Request, user: WebUser) -> Response:
    board = queries.overdue(services(request).engine, user=user)
    return page(request, "overdue.html", user=user, board=board, today=clock.today())


@router.post("/cases/{case_id}/outbox/retry")
def retry_effect(request: Request, user: WebUser, case_id: CaseId, form: PostedForm) -> Response:
    svc = services(request)
    raw = str(form.get("outbox_id", ""))
    try:
        outbox_id = whole_number(raw, "outbox_id")
        papers.retry_paper(svc.engine, user=user, case_id=case_id, outbox_id=outbox_id)
    except FieldRefused as exc:
        return case_page(request, user, case_id, status=422, refused=[say(exc, user.language)])
    except NothingToRetry:
        refused = [t(user.language, "error.nothing_to_retry")]
        return case_page(request, user, case_id, status=409, refused=refused)
    return RedirectResponse(f"/cases/{case_id}?retried={raw}#outbox", status_code=303)


# Lines of a study plan or transcript one form may carry, and each column's length (the
# columns of plan_courses / recognised_courses).
MAX_LINES = 80
_LENGTHS = {"title": 300, "replaces": 300, "teacher": 200, "host_course": 300, "home_course": 300,
            "host_grade": 16, "refusal_reason": 2000, "credits": 12, "mode": 16, "term": 16,
            "host_scale": 16}  # fmt: skip


def _column(form: FormData, name: str, n: int) -> list[str]:
    values = [str(v).strip() for v in form.getlist(name)][:MAX_LINES]
    if n > MAX_LINES:
        raise FieldRefused(name, "invalid.too_many", max=MAX_LINES)
    checked = [form_text(v, f"line {i + 1}: {name}", _LENGTHS[name]) for i, v in enumerate(values)]
    return checked + [""] * (n - len(checked))


def _credits(text: str, line: int) -> float:
    try:
        value = decimal_number(text, f"line {line}: credits", maximum=60)
    except FieldRefused:
        value = 0.0  # not a number, NaN, infinity or past 60: said as the line's credits
    if value <= 0:
        raise FormProblem(
            f"line {line}: credits: '{text}' is not a positive number of at most 60",
            "line_credits",
            line=line,
            value=text,
        )
    return value


def plan_lines(form: FormData) -> list[PlanLine]:
    n = len(form.getlist("title"))
    titles = _column(form, "title", n)
    credits, modes = _column(form, "credits", n), _column(form, "mode", n)
    replaces, teachers = _column(form, "replaces", n), _column(form, "teacher", n)
    terms = _column(form, "term", n)
    lines = []
    for i, title in enumerate(titles):
        if not title:
            continue
        mode = modes[i] or "host"
        if mode not in ("host", "distance"):
            raise FormProblem(f"line {i + 1}: mode: '{mode}'", "line_mode", line=i + 1)
        if terms[i] not in ("", "fall", "spring"):
            raise FormProblem(f"line {i + 1}: term: '{terms[i]}'", "line_term", line=i + 1)
        lines.append(
            PlanLine(
                title=title, credits=_credits(credits[i], i + 1), mode=mode,
                replaces=replaces[i] or None, teacher=teachers[i] or None, term=terms[i] or None,
            )
        )  # fmt: skip
    return lines


def transcript_lines(form: FormData) -> list[TranscriptLine]:
    n = len(form.getlist("host_course"))
    courses = _column(form, "host_course", n)
    credits, grades = _column(form, "credits", n), _column(form, "host_grade", n)
    scales, homes = _column(form, "host_scale", n), _column(form, "home_course", n)
    refusals = _column(form, "refusal_reason", n)
    lines = []
    for i, course in enumerate(courses):
        if not course:
            continue
        if not grades[i]:
            raise FormProblem(f"line {i + 1}: grade: required", "line_grade", line=i + 1)
        if scales[i] not in recognition.SCALES:
            raise FormProblem(f"line {i + 1}: scale: '{scales[i]}'", "line_scale", line=i + 1)
        lines.append(
            TranscriptLine(
                host_course=course, credits=_credits(credits[i], i + 1), host_grade=grades[i],
                host_scale=Scale(scales[i]), home_course=homes[i] or None,
                refusal_reason=refusals[i] or None,
            )
        )  # fmt: skip
    return lines


@router.post("/cases/{case_id}/study-plan")
def study_plan_save(request: Request, user: WebUser, case_id: CaseId, form: PostedForm) -> Response:
    svc = services(request)
    try:
        version = recognition.save_study_plan(
            svc.engine, user=user, case_id=case_id, lines=plan_lines(form)
        )
    except ValueError as exc:
        message = say(exc, user.language)
        return case_page(request, user, case_id, status=400, plan_error=message)
    return RedirectResponse(f"/cases/{case_id}?plan={version}#recognition", status_code=303)


@router.post("/cases/{case_id}/transcript")
def transcript_save(request: Request, user: WebUser, case_id: CaseId, form: PostedForm) -> Response:
    svc = services(request)
    try:
        lines = transcript_lines(form)
        if not lines:
            raise FormProblem("transcript: enter at least one course", "transcript_empty")
        failed = recognition.save_transcript(svc.engine, user=user, case_id=case_id, lines=lines)
    except ValueError as exc:
        message = say(exc, user.language)
        return case_page(request, user, case_id, status=400, transcript_error=message)
    # A guest's grades sit in their own section; a host transcript in the recognition's.
    incoming = case_for(svc.engine, user=user, case_id=case_id).kind.is_incoming
    section = "grades" if incoming else "recognition"
    return RedirectResponse(f"/cases/{case_id}?failed={failed:g}#{section}", status_code=303)


@router.get("/cases/{case_id}/avn.csv")
def avn_export(request: Request, user: WebUser, case_id: CaseId) -> Response:
    content = recognition.avn_export(services(request).engine, user=user, case_id=case_id)
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=sapar-avn-{case_id}.csv"},
    )
