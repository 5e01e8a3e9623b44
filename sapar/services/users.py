"""Staff accounts: argon2 passwords, lock-out, browser sessions and API tokens.

Only hashes are stored: argon2 for passwords, sha256 for session cookies and API tokens
(those are long random strings, so a fast hash is enough and lets us look them up).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, select

from sapar.faculties import is_faculty
from sapar.i18n import LANGUAGES
from states.model import Role
from storage.orm import ApiTokenRow, UserRow, WebSessionRow
from storage.uow import UnitOfWork

from .cases import Actor

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()
# Checked against when the username is unknown, so a wrong name costs as long as a wrong
# password and the timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class UserProblem(ValueError):
    """Bad account data: the message names the field."""


class LoginRefused(Exception):
    def __init__(self, message: str, *, locked_minutes: int | None = None) -> None:
        super().__init__(message)
        self.locked_minutes = locked_minutes


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


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(at: datetime | None) -> datetime | None:
    # SQLite hands timestamps back without their zone; we always write UTC.
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_account(
    *, username: str, role: Role, faculty: str | None, department: str | None
) -> None:
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise UserProblem("username: letters, digits, '.', '_' and '-' only")
    if role is Role.participant:
        raise UserProblem("role: participants sign in to the portal by an e-mail link")
    if faculty is not None and not is_faculty(faculty):
        raise UserProblem(f"faculty: '{faculty}' is not a faculty of OshSU")
    if role in (Role.dean_office, Role.head_of_department) and not faculty:
        raise UserProblem(f"faculty: a {role.value} account needs its faculty")
    if role is Role.head_of_department and not department:
        raise UserProblem("department: a head of department account needs the department")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserProblem(f"password: at least {MIN_PASSWORD_LENGTH} characters")


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
    with UnitOfWork(engine) as uow:
        if uow.session.scalar(select(UserRow.id).where(UserRow.username == username)):
            raise UserProblem(f"username: '{username}' is taken")
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
            created_at=_now(),
        )
        uow.session.add(row)
        uow.session.flush()
        user = _user(row)
        uow.commit()
    return user


def list_users(engine: Engine) -> list[User]:
    with UnitOfWork(engine, read_only=True) as uow:
        return [_user(r) for r in uow.session.scalars(select(UserRow).order_by(UserRow.username))]


def get_user(engine: Engine, *, username: str) -> User:
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise UserProblem(f"username: no user '{username}'")
        return _user(row)


def set_password(engine: Engine, *, username: str, password: str) -> None:
    check_password(password)
    with UnitOfWork(engine) as uow:
        row = uow.session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise UserProblem(f"username: no user '{username}'")
        row.password_hash = _hasher.hash(password)
        row.failed_logins, row.locked_until = 0, None
        uow.commit()


def set_language(engine: Engine, *, user_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise UserProblem(f"language: one of {', '.join(LANGUAGES)}")
    with UnitOfWork(engine) as uow:
        row = uow.session.get(UserRow, user_id)
        if row is not None:
            row.language = language
            uow.commit()


def authenticate(
    engine: Engine, *, username: str, password: str, now: datetime | None = None
) -> User:
    """The user, or LoginRefused. Five wrong passwords in a row lock the account for
    fifteen minutes; while locked even the right password is refused."""
    now = now or _now()
    with UnitOfWork(engine) as uow:
        row = uow.session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None or not row.active:
            _verify(_DUMMY_HASH, password)
            raise LoginRefused("wrong username or password")
        locked_until = _aware(row.locked_until)
        if locked_until is not None and locked_until > now:
            minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
            raise LoginRefused("the account is locked", locked_minutes=minutes)
        if not _verify(row.password_hash, password):
            row.failed_logins += 1
            locked = row.failed_logins >= MAX_FAILED_LOGINS
            if locked:
                row.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                row.failed_logins = 0
            uow.commit()
            if locked:
                raise LoginRefused("the account is locked", locked_minutes=LOCK_MINUTES)
            raise LoginRefused("wrong username or password")
        row.failed_logins, row.locked_until = 0, None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        user = _user(row)
        uow.commit()
        return user


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
    now = _now()
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
        if not user_row.active or expires is None or expires <= _now():
            return None
        return WebSession(_user(user_row), session_row.csrf_token)


def end_session(engine: Engine, token: str) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == sha256(token)))
        uow.commit()


# --- API tokens --------------------------------------------------------------------------


def add_token(engine: Engine, *, username: str, name: str) -> str:
    """A new bearer token for `username`: shown once, stored as its sha256."""
    token = "sapar_" + secrets.token_urlsafe(32)
    with UnitOfWork(engine) as uow:
        user_id = uow.session.scalar(select(UserRow.id).where(UserRow.username == username))
        if user_id is None:
            raise UserProblem(f"username: no user '{username}'")
        uow.session.add(
            ApiTokenRow(token_hash=sha256(token), user_id=user_id, name=name, created_at=_now())
        )
        uow.commit()
    return token


def user_for_token(engine: Engine, token: str) -> User | None:
    with UnitOfWork(engine, read_only=True) as uow:
        found = uow.session.execute(
            select(ApiTokenRow, UserRow)
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .where(ApiTokenRow.token_hash == sha256(token), ApiTokenRow.revoked_at.is_(None))
        ).first()
        if found is None or not found[1].active:
            return None
        token_row, user_row = found
        last_used = _aware(token_row.last_used_at)
        stale = last_used is None or _now() - last_used > timedelta(minutes=5)
    if stale:  # a write per call would serialise every API client on SQLite
        with UnitOfWork(engine) as uow:
            row = uow.session.get(ApiTokenRow, token_row.id)
            if row is not None:
                row.last_used_at = _now()
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
