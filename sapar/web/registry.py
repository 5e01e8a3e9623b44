"""The partner registry (5.3, 5.4) and the year's statistics (5.6) as pages: read the form,
call `sapar.services.partner_registry` or `statistics` with keywords, render. Neither is a
case page: the registry is open to every logged-in user, the statistics to the offices that
report (a dean's office: its own faculty)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from sapar import clock
from sapar.deps import services
from sapar.http import JobId, PartnerId
from sapar.i18n import LANGUAGES, t
from sapar.services import imports, partner_registry, statistics
from sapar.services.partners import AGREEMENT_KINDS, PartnerImportError, PartnerIn
from sapar.services.schemas import FieldRefused, form_text, say, whole_number
from sapar.services.tables import MAX_BYTES, LineRefused, TableRefused
from states import roles
from states.model import Scope
from states.periods import academic_year_of, is_academic_year
from states.quotas import QuotaType
from storage import countries

from .charts import horizontal_bars, vertical_bars
from .render import page
from .session import PostedForm, WebUser

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_IMPORT_BYTES = MAX_BYTES


# The registry's columns (storage/orm.py PartnerRow, AgreementRow, QuotaRow).
_LENGTHS = {"name": 300, "name_latin": 300, "country": 80, "city": 120, "website": 300,
            "emails": 500, "phones": 300, "scope": 16, "kind": 32, "number": 80,
            "valid_from": 10, "valid_to": 10, "academic_year": 9, "participant_type": 24,
            "places": 6}  # fmt: skip


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if not isinstance(value, str):
        return None
    return form_text(value.strip(), name, _LENGTHS[name]) or None


def _day(form: FormData, name: str, *, required: bool = False) -> date | None:
    value = _text(form, name)
    if value is None:
        if required:
            raise FieldRefused(name, "validation.missing")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldRefused(name, "partners.not_a_date", value=value) from None


def registry_page(
    request: Request, user: WebUser, *, status: int = 200, page_number: int = 1, **extra: Any
) -> Response:
    engine = services(request).engine
    country = request.query_params.get("country") or None
    kind = request.query_params.get("agreement_kind") or None
    partners, more = partner_registry.registry_page(
        engine, user=user, country=country, agreement_kind=kind, page=page_number
    )
    query = {k: v for k, v in request.query_params.items() if k in ("country", "agreement_kind")}
    return page(
        request,
        "partners.html",
        user=user,
        status=status,
        partners=partners,
        more=more,
        page=page_number,
        page_size=partner_registry.PARTNER_PAGE,
        query=query,
        countries=partner_registry.partner_countries(engine),
        chosen_country=country,
        agreement_kind=kind,
        agreement_kinds=AGREEMENT_KINDS,
        quota_types=[q.value for q in QuotaType],
        can_edit=user.role in roles.PARTNER_EDITORS,
        can_import=user.role in roles.PARTNER_IMPORTERS,
        today=clock.today(),
        this_year=academic_year_of(clock.today()),
        **extra,
    )


@router.get("/partners")
def partner_list(
    request: Request,
    user: WebUser,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    country: Annotated[str | None, Query(max_length=80)] = None,
    agreement_kind: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    return registry_page(request, user, page_number=page)


@router.get("/partners/export.csv")
def partner_export_csv(request: Request, user: WebUser) -> Response:
    return _partner_export(request, user, "csv")


@router.get("/partners/export.xlsx")
def partner_export_xlsx(request: Request, user: WebUser) -> Response:
    return _partner_export(request, user, "xlsx")


def _partner_export(request: Request, user: WebUser, fmt: str) -> Response:
    content = partner_registry.export_partners(services(request).engine, user=user, fmt=fmt)
    media = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f"attachment; filename=sapar-partners.{fmt}"},
    )


@router.post("/partners/import")
async def partner_import(
    request: Request, user: WebUser, form: PostedForm, later: BackgroundTasks
) -> Response:
    """Store the file, queue the import and answer at once; the import runs after the answer
    and /partners/imports/{id} shows its progress."""
    partner_registry.check_can_import_partners(user)
    try:
        job_id = await queue_upload(request, user, form, later, kind="partners")
    except LineRefused as exc:
        return registry_page(request, user, status=400, import_error=exc.say(user.language))
    return RedirectResponse(f"/partners/imports/{job_id}", status_code=303)


async def queue_upload(
    request: Request, user: WebUser, form: FormData, later: BackgroundTasks, *, kind: str
) -> int:
    """The form's file queued as an import of `kind`, run after the answer (on a worker
    thread: the import never holds the thread that answers requests)."""
    svc = services(request)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise TableRefused("partners.choose_file", field="file")
    content = await file.read(MAX_IMPORT_BYTES + 1)
    job_id = imports.queue_import(svc.engine, svc.files, user=user, kind=kind,
                                  filename=file.filename, content=content)  # fmt: skip
    later.add_task(imports.run_import, svc.engine, svc.files, job_id)
    return job_id


@router.get("/partners/imports/{job_id}")
def partner_import_progress(request: Request, user: WebUser, job_id: JobId) -> Response:
    job = imports.import_job(services(request).engine, user=user, job_id=job_id, kind="partners")
    return page(request, "import.html", user=user, job=job)


def _partner_in(form: FormData) -> PartnerIn:
    name, country = _text(form, "name"), _text(form, "country")
    if not name:
        raise FieldRefused("name", "validation.missing")
    if not country:
        raise FieldRefused("country", "validation.missing")
    if countries.code_of(country) is None:  # a name in ky, ru or en, or the code
        raise FieldRefused("country", "validation.not_a_country", value=country[:80])
    scope = _text(form, "scope") or Scope.international.value
    if scope not in (s.value for s in Scope):
        raise FieldRefused("scope", "partners.not_one_of", value=scope,
                           allowed=", ".join(s.value for s in Scope))  # fmt: skip
    return PartnerIn(
        name=name,
        country=country,
        scope=Scope(scope),
        name_latin=_text(form, "name_latin"),
        city=_text(form, "city"),
        website=_text(form, "website"),
        emails=_text(form, "emails"),
        phones=_text(form, "phones"),
    )


@router.post("/partners/new")
def partner_new(request: Request, user: WebUser, form: PostedForm) -> Response:
    partner_registry.check_can_edit_partners(user)
    try:
        partner_id = partner_registry.save_partner(
            services(request).engine, user=user, partner_id=None, data=_partner_in(form)
        )
    except (PartnerImportError, FieldRefused) as exc:
        return registry_page(request, user, status=400, edit_error=say(exc, user.language))
    return RedirectResponse(f"/partners?saved={partner_id}#p{partner_id}", status_code=303)


@router.post("/partners/{partner_id}")
def partner_edit(
    request: Request, user: WebUser, partner_id: PartnerId, form: PostedForm
) -> Response:
    partner_registry.check_can_edit_partners(user)
    try:
        partner_registry.save_partner(
            services(request).engine, user=user, partner_id=partner_id, data=_partner_in(form)
        )
    except (PartnerImportError, FieldRefused) as exc:
        return registry_page(
            request, user, status=400, edit_error=say(exc, user.language), error_for=partner_id
        )
    return RedirectResponse(f"/partners?saved={partner_id}#p{partner_id}", status_code=303)


@router.post("/partners/{partner_id}/agreements")
def agreement_new(
    request: Request, user: WebUser, partner_id: PartnerId, form: PostedForm
) -> Response:
    partner_registry.check_can_edit_partners(user)
    try:
        valid_from = _day(form, "valid_from", required=True)
        assert valid_from is not None
        partner_registry.add_agreement(
            services(request).engine,
            user=user,
            partner_id=partner_id,
            kind=_text(form, "kind") or "",
            valid_from=valid_from,
            valid_to=_day(form, "valid_to"),
            number=_text(form, "number"),
        )
    except (PartnerImportError, FieldRefused) as exc:
        return registry_page(
            request, user, status=400, edit_error=say(exc, user.language), error_for=partner_id
        )
    return RedirectResponse(f"/partners?saved={partner_id}#p{partner_id}", status_code=303)


@router.post("/partners/{partner_id}/quotas")
def quota_set(request: Request, user: WebUser, partner_id: PartnerId, form: PostedForm) -> Response:
    partner_registry.check_can_edit_partners(user)
    try:
        year = _text(form, "academic_year") or ""
        if not is_academic_year(year):
            raise FieldRefused("academic_year", "partners.not_academic_year", value=year)
        qtype = _text(form, "participant_type") or ""
        if qtype not in (q.value for q in QuotaType):
            raise FieldRefused("participant_type", "partners.not_one_of", value=qtype,
                               allowed=", ".join(q.value for q in QuotaType))  # fmt: skip
        places = whole_number(_text(form, "places") or "", "places", maximum=100_000)
        partner_registry.set_quota(
            services(request).engine,
            user=user,
            partner_id=partner_id,
            academic_year=year,
            participant_type=qtype,
            places=places,
        )
    except (PartnerImportError, FieldRefused) as exc:
        return registry_page(
            request, user, status=400, edit_error=say(exc, user.language), error_for=partner_id
        )
    return RedirectResponse(f"/partners?saved={partner_id}#p{partner_id}", status_code=303)


# --- statistics ------------------------------------------------------------------------------


def _chosen_year(request: Request) -> str | None:
    year = request.query_params.get("year") or None
    return year if year is None or is_academic_year(year) else None


@router.get("/statistics")
def statistics_page(request: Request, user: WebUser) -> Response:
    view = statistics.statistics_for(
        services(request).engine, user=user, academic_year=_chosen_year(request)
    )
    lang = user.language
    by_country = [
        (statistics.value_name(lang, "country", k), n)
        for k, n in view.stats.by_country.most_common(12)
    ]
    charts = {
        "country": horizontal_bars(t(lang, "stats.by_country"), by_country),
        "years": vertical_bars(t(lang, "stats.by_year"), view.years),
    }
    breakdowns = {
        key: [(statistics.value_name(lang, key, k), n) for k, n in counter.most_common()]
        for key, counter in view.stats.breakdowns().items()
    }
    years = sorted({y for y, _ in view.years} | {view.stats.academic_year}, reverse=True)
    return page(
        request,
        "statistics.html",
        user=user,
        view=view,
        stats=view.stats,
        charts=charts,
        breakdowns=breakdowns,
        years=years,
        # What a table counts when it is not the year's mobilities (its total is not the
        # headline, and says so).
        notes={
            "how cases ended": "stats.all_cases",
            "term": "stats.of_outgoing_students",
            "student reports": "stats.of_reports",
            "recognition outcome": "stats.of_outcomes",
        },
    )


@router.get("/statistics/export.xlsx")
def statistics_xlsx(request: Request, user: WebUser) -> Response:
    return _statistics_export(request, user, "xlsx")


@router.get("/statistics/export.docx")
def statistics_docx(request: Request, user: WebUser) -> Response:
    return _statistics_export(request, user, "docx")


def _statistics_export(request: Request, user: WebUser, fmt: str) -> Response:
    view = statistics.statistics_for(
        services(request).engine, user=user, academic_year=_chosen_year(request)
    )
    # The report in the language chosen for it (?lang=), else the reader's own.
    chosen = request.query_params.get("lang", "")
    lang = chosen if chosen in LANGUAGES else user.language
    if fmt == "xlsx":
        content, media = statistics.to_xlsx(view.stats, lang), XLSX
    else:
        content, media = statistics.to_docx(view.stats, lang), DOCX
    name = f"sapar-statistics-{view.stats.academic_year}-{lang}.{fmt}"
    return Response(
        content, media_type=media, headers={"Content-Disposition": f"attachment; filename={name}"}
    )
