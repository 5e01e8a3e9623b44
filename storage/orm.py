"""The tables, as SQLAlchemy 2 typed ORM rows. Domain objects live in `states`; the repository
translates, so the domain never sees a session."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from states.dossier import Origin
from states.model import DeadlineStatus
from storage import countries
from storage.search import fold


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


def one_of(table: str, column: str, values: type[StrEnum]) -> CheckConstraint:
    """The column holds one of the enum's values and nothing else (migration 0018 and later
    add each to the database; tests/integration/test_status_checks.py compares the two)."""
    listed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"ck_{table}_{column}")


class OutboxStatus(StrEnum):
    pending = "pending"  # to do, or to try again once its next attempt is due
    done = "done"
    failed = "failed"  # tried and failed: retried automatically for a while, then by hand


class NotificationStatus(StrEnum):
    pending = "pending"  # to send
    sent = "sent"
    recorded = "recorded"  # no mail server or no address: kept as a record to read
    failed = "failed"  # the server failed: tried again
    refused = "refused"  # the address was refused for good
    superseded = "superseded"  # a newer letter about the deadline replaced it
    moot = "moot"  # the duty was met before it went


class Channel(StrEnum):
    """How a letter goes: by e-mail, or kept as a record when no mail server is set."""

    email = "email"
    record = "record"


class ImportStatus(StrEnum):
    queued = "queued"
    checking = "checking"  # reading the file, every line checked before anything is written
    writing = "writing"
    done = "done"
    failed = "failed"


class AuditOutcome(StrEnum):
    applied = "applied"
    refused = "refused"


class ParticipantRow(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    full_name: Mapped[str] = mapped_column(String(200), index=True)
    faculty: Mapped[str | None] = mapped_column(String(120))
    department: Mapped[str | None] = mapped_column(String(120))
    level: Mapped[str | None] = mapped_column(String(16))
    year: Mapped[int | None]
    semester: Mapped[int | None]
    gpa: Mapped[float | None] = mapped_column(Float)
    funding_basis: Mapped[str | None] = mapped_column(String(16))
    tuition_debt: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[str | None] = mapped_column(String(120))
    home_institution: Mapped[str | None] = mapped_column(String(300))
    citizenship: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(200))
    # What orders and letters print about a student.
    specialty: Mapped[str | None] = mapped_column(String(200))
    group_name: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(40))
    # The registry of people (one row per person, any number of cases): who they are at
    # OshSU and what the application forms (annexes 5, 6) print about them.
    university_id: Mapped[str | None] = mapped_column(String(32))
    pin: Mapped[str | None] = mapped_column(String(14), index=True)
    full_name_latin: Mapped[str | None] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(8))
    birth_date: Mapped[date | None] = mapped_column(Date)
    study_language: Mapped[str | None] = mapped_column(String(40))
    passport_number: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    parent_full_name: Mapped[str | None] = mapped_column(String(200))
    parent_relation: Mapped[str | None] = mapped_column(String(40))
    parent_passport: Mapped[str | None] = mapped_column(String(40))
    parent_address: Mapped[str | None] = mapped_column(String(300))
    parent_phone: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The name and group folded for a forgiving search (storage/search.py); kept by the ORM.
    search_text: Mapped[str] = mapped_column(String(400), default="")

    __table_args__ = (Index("ix_participants_university_id", "university_id", unique=True),)


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    scope: Mapped[str] = mapped_column(String(16))
    host_institution: Mapped[str] = mapped_column(String(300))
    host_country: Mapped[str] = mapped_column(String(80))
    host_city: Mapped[str | None] = mapped_column(String(120))
    programme: Mapped[str | None] = mapped_column(String(120))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    # 3.2: an agreement with the partner, or an individual invitation / personal initiative.
    basis: Mapped[str] = mapped_column(String(24), default="agreement")
    purpose: Mapped[str] = mapped_column(String(300))
    funding_source: Mapped[str] = mapped_column(String(32))
    competitive: Mapped[bool] = mapped_column(Boolean, default=True)
    language_certificate_required: Mapped[bool] = mapped_column(Boolean, default=False)
    faculty: Mapped[str | None] = mapped_column(String(120))
    department: Mapped[str | None] = mapped_column(String(120))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    actual_end_date: Mapped[date | None] = mapped_column(Date)
    academic_year: Mapped[str] = mapped_column(String(9))
    failed_credits: Mapped[int | None]
    # Particulars the papers print, each a named field (see sapar.services.schemas.CaseIn).
    host_language: Mapped[str | None] = mapped_column(String(60))
    language_level: Mapped[str | None] = mapped_column(String(20))
    substitute: Mapped[str | None] = mapped_column(String(200))
    project: Mapped[str | None] = mapped_column(String(300))
    host_contact: Mapped[str | None] = mapped_column(String(200))
    host_contact_position: Mapped[str | None] = mapped_column(String(200))
    coordinator: Mapped[str | None] = mapped_column(String(200))
    home_country: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Host, city and programme folded for a forgiving search (storage/search.py).
    search_text: Mapped[str] = mapped_column(String(800), default="")
    # The head of the case's audit chain, written in the same transaction as each event:
    # `verify` compares it with the last stored event, so a deleted last event or a
    # truncated table shows. Every history writer locks this row to take the next seq.
    audit_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    audit_hash: Mapped[str] = mapped_column(String(64), default="0" * 64, server_default="0" * 64)
    # HMAC of the head under a key kept outside the database (SAPAR_AUDIT_KEY), when set:
    # rewriting the chain and its head together still fails without the key.
    audit_mac: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_cases_faculty_state", "faculty", "state", "id"),
        Index("ix_cases_kind_state", "kind", "state", "id"),
        Index("ix_cases_year", "academic_year", "id"),
        # The quota count of an order (places used per partner, year and kind).
        Index("ix_cases_quota", "partner_id", "academic_year", "kind", "state"),
    )


class DocumentRow(Base):
    """A paper in a case file: uploaded by staff or generated from a template.

    The file itself sits in the content-addressed store under its sha256; a regenerated
    document is a new row with a higher version, the old one is kept.
    """

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(16))  # an Origin
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    language: Mapped[str | None] = mapped_column(String(2))
    template: Mapped[str | None] = mapped_column(String(120))
    template_version: Mapped[str | None] = mapped_column(String(64))
    number: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Makes generation idempotent: the same request for the same case yields the same row.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # For papers from outside (an invitation letter, a host transcript): who issued it, its
    # number and date, as the orders cite them in their preamble.
    issuer: Mapped[str | None] = mapped_column(String(300))
    ref_number: Mapped[str | None] = mapped_column(String(80))
    ref_date: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (one_of("documents", "origin", Origin),)


class DeadlineRow(Base):
    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # a DeadlineStatus
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # The deadline check scans only open ones near today: cost grows with what is due.
    __table_args__ = (
        Index("ix_deadlines_open_due", "status", "due_date"),
        # What a letter's one foreign key refers to (NotificationRow): a deadline and its case.
        Index("uq_deadlines_id_case", "id", "case_id", unique=True),
        one_of("deadlines", "status", DeadlineStatus),
    )


class AuditEventRow(Base):
    """Append-only, hash-chained per case: each row stores the previous row's hash."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32))
    event: Mapped[str] = mapped_column(String(40))
    # An AuditOutcome. No CHECK: the history is append-only, and adding one on SQLite means
    # rebuilding the table and remaking its triggers; every writer uses the enum.
    outcome: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    # Held to 2000 characters by FireIn, a refusal's wording cut to it (migration 0013).
    reason: Mapped[str | None] = mapped_column(String(2000))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_audit_case_seq"),)


class OutboxRow(Base):
    """A side effect a transition asked for, recorded in its transaction, executed by a flow."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # render_document | ...
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)  # an OutboxStatus
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Automatic retries back off by time (sapar/services/outbox.py): a failed item is not
    # swept before next_attempt_at, and not at all once it has failed for longer than the
    # retry window counted from first_failed_at (then it waits for the retry button).
    first_failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (one_of("outbox", "status", OutboxStatus),)


class NumberSeriesRow(Base):
    """The last number issued per order series and year: incremented under a row lock."""

    __tablename__ = "number_series"

    series: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class UserRow(Base):
    """A member of staff who logs in. Passwords are argon2 hashes; roles as in states.Role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    # Scope: a dean's office acts on its own faculty, a head of department on their own staff.
    faculty: Mapped[str | None] = mapped_column(String(120))
    department: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="ky")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSessionRow(Base):
    """A browser login: the cookie carries a random token, only its sha256 is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    """A bearer token for API clients; only its sha256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # None only for tokens made before tokens expired (migration 0006 gave those 90 days).
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ImportJobRow(Base):
    """An import running off the request (sapar.services.imports): its stage and progress."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # partners | people
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))  # the upload, in the file store
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16))  # an ImportStatus
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(2000))
    # Where a refused import's first bad line is (the error says why), for the API's errors.
    error_line: Mapped[int | None] = mapped_column(Integer)
    error_field: Mapped[str | None] = mapped_column(String(64))
    # What an import of people did (None for partners: `total` says it).
    added: Mapped[int | None] = mapped_column(Integer)
    corrected: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (one_of("import_jobs", "status", ImportStatus),)


class LoginThrottleRow(Base):
    """Failed logins per (account, IP) and per IP, keyed by sha256 (sapar.services.users)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationRow(Base):
    """A reminder or escalation about a deadline: one per (deadline, kind), so never twice."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(index=True)
    deadline_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(40))  # e.g. before_7, before_1, overdue, escalation
    due_date: Mapped[date] = mapped_column(Date)
    checked_on: Mapped[date] = mapped_column(Date)  # the "today" of the check that made it
    recipient: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))  # a Channel
    status: Mapped[str] = mapped_column(String(16))  # a NotificationStatus
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Times a sender took the letter to the mail server (a claim counts, a crash included).
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        # A letter is about a deadline of its own case: one foreign key says both, so the
        # database checks (and locks) one row per letter written instead of two, the
        # deadline and the case (the case exists: the deadline refers to it). The deadline
        # check writes thousands of letters at once (issue 15.2).
        ForeignKeyConstraint(
            ["deadline_id", "case_id"],
            ["deadlines.id", "deadlines.case_id"],
            name="fk_notifications_deadline_case",
        ),
        UniqueConstraint("deadline_id", "kind", name="uq_notification_once"),
        # The letters still to send: what every check reads, few among all ever written.
        Index(
            "ix_notifications_unsent",
            "id",
            postgresql_where=text("status IN ('pending', 'failed')"),
            sqlite_where=text("status IN ('pending', 'failed')"),
        ),
        one_of("notifications", "status", NotificationStatus),
        one_of("notifications", "channel", Channel),
    )


class PlanCourseRow(Base):
    """A line of the individual study plan (ЖОП, annex 2): a host course and what it replaces,
    or a home course taken by distance learning meanwhile."""

    __tablename__ = "plan_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    mode: Mapped[str] = mapped_column(String(16))  # host | distance
    title: Mapped[str] = mapped_column(String(300))
    credits: Mapped[float] = mapped_column(Float)
    replaces: Mapped[str | None] = mapped_column(String(300))  # the home course (host mode)
    teacher: Mapped[str | None] = mapped_column(String(200))  # distance mode
    term: Mapped[str | None] = mapped_column(String(8))  # fall | spring, for the exam window
    plan_version: Mapped[int] = mapped_column(Integer, default=1)


class RecognisedCourseRow(Base):
    """A line of the host transcript and what the faculty made of it (3.4, 3.6, 4.5).

    The raw host grade is always kept next to the converted one."""

    __tablename__ = "recognised_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    host_course: Mapped[str] = mapped_column(String(300))
    credits: Mapped[float] = mapped_column(Float)
    host_grade: Mapped[str] = mapped_column(String(16))
    host_scale: Mapped[str] = mapped_column(String(16))
    score: Mapped[int]
    home_letter: Mapped[str] = mapped_column(String(4))
    home_points: Mapped[int]
    home_course: Mapped[str | None] = mapped_column(String(300))  # None: university component
    credited: Mapped[bool] = mapped_column(Boolean)
    refusal_reason: Mapped[str | None] = mapped_column(String(2000))


class PartnerRow(Base):
    """A partner institution in the public registry (5.3, 5.4)."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)  # as the partner writes it
    name_latin: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(80), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(300))
    emails: Mapped[str | None] = mapped_column(String(500))
    phones: Mapped[str | None] = mapped_column(String(300))
    scope: Mapped[str] = mapped_column(String(16))  # international | domestic
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("name", "country", name="uq_partner_name_country"),)


class AgreementRow(Base):
    """An agreement or memorandum with a partner; a case's dates must fall inside one."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # bilateral, erasmus_plus, mevlana, ...
    title: Mapped[str | None] = mapped_column(String(300))
    number: Mapped[str | None] = mapped_column(String(80))
    signed_on: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)  # None: until terminated
    scan_sha256: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(String(2000))


class QuotaRow(Base):
    """Places ЭАБД set per partner, academic year and participant type (4.8, ЭАБД duties)."""

    __tablename__ = "quotas"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    academic_year: Mapped[str] = mapped_column(String(9))
    participant_type: Mapped[str] = mapped_column(String(24))  # see states.partners.QuotaType
    places: Mapped[int]

    __table_args__ = (
        UniqueConstraint("partner_id", "academic_year", "participant_type", name="uq_quota"),
    )


class OfficialRow(Base):
    """Who held a post from when to when: signers and approvers of the papers (4.1, 4.8).

    `unit` is the faculty of a dean or deputy dean, the department of its head, and "" for a
    university-wide post. `titles` is the printed position per language ({"ky", "ru", "en"})."""

    __tablename__ = "officials"

    id: Mapped[int] = mapped_column(primary_key=True)
    post: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(200), default="")
    full_name: Mapped[str] = mapped_column(String(200))
    titles: Mapped[dict[str, Any]] = mapped_column(JSON)
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("post", "unit", "valid_from", name="uq_official_post_unit_from"),
    )


class PortalLinkRow(Base):
    """A one-time sign-in link for the participants' portal (sapar/portal/accounts.py).

    The e-mail carries a random token; only its sha256 is kept. A link is used once
    (`used_at`) and only before `expires_at`."""

    __tablename__ = "portal_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # a Channel
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (one_of("portal_links", "channel", Channel),)


# Every insert and update through the ORM refolds the search text, so no writer can forget it.
@event.listens_for(ParticipantRow, "before_insert")
@event.listens_for(ParticipantRow, "before_update")
def _fold_participant(mapper: object, connection: object, row: ParticipantRow) -> None:
    row.search_text = fold(row.full_name, row.full_name_latin, row.group_name)[:400]


@event.listens_for(CaseRow, "before_insert")
@event.listens_for(CaseRow, "before_update")
def _fold_case(mapper: object, connection: object, row: CaseRow) -> None:
    row.search_text = fold(row.host_institution, row.host_city, row.programme)[:800]
    # The country as its ISO code whenever it can be recognised (issue 13.5), whoever writes.
    row.host_country = countries.code_of(row.host_country) or row.host_country


class AccessLogRow(Base):
    """A refused read (a case outside the user's scope): kept apart from the case's
    permanent history, and capped (sapar/services/access_log.py prunes the oldest)."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(2000))


class SavedFilterRow(Base):
    """A case-list view a user saved under a name (issue 13.3): the list page's query string
    (filters, sort, rows per page, columns), checked again whenever it is used."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_filters_user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
