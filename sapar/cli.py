"""`sapar`: serve the app, migrate, manage accounts, work on cases from the shell, load demo data.

Every command fails with a non-zero exit and one line saying why; no stack traces for the
problems a user can fix (bad input, a refused step, a missing file)."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
import yaml
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from sapar import clock
from sapar.config import Settings, get_settings
from sapar.problems import HANDLED, problem_of
from sapar.services import people, queries, steps, users
from sapar.services.schemas import CaseIn, FireIn, ParticipantIn
from states.model import Role
from storage import audit
from storage.db import make_engine, upgrade
from storage.files import FileStore
from storage.orm import AuditOutcome
from storage.uow import UnitOfWork

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, help=__doc__)
db_app = typer.Typer(no_args_is_help=True, help="The database schema.")
users_app = typer.Typer(no_args_is_help=True, help="Staff accounts and API tokens.")
cases_app = typer.Typer(no_args_is_help=True, help="Cases from the shell.")
audit_app = typer.Typer(no_args_is_help=True, help="The hash-chained case history.")
import_app = typer.Typer(no_args_is_help=True, help="Bulk imports.")
deadlines_app = typer.Typer(no_args_is_help=True, help="Report, expense and exam deadlines.")
officials_app = typer.Typer(no_args_is_help=True, help="Who signs and approves the papers.")
templates_app = typer.Typer(no_args_is_help=True, help="The DOCX templates of official papers.")
people_app = typer.Typer(no_args_is_help=True, help="The registry of people.")
for sub, name in ((db_app, "db"), (users_app, "users"), (cases_app, "cases"),
                  (people_app, "people"),
                  (audit_app, "audit"), (import_app, "import"),
                  (deadlines_app, "deadlines"), (templates_app, "templates"),
                  (officials_app, "officials")):  # fmt: skip
    app.add_typer(sub, name=name)

out = Console()
err = Console(stderr=True)
P = ParamSpec("P")
R = TypeVar("R")
# The shell acts as ЭАБД unless told `--as` someone: whoever runs it runs the server.
CLI_USER = users.User(0, "cli", "sapar CLI", Role.iro)


class Failed(Exception):
    """A problem the user can fix, said in one line."""


def clean_failures(command: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except Failed as exc:
            reason = str(exc)
        except (*HANDLED, OSError, yaml.YAMLError, json.JSONDecodeError) as exc:
            reason = problem_of(exc).message if isinstance(exc, HANDLED) else str(exc)
        err.print(f"[red]error:[/red] {reason}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)

    return run


def _settings() -> Settings:
    return get_settings()


def _ready(settings: Settings) -> tuple[Any, FileStore]:
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url, audit_key=settings.audit_key)
    return engine, FileStore(settings.files_dir)


def _acting(engine: Any, username: str | None) -> users.User:
    return users.get_user(engine, username=username) if username else CLI_USER


def _read_data(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        return yaml.safe_load(text)
    return json.loads(text)


# --- serve, db ---------------------------------------------------------------------------


@app.command()
@clean_failures
def serve(
    host: Annotated[str | None, typer.Option(help="Default 127.0.0.1 (SAPAR_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Default 8000 (SAPAR_PORT)")] = None,
    prefect: Annotated[bool, typer.Option(help="Start the embedded Prefect side")] = True,
) -> None:
    """Migrate, make sure an admin exists, and serve the pages and the API."""
    import uvicorn

    from sapar.app import create_app
    from sapar.heap import settle_after_start_up

    settings = _settings()
    engine, _ = _ready(settings)
    generated = users.ensure_first_admin(engine, password=settings.admin_password)
    if generated:
        out.print(f"[bold]First admin created[/bold]: user [cyan]admin[/cyan], password "
                  f"[cyan]{generated}[/cyan] — shown once; change it with "
                  "`sapar users set-password admin`.")  # fmt: skip
    side: AbstractContextManager[Any] = nullcontext()
    if not prefect and not os.environ.get("PREFECT_API_URL"):
        # No Prefect of ours and none named: nobody to ask, documents wait for the sweep.
        settings = settings.model_copy(update={"on_demand_documents": False})
    if prefect:
        try:
            from flows.embedded import prefect_side  # the flows engineer's; started lazily
        except ImportError as exc:
            err.print(f"[yellow]warning:[/yellow] Prefect side not started ({exc}); "
                      "documents and reminders wait in the outbox")  # fmt: skip
        else:
            # The pages answer at once; the flows join when their server is up.
            side = prefect_side(settings, in_background=True)
    web = create_app(settings)
    settle_after_start_up()
    with side:
        uvicorn.run(web, host=host or settings.host, port=port or settings.port)


@db_app.command("upgrade")
@clean_failures
def db_upgrade() -> None:
    """Bring the schema to the newest migration."""
    settings = _settings()
    upgrade(settings.database_url)
    out.print(f"database at head: {settings.database_url}")


@db_app.command("grant-app")
@clean_failures
def db_grant_app(role: Annotated[str, typer.Argument(help="The app's PostgreSQL role")]) -> None:
    """Distributed mode: let ROLE run the app, with the history insert- and read-only.
    Run as the owner of the tables, after `sapar db upgrade`."""
    from storage.db import grant_app_role

    settings = _settings()
    grant_app_role(make_engine(settings.database_url), role)
    out.print(f"role {role} may run the app; audit_events: insert and read only")


# --- users ---------------------------------------------------------------------------------


@users_app.command("add")
@clean_failures
def users_add(
    username: str,
    full_name: Annotated[str, typer.Option("--name", help="Full name, as the history shows it")],
    role: Annotated[Role, typer.Option(help="One of the duties in the regulation")],
    faculty: Annotated[str | None, typer.Option(help="For a dean's office or a head")] = None,
    department: Annotated[str | None, typer.Option(help="For a head of department")] = None,
    email: str | None = None,
    language: str = "ky",
    password: Annotated[str | None, typer.Option(envvar="SAPAR_NEW_PASSWORD")] = None,
) -> None:
    """Add a staff account (asks for the password unless given)."""
    engine, _ = _ready(_settings())
    password = password or typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = users.create_user(
        engine, username=username, full_name=full_name, password=password, role=role,
        faculty=faculty, department=department, email=email, language=language,
    )  # fmt: skip
    out.print(f"added {user.username} ({user.role.value})")


@users_app.command("list")
@clean_failures
def users_list() -> None:
    engine, _ = _ready(_settings())
    table = Table("username", "name", "role", "faculty", "department", "lang")
    for u in users.list_users(engine):
        table.add_row(u.username, u.full_name, u.role.value, u.faculty or "", u.department or "",
                      u.language)  # fmt: skip
    out.print(table)


@users_app.command("set-password")
@clean_failures
def users_set_password(
    username: str,
    password: Annotated[str | None, typer.Option(envvar="SAPAR_NEW_PASSWORD")] = None,
) -> None:
    engine, _ = _ready(_settings())
    password = password or typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    users.set_password(engine, username=username, password=password)
    out.print(f"password of {username} changed; their sessions and API tokens have ended")


@users_app.command("deactivate")
@clean_failures
def users_deactivate(username: str) -> None:
    """Deactivate USERNAME: logins refused, every session and API token ended at once."""
    engine, _ = _ready(_settings())
    users.set_active(engine, username=username, active=False)
    out.print(f"{username} deactivated; their sessions and API tokens have ended")


@users_app.command("activate")
@clean_failures
def users_activate(username: str) -> None:
    """Let a deactivated USERNAME log in again (old tokens stay revoked)."""
    engine, _ = _ready(_settings())
    users.set_active(engine, username=username, active=True)
    out.print(f"{username} is active again")


@users_app.command("add-token")
@clean_failures
def users_add_token(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for")] = "api",
    days: Annotated[int, typer.Option(help="Days until it expires (1–366)")] = users.TOKEN_DAYS,
) -> None:
    """Print a new API token for USERNAME (shown once; only its hash is kept)."""
    engine, _ = _ready(_settings())
    out.print(users.add_token(engine, username=username, name=name, days=days), highlight=False)


@users_app.command("tokens")
@clean_failures
def users_tokens(username: Annotated[str | None, typer.Argument()] = None) -> None:
    """List API tokens (of USERNAME, or everyone's): never the tokens themselves."""
    engine, _ = _ready(_settings())
    now = clock.now()
    table = Table("id", "user", "name", "created", "expires", "last used", "state")
    for tk in users.list_tokens(engine, username=username):
        table.add_row(
            str(tk.id), tk.username, tk.name, f"{tk.created_at:%Y-%m-%d %H:%M}",
            f"{tk.expires_at:%Y-%m-%d}" if tk.expires_at else "—",
            f"{tk.last_used_at:%Y-%m-%d %H:%M}" if tk.last_used_at else "—", tk.state(now),
        )  # fmt: skip
    out.print(table)


@users_app.command("revoke-token")
@clean_failures
def users_revoke_token(token_id: int) -> None:
    """Revoke the API token with this id (see `sapar users tokens`)."""
    engine, _ = _ready(_settings())
    users.revoke_token(engine, token_id=token_id)
    out.print(f"token #{token_id} revoked")


# --- cases ---------------------------------------------------------------------------------

AsUser = Annotated[str | None, typer.Option("--as", help="Act as this user (default: ЭАБД)")]


@cases_app.command("create")
@clean_failures
def cases_create(
    file: Annotated[Path, typer.Option("--file", "-f", help="case.json or case.yaml")],
    as_user: AsUser = None,
) -> None:
    """Open a case from a JSON or YAML file (the API's POST /api/cases body)."""
    engine, _ = _ready(_settings())
    data = CaseIn.model_validate(_read_data(file))
    case = steps.open_new_case(engine, user=_acting(engine, as_user), data=data)
    out.print(f"opened case #{case.id} ({case.kind.value}) for person #{case.participant.id}")


@cases_app.command("fire")
@clean_failures
def cases_fire(
    case_id: int,
    event: str,
    payload: Annotated[Path | None, typer.Option(help="JSON/YAML: reason, dates, ...")] = None,
    expected_version: int | None = None,
    as_user: AsUser = None,
) -> None:
    """Take a step on a case."""
    engine, _ = _ready(_settings())
    data = dict(_read_data(payload) or {}) if payload else {}
    step = FireIn.model_validate({**data, "event": event, "expected_version": expected_version})
    result = steps.take_step(engine, user=_acting(engine, as_user), case_id=case_id, step=step)
    out.print(f"case #{case_id}: {result.from_state} → {result.to_state} (v{result.version})")


@cases_app.command("history")
@clean_failures
def cases_history(case_id: int, as_user: AsUser = None) -> None:
    engine, _ = _ready(_settings())
    table = Table("#", "when (UTC)", "who", "role", "event", "from → to", "outcome / reason")
    for h in queries.history(engine, user=_acting(engine, as_user), case_id=case_id):
        table.add_row(
            str(h.seq), h.at.strftime("%Y-%m-%d %H:%M"), h.actor, h.role, h.event,
            f"{h.from_state or ''} → {h.to_state or ''}",
            h.outcome + (f": {h.reason}" if h.reason else ""),
            style="red" if h.outcome == AuditOutcome.refused else None,
        )  # fmt: skip
    out.print(table)


# --- people --------------------------------------------------------------------------------


@people_app.command("find")
@clean_failures
def people_find(
    q: Annotated[str, typer.Argument(help="Part of a name, a university ID or a ПИН")],
    as_user: AsUser = None,
) -> None:
    """Search the registry of people."""
    engine, _ = _ready(_settings())
    table = Table("#", "name", "kind", "university ID", "born", "faculty / home", "group")
    for p in people.find(engine, user=_acting(engine, as_user), q=q, limit=50):
        table.add_row(str(p.id), p.full_name, p.kind, p.university_id or "",
                      f"{p.birth_date:%d.%m.%Y}" if p.birth_date else "",
                      p.faculty or p.home_institution or "", p.group_name or "")  # fmt: skip
    out.print(table)


@people_app.command("show")
@clean_failures
def people_show(person_id: int, as_user: AsUser = None) -> None:
    """A person's record and their cases."""
    engine, _ = _ready(_settings())
    user = _acting(engine, as_user)
    person = people.get(engine, person_id, user=user)
    out.print(f"[bold]#{person.id} {person.full_name}[/bold] ({person.kind.value}, "
              f"v{person.version})", highlight=False)  # fmt: skip
    for name in people.IMPORT_COLUMNS:
        value = getattr(person, name, None)
        if value not in (None, "", False):
            out.print(f"  {name}: {value}", highlight=False)
    table = Table("case", "kind", "state", "host", "dates")
    for c in people.cases_of(engine, user=user, person_id=person_id):
        table.add_row(f"#{c.id}", c.kind, c.state, f"{c.host_institution}, {c.host_country}",
                      f"{c.start_date:%d.%m.%Y} – {c.end_date:%d.%m.%Y}")  # fmt: skip
    out.print(table)


@people_app.command("add")
@clean_failures
def people_add(
    file: Annotated[Path, typer.Option("--file", "-f", help="person.json or person.yaml")],
    confirm_new_person: Annotated[
        bool, typer.Option(help="Add although a namesake with the same birth date exists")
    ] = False,
    as_user: AsUser = None,
) -> None:
    """Record a new person (the API's POST /api/people body)."""
    engine, _ = _ready(_settings())
    data = ParticipantIn.model_validate(_read_data(file))
    person_id = people.add(
        engine, user=_acting(engine, as_user), data=data, confirm=confirm_new_person
    )
    out.print(f"person #{person_id}: {data.full_name}")


# --- audit ---------------------------------------------------------------------------------


@audit_app.command("verify")
@clean_failures
def audit_verify(case_id: Annotated[int | None, typer.Argument()] = None) -> None:
    """Check the hash chain of one case, or of all; exit 1 at the first broken one."""
    engine, _ = _ready(_settings())
    with UnitOfWork(engine, read_only=True) as uow:
        if case_id is not None:
            reports = [audit.verify(uow.session, case_id)]
        else:
            with out.status("checking every case's history…"):
                reports = audit.verify_all(uow.session)
    broken = [r for r in reports if not r.intact]
    for r in broken:
        err.print(f"[red]case #{r.case_id}[/red]: {r.problem}")
    if broken:
        raise Failed(f"{len(broken)} of {len(reports)} case histories are broken")
    out.print(f"{len(reports)} case histories intact")


@audit_app.command("sign")
@clean_failures
def audit_sign() -> None:
    """With SAPAR_AUDIT_KEY newly set: sign the head of every intact history written before."""
    engine, _ = _ready(_settings())
    with UnitOfWork(engine) as uow:
        signed = audit.sign_heads(uow.session)
        uow.commit()
    out.print(f"{signed} case histories signed")


@audit_app.command("access-log")
@clean_failures
def audit_access_log(
    case_id: Annotated[int | None, typer.Option("--case", help="Only this case")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first")] = 50,
) -> None:
    """Refused reads of cases outside the reader's scope (kept apart from the histories)."""
    from sapar.services import access_log

    engine, _ = _ready(_settings())
    table = Table("when", "who", "role", "case", "action", "why")
    for line in access_log.recent(engine, limit=limit, case_id=case_id):
        table.add_row(line.at.isoformat(timespec="seconds"), line.actor, line.role,
                      str(line.case_id or ""), line.action, line.reason)  # fmt: skip
    out.print(table)


# --- import --------------------------------------------------------------------------------


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    """The file's rows, streamed, with the same caps as an upload (sapar.services.tables)."""
    from sapar.services.tables import TableRefused, read_rows

    try:
        for row in read_rows(path.name, path.read_bytes()):
            if any(v not in (None, "") for v in row.values()):
                yield {k: v for k, v in row.items() if v not in (None, "")}
    except TableRefused as exc:
        raise Failed(f"{path.name}: {exc}") from None


def _imported(what: str, run: Callable[[Callable[[str, int, int], None]], Any]) -> Any:
    """Run an import with a progress bar (checking, then writing, batch by batch)."""
    with Progress(console=out) as progress:
        task = progress.add_task(f"checking {what}", total=None)

        def show(stage: str, done: int, total: int) -> None:
            progress.update(task, description=f"{stage} {what}", completed=done,
                            total=total or None)  # fmt: skip

        return run(show)


@import_app.command("people")
@clean_failures
def import_people_file(file: Path, as_user: AsUser = None) -> None:
    """Add or correct people from CSV/XLSX (the columns of a person; a known university_id
    corrects that person). All or nothing: every line is checked before any is written, and
    a bad line names the line and the field; then it is written in short batches."""
    engine, _ = _ready(_settings())
    user, content = _acting(engine, as_user), file.read_bytes()
    try:
        done = _imported("people", lambda show: people.import_people(
            engine, user=user, filename=file.name, content=content, lang="en",
            progress=show))  # fmt: skip  # the shell speaks English, as its other messages
    except people.PersonImportError as exc:
        raise Failed(f"{file.name}: {exc}; nothing was imported") from None
    out.print(f"people: {done['added']} added, {done['corrected']} corrected")


@import_app.command("partners")
@clean_failures
def import_partner_file(file: Path) -> None:
    """Add partners and their agreements from CSV/XLSX (the registry's export columns)."""
    from sapar.services.partners import PartnerImportError, import_partners

    engine, _ = _ready(_settings())
    content = file.read_bytes()
    try:
        count = _imported("partners", lambda show: import_partners(
            engine, filename=file.name, content=content, progress=show))  # fmt: skip
    except PartnerImportError as exc:
        raise Failed(f"{file.name}: {exc}; nothing was imported") from None
    out.print(f"imported {count} partners")


# --- deadlines, samples --------------------------------------------------------------------


@deadlines_app.command("check")
@clean_failures
def check_deadlines_on(
    on: Annotated[str, typer.Option("--date", help="The day to check, YYYY-MM-DD")] = "",
) -> None:
    """Run the daily deadline check for a given day (default: today in Osh)."""
    from datetime import date as Date

    from sapar.services.deadlines import check_deadlines
    from storage.locks import StillRunning

    try:
        day = Date.fromisoformat(on) if on else clock.today()
    except ValueError:
        raise Failed(f"--date: '{on}' is not a date (YYYY-MM-DD)") from None
    settings = _settings()
    engine, _ = _ready(settings)
    try:
        report = check_deadlines(engine, today=day, settings=settings)
    except StillRunning as exc:
        raise Failed(str(exc)) from None
    out.print(
        f"{day}: looked at {report.looked_at}, marked overdue {len(report.marked_overdue)}, "
        f"sent {report.sent}, recorded {report.recorded}, failed {report.failed} "
        f"(tried again by the next check), refused {report.refused}, "
        f"set aside {report.dropped}"
    )
    if report.failed:
        raise typer.Exit(1)


@app.command("faculty-report")
@clean_failures
def faculty_report_cmd(
    faculty: Annotated[str, typer.Argument(help="The faculty as cases record it (Kyrgyz name)")],
    start: Annotated[str, typer.Option("--from", help="First day of the period, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="Last day of the period, YYYY-MM-DD")],
    language: Annotated[str, typer.Option("--lang", help="ky or ru")] = "ky",
    out_file: Annotated[Path | None, typer.Option("--out")] = None,
) -> None:
    """The faculty's mobility report to ЭАБД for a period, as a DOCX ("Deputy dean duties")."""
    from datetime import date as Date

    from sapar.officials import OfficialsMissing
    from sapar.services.faculty_report import faculty_report

    try:
        period = Date.fromisoformat(start), Date.fromisoformat(end)
    except ValueError:
        raise Failed("--from/--to: a date is YYYY-MM-DD") from None
    if language not in ("ky", "ru"):
        raise Failed("--lang: ky or ru")
    engine, _ = _ready(_settings())
    try:
        document = faculty_report(engine, faculty=faculty, period_from=period[0],
                                  period_to=period[1], language=language)  # fmt: skip
    except (ValueError, OfficialsMissing) as exc:
        raise Failed(str(exc)) from None
    path = out_file or Path(f"faculty_mobility_report_{period[0]}_{period[1]}_{language}.docx")
    path.write_bytes(document.content)
    out.print(f"{path}", highlight=False)


@app.command()
@clean_failures
def samples(out_dir: Annotated[Path, typer.Option("--out")] = Path("var/samples")) -> None:
    """Render every document template, in Kyrgyz and Russian, from realistic sample data."""
    from documents.samples import main as render_samples

    render_samples(["--out", str(out_dir)])


@officials_app.command("import")
@clean_failures
def officials_import(
    file: Annotated[Path, typer.Argument(help="JSON or YAML list of appointments")],
) -> None:
    """Record the appointments of a file (as SAPAR_OFFICIALS_FILE is at start): all or none."""
    from sapar.services.officials import import_file

    engine, _ = _ready(_settings())
    out.print(f"imported {import_file(engine, file).count} appointments")


@officials_app.command("list")
@clean_failures
def officials_list() -> None:
    """Every appointment: post, unit, name, term."""
    from sapar.services.officials import list_officials

    engine, _ = _ready(_settings())
    table = Table("post", "unit", "name", "from", "to")
    for o in list_officials(engine):
        table.add_row(o.post.value, o.unit, o.full_name, str(o.valid_from), str(o.valid_to or ""))
    out.print(table)


@templates_app.command("check")
def templates_check(
    directory: Annotated[
        Path | None, typer.Argument(help="Default: the templates/ folder the service uses")
    ] = None,
) -> None:
    """Check every template after an edit: each {{ }} / {% %} tag closed in its paragraph,
    valid Jinja, and only the fields its document has. Exits 1 naming each problem's place."""
    from documents.render import TEMPLATES_DIR
    from documents.template_check import check_files

    root = directory or TEMPLATES_DIR
    files = sorted(root.glob("*/*.docx"))
    if not files:
        err.print(f"[red]error:[/red] no templates under {root} (<language>/<kind>.docx)")
        raise typer.Exit(1)
    failed = 0
    for path, findings in check_files(files).items():
        shown = path.relative_to(root)
        if not findings:
            out.print(f"ok      {shown}", highlight=False)
            continue
        failed += 1
        for finding in findings:
            out.print(f"[red]problem[/red] {shown}: {finding}", highlight=False, soft_wrap=True)
    out.print(f"{len(files)} templates checked, {failed} with problems", highlight=False)
    if failed:
        raise typer.Exit(1)


# --- demo ----------------------------------------------------------------------------------


@app.command()
@clean_failures
def demo(
    extra: Annotated[int, typer.Option(help="Extra new applications, for paging")] = 40,
    password: Annotated[str, typer.Option(envvar="SAPAR_DEMO_PASSWORD")] = "oshsu-demo-2026",
    documents: Annotated[bool, typer.Option(help="Render generated papers as well")] = True,
) -> None:
    """Load demo staff and cases in every state of every kind."""
    from sapar.services.issuing import sweep

    # The demo data is the checkout's (scripts/demo.py), not part of the installed package.
    checkout = Path(__file__).resolve().parents[1]
    if not (checkout / "scripts" / "demo.py").is_file():
        raise Failed("the demo needs a checkout of sapar: scripts/demo.py is not there")
    if str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    from scripts.demo import load_demo

    engine, files = _ready(_settings())
    issue = (lambda: len(sweep(engine, files).issued)) if documents else None
    with Progress(console=out) as progress:
        task = progress.add_task("driving demo cases through the regulation", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        result = load_demo(engine, files, password=password, extra=extra, issue=issue,
                           progress=advance)  # fmt: skip
    if documents:
        result.issued += len(sweep(engine, files, limit=1000).issued)
    out.print(f"{result.cases} cases, {result.steps} steps, {result.papers} papers handed in, "
              f"{result.issued} documents issued; log in as iro / dean1 / head1 / auditor "
              f"with password '{password}'")  # fmt: skip
    for line in result.problems[:10]:
        err.print(f"[yellow]note:[/yellow] {line}", highlight=False)


def main() -> None:  # pragma: no cover - `python -m sapar.cli`
    sys.exit(app())


if __name__ == "__main__":  # pragma: no cover
    main()
