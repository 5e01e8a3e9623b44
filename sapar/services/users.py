"""Staff accounts: argon2 passwords, login throttling, browser sessions and API tokens.

Only hashes are stored: argon2 for passwords, sha256 for session cookies and API tokens
(those are long random strings, so a fast hash is enough and lets us look them up).

Cutting access off: a new password or a deactivation ends every browser session of the
account and revokes every API token (`end_all_access`). Tokens expire (90 days unless told
otherwise) and can be listed and revoked one by one (CLI `sapar users tokens`/`revoke-token`,
the admin page /admin/users).

Throttling (no account lock anyone could trigger): failures are counted per (account, IP)
and per IP, keyed by sha256 so no typed username is stored. From the 5th failure of an
(account, IP) pair each further attempt waits 2^(n-5) minutes (at most 15); an IP with 30
failures in 15 minutes, whatever the accounts, waits out the window. The account itself is
never locked, so nobody can shut a chosen colleague out from their own desk. Unknown
usernames are throttled and answered exactly like known ones.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from sapar import clock
from sapar.faculties import is_faculty
from sapar.i18n import LANGUAGES
from states import roles
from states.explained import Explained
from states.model import Role
from storage.orm import ApiTokenRow, LoginThrottleRow, UserRow, WebSessionRow
from storage.uow import UnitOfWork

from .cases import Actor
from .schemas import has_control

FREE_FAILURES = 5  # per (account, IP) before the backoff starts
MAX_BACKOFF = timedelta(minutes=15)
IP_FAILURES = 30  # per IP in IP_WINDOW, whatever the accounts
IP_WINDOW = timedelta(minutes=15)
TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 366
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200
_hasher = PasswordHasher()
# Checked against when the username is unknown, so a wrong name costs as long as a wrong
# password and the timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class UserProblem(Explained, ValueError):
    """Bad account data: the English text names the field (for the CLI and logs); the key
    says it in the user's language on the admin page and in the API (error.<key>)."""


class LoginRefused(Exception):
    """Wrong username or password, or (`wait_seconds`) too many failures from here."""

    def __init__(self, message: str, *, wait_seconds: int | None = None) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


@dataclass(frozen=True)
class User:
    id: int
    username: str
    full_name: str
    role: Role
    faculty: str | None = None
    department: str | None = None
    language: str = "ky"

    @property
    def actor(self) -> Actor:
        # The username makes the history unambiguous when two clerks share a name.
        return Actor(
            f"{self.full_name} ({self.username})", self.role, self.faculty, self.department
        )


def _user(row: UserRow) -> User:
    return User(
        row.id, row.username, row.full_name, Role(row.role), row.faculty, row.department,
        row.language,
    )  # fmt: skip


def _aware(at: datetime | None) -> datetime | None:
    # SQLite hands timestamps back without their zone; we always write UTC.
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_account(
    *, username: str, role: Role, faculty: str | None, department: str | None
) -> None:
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise UserProblem("username: letters, digits, '.', '_' and '-' only", "user_name_chars")
    if role is Role.participant:
        raise UserProblem(
            "role: participants sign in to the portal by an e-mail link", "user_participant"
        )
    if faculty is not None and not is_faculty(faculty):
        raise UserProblem(
            f"faculty: '{faculty}' is not a faculty of OshSU", "user_faculty", faculty=faculty
        )
    if role in roles.FACULTY_BOUND and not faculty:
        raise UserProblem(
            f"faculty: a {role.value} account needs its faculty", "user_needs_faculty", role=role
        )
    if role is Role.head_of_department and not department:
        raise UserProblem(
            "department: a head of department account needs the department",
            "user_needs_department",
        )


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserProblem(
            f"password: at least {MIN_PASSWORD_LENGTH} characters",
            "password_short",
            n=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserProblem(
            f"password: at most {MAX_PASSWORD_LENGTH} characters",
            "password_long",
            n=MAX_PASSWORD_LENGTH,
        )


def create_user(
    engine: Engine,
    *,
    username: str,
    full_name: str,
    password: str,
    role: Role,
    faculty: str | None = None,
    department: str | None = None,
    email: str | None = None,
    language: str = "ky",
) -> User:
    check_account(username=username, role=role, faculty=faculty, department=department)
    check_password(password)
    if len(username) > 80 or len(full_name) > 200 or not full_name.strip():
        raise UserProblem("full_name: 1–200 characters; username: at most 80", "user_lengths")
    with UnitOfWork(engine) as uow:
        if uow.session.scalar(select(UserRow.id).where(UserRow.username == username)):
            raise UserProblem(f"username: '{username}' is taken", "user_taken", username=username)
        row = UserRow(
            username=username,
            full_name=full_name,
            password_hash=_hasher.hash(password),
            role=role.value,
            faculty=faculty,
            department=department,
            email=email,
            language=language if language in LANGUAGES else "ky",
            active=True,
            failed_logins=0,
            created_at=clock.now(),
        )
        uow.session.add(row)
        uow.session.flush()
        user = _user(row)
        uow.commit()
    return user


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    role: Role
    faculty: str | None
    active: bool


def list_accounts(engine: Engine) -> list[Account]:
    """Every account, active or not, for the administrator."""
    with UnitOfWork(engine, read_only=True) as uow:
        return [
            Account(r.username, r.full_name, Role(r.role), r.faculty, r.active)
            for r in uow.session.scalars(select(UserRow).order_by(UserRow.username))
        ]


def list_users(engine: Engine) -> list[User]:
    with UnitOfWork(engine, read_only=True) as uow:
        return [_user(r) for r in uow.session.scalars(select(UserRow).order_by(UserRow.username))]


def get_user(engine: Engine, *, username: str) -> User:
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise UserProblem(f"username: no user '{username}'", "user_unknown", username=username)
        return _user(row)


def set_password(engine: Engine, *, username: str, password: str) -> None:
    """A new password; every session and token of the account ends with the old one."""
    check_password(password)
    with UnitOfWork(engine) as uow:
        row = uow.session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise UserProblem(f"username: no user '{username}'", "user_unknown", username=username)
        row.password_hash = _hasher.hash(password)
        row.failed_logins, row.locked_until = 0, None
        end_all_access(uow.session, row.id)
        uow.commit()


def set_active(engine: Engine, *, username: str, active: bool) -> None:
    """Deactivate (every session and token ends; logins are refused like a wrong password)
    or reactivate an account. History keeps naming the person either way."""
    with UnitOfWork(engine) as uow:
        row = uow.session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise UserProblem(f"username: no user '{username}'", "user_unknown", username=username)
        row.active = active
        if not active:
            end_all_access(uow.session, row.id)
        uow.commit()


def end_all_access(session: Session, user_id: int) -> None:
    """End every browser session and revoke every API token of the account."""
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))
    session.execute(
        update(ApiTokenRow)
        .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )


def set_language(engine: Engine, *, user_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise UserProblem(
            f"language: one of {', '.join(LANGUAGES)}",
            "user_language",
            choices=", ".join(LANGUAGES),
        )
    with UnitOfWork(engine) as uow:
        row = uow.session.get(UserRow, user_id)
        if row is not None:
            row.language = language
            uow.commit()


def authenticate(
    engine: Engine,
    *,
    username: str,
    password: str,
    ip: str = "unknown",
    now: datetime | None = None,
) -> User:
    """The user, or LoginRefused: the same answer for an unknown name, a deactivated account
    and a wrong password; `wait_seconds` when this (account, IP) or this IP must wait."""
    now = now or clock.now()
    keys = _throttle_keys(username, ip)
    wait = _throttled(engine, keys, now)
    if wait:
        raise LoginRefused("too many failed attempts", wait_seconds=wait)
    with UnitOfWork(engine) as uow:
        row = None
        if 0 < len(username) <= 80 and not has_control(username):
            row = uow.session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None or not row.active:
            _verify(_DUMMY_HASH, password)
            ok = False
        else:
            ok = _verify(row.password_hash, password)
        if not ok:
            _count_failure(uow.session, keys, now)
            uow.commit()
            raise LoginRefused("wrong username or password")
        assert row is not None
        uow.session.execute(delete(LoginThrottleRow).where(LoginThrottleRow.key == keys[0]))
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        user = _user(row)
        uow.commit()
        return user


def _throttle_keys(username: str, ip: str) -> tuple[str, str]:
    """(the (account, IP) pair's key, the IP's key), hashed: typed names are not stored."""
    account = username.strip().lower()
    return sha256(f"account\x1f{account}\x1f{ip}"), sha256(f"ip\x1f{ip}")


def _throttled(engine: Engine, keys: tuple[str, str], now: datetime) -> int:
    """Seconds to wait before this (account, IP) or this IP may try again; 0: go ahead."""
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.scalars(select(LoginThrottleRow).where(LoginThrottleRow.key.in_(keys)))
        until = [_aware(r.blocked_until) for r in rows]
    waits = [(u - now).total_seconds() for u in until if u is not None and u > now]
    return math.ceil(max(waits)) if waits else 0


def _count_failure(session: Session, keys: tuple[str, str], now: datetime) -> None:
    pair_key, ip_key = keys
    rows = {
        r.key: r
        for r in session.scalars(select(LoginThrottleRow).where(LoginThrottleRow.key.in_(keys)))
    }
    for key in keys:
        row = rows.get(key)
        if row is None:
            row = LoginThrottleRow(key=key, failures=0, window_start=now)
            session.add(row)
        start = _aware(row.window_start) or now
        if key == ip_key and now - start > IP_WINDOW:
            row.failures, row.window_start = 0, now
        row.failures += 1
        if key == pair_key and row.failures >= FREE_FAILURES:
            backoff = timedelta(minutes=2 ** (row.failures - FREE_FAILURES))
            row.blocked_until = now + min(backoff, MAX_BACKOFF)
        if key == ip_key and row.failures >= IP_FAILURES:
            row.blocked_until = (_aware(row.window_start) or now) + IP_WINDOW


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- browser sessions --------------------------------------------------------------------


@dataclass(frozen=True)
class WebSession:
    user: User
    csrf_token: str


def start_session(engine: Engine, *, user_id: int, hours: int = 12) -> tuple[str, str]:
    """Return (cookie token, csrf token); the database keeps the cookie's sha256 only."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = clock.now()
    with UnitOfWork(engine) as uow:
        uow.session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
        uow.session.add(
            WebSessionRow(
                token_hash=sha256(token),
                user_id=user_id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
        uow.commit()
    return token, csrf


def session_for(engine: Engine, token: str) -> WebSession | None:
    with UnitOfWork(engine, read_only=True) as uow:
        found = uow.session.execute(
            select(WebSessionRow, UserRow)
            .join(UserRow, UserRow.id == WebSessionRow.user_id)
            .where(WebSessionRow.token_hash == sha256(token))
        ).first()
        if found is None:
            return None
        session_row, user_row = found
        expires = _aware(session_row.expires_at)
        if not user_row.active or expires is None or expires <= clock.now():
            return None
        return WebSession(_user(user_row), session_row.csrf_token)


def end_session(engine: Engine, token: str) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == sha256(token)))
        uow.commit()


# --- API tokens --------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenLine:
    id: int
    username: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def add_token(engine: Engine, *, username: str, name: str, days: int = TOKEN_DAYS) -> str:
    """A new bearer token for `username`, valid for `days`: shown once, stored as its sha256."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise UserProblem(f"days: from 1 to {MAX_TOKEN_DAYS}", "token_days", max=MAX_TOKEN_DAYS)
    if not name.strip() or len(name) > 120 or has_control(name):
        raise UserProblem("name: 1–120 characters", "token_name")
    token = "sapar_" + secrets.token_urlsafe(32)
    now = clock.now()
    with UnitOfWork(engine) as uow:
        row = uow.session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise UserProblem(f"username: no user '{username}'", "user_unknown", username=username)
        if not row.active:
            raise UserProblem(
                f"username: '{username}' is deactivated", "user_inactive", username=username
            )
        uow.session.add(
            ApiTokenRow(
                token_hash=sha256(token), user_id=row.id, name=name.strip(), created_at=now,
                expires_at=now + timedelta(days=days),
            )
        )  # fmt: skip
        uow.commit()
    return token


def list_tokens(engine: Engine, *, username: str | None = None) -> list[TokenLine]:
    query = (
        select(ApiTokenRow, UserRow.username)
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .order_by(UserRow.username, ApiTokenRow.id)
    )
    if username is not None:
        query = query.where(UserRow.username == username)
    with UnitOfWork(engine, read_only=True) as uow:
        return [
            TokenLine(
                t.id,
                name,
                t.name,
                _aware(t.created_at) or clock.now(),
                _aware(t.expires_at),
                _aware(t.last_used_at),
                _aware(t.revoked_at),
            )
            for t, name in uow.session.execute(query).all()
        ]


def revoke_token(engine: Engine, *, token_id: int) -> None:
    with UnitOfWork(engine) as uow:
        row = uow.session.get(ApiTokenRow, token_id)
        if row is None:
            raise UserProblem(f"token: no token #{token_id}", "token_unknown", token=token_id)
        if row.revoked_at is None:
            row.revoked_at = clock.now()
        uow.commit()


def user_for_token(engine: Engine, token: str) -> User | None:
    """The token's user, if the token is known, not revoked, not expired and the account is
    active."""
    now = clock.now()
    with UnitOfWork(engine, read_only=True) as uow:
        found = uow.session.execute(
            select(ApiTokenRow, UserRow)
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .where(ApiTokenRow.token_hash == sha256(token), ApiTokenRow.revoked_at.is_(None))
        ).first()
        if found is None or not found[1].active:
            return None
        token_row, user_row = found
        expires = _aware(token_row.expires_at)
        if expires is not None and expires <= now:
            return None
        last_used = _aware(token_row.last_used_at)
        stale = last_used is None or now - last_used > timedelta(minutes=5)
    if stale:  # a write per call would serialise every API client on SQLite
        with UnitOfWork(engine) as uow:
            row = uow.session.get(ApiTokenRow, token_row.id)
            if row is not None:
                row.last_used_at = now
                uow.commit()
    return _user(user_row)


def ensure_first_admin(engine: Engine, *, password: str | None) -> str | None:
    """On a database without users, create `admin`. Returns the password when it was
    generated here (to be shown once), else None."""
    with UnitOfWork(engine, read_only=True) as uow:
        if uow.session.scalar(select(func.count(UserRow.id))):
            return None
    generated = None if password else secrets.token_urlsafe(12)
    create_user(
        engine,
        username="admin",
        full_name="Администратор",
        password=password or generated or "",
        role=Role.admin,
    )
    return generated
