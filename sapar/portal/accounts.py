"""Participants' sign-in: a one-time link by e-mail, then a browser session.

A link carries 32 random bytes; the database keeps only their sha256, when the link expires
(15 minutes by default) and when it was used. Using it is one conditional UPDATE, so a link
works once even when two tabs open it at the same moment. Links go to addresses at the
university's domains, or to an address a case already names (guests, staff from elsewhere);
the answer to a request is the same either way, so the form does not tell which addresses
exist. Without an SMTP server the letter is written to var/mail as an .eml file.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import Engine, func, select, update

from sapar import clock
from sapar.config import Settings
from sapar.i18n import LANGUAGES, t
from sapar.services.mailer import SmtpMailer
from sapar.services.users import User, sha256
from states.model import Role
from storage.orm import Channel, ParticipantRow, PortalLinkRow, UserRow
from storage.uow import UnitOfWork

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A mailbox asking for more than this many links an hour is being flooded, not used.
MAX_LINKS_PER_HOUR = 5
# Participants never log in with a password: this is not an argon2 hash, so nothing verifies.
NO_PASSWORD = "!portal-link-only"


class PortalProblem(ValueError):
    """Bad sign-in input: the message names the field."""


class LinkRefused(Exception):
    """The link is unknown, used already, or expired."""


class LinkNotSent(Exception):
    """The mail server did not take the letter: nothing to sign in with yet."""


@dataclass(frozen=True)
class LinkRequest:
    email: str
    sent: bool  # False: the address may not sign in, or asked too often (same answer)


def normalise_email(raw: str) -> str:
    email = raw.strip().lower()
    if not EMAIL.match(email) or len(email) > 200:
        raise PortalProblem(f"email: '{raw.strip()[:60]}' is not an e-mail address")
    return email


def may_sign_in(engine: Engine, settings: Settings, email: str) -> bool:
    domain = email.rsplit("@", 1)[-1]
    if any(domain == d or domain.endswith("." + d) for d in settings.portal_email_domains):
        return True
    with UnitOfWork(engine, read_only=True) as uow:
        known = uow.session.scalar(
            select(ParticipantRow.id).where(func.lower(ParticipantRow.email) == email).limit(1)
        )
    return known is not None


def request_link(
    engine: Engine,
    settings: Settings,
    *,
    email: str,
    base_url: str,
    lang: str,
    now: datetime | None = None,
) -> LinkRequest:
    """Record a link for `email` and send it; LinkNotSent when the mail server refused."""
    email = normalise_email(email)
    now = now or clock.now()
    if not may_sign_in(engine, settings, email):
        return LinkRequest(email, sent=False)
    token = secrets.token_urlsafe(32)
    with UnitOfWork(engine) as uow:
        recent = uow.session.scalar(
            select(func.count(PortalLinkRow.id)).where(
                PortalLinkRow.email == email,
                PortalLinkRow.created_at > now - timedelta(hours=1),
            )
        )
        if (recent or 0) >= MAX_LINKS_PER_HOUR:
            return LinkRequest(email, sent=False)
        row = PortalLinkRow(
            token_hash=sha256(token),
            email=email,
            channel=Channel.email if settings.smtp_host else Channel.record,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.portal_link_minutes),
        )
        uow.session.add(row)
        uow.session.flush()
        link_id = row.id
        uow.commit()
    link = f"{base_url.rstrip('/')}/portal/link?token={token}"
    subject = t(lang, "portal.mail.subject")
    body = t(lang, "portal.mail.body", link=link, minutes=settings.portal_link_minutes)
    try:
        deliver(settings, to=email, subject=subject, body=body, name=f"portal-link-{link_id}")
    except OSError as exc:
        raise LinkNotSent(str(exc)) from exc
    return LinkRequest(email, sent=True)


def deliver(settings: Settings, *, to: str, subject: str, body: str, name: str) -> None:
    """By SMTP when a server is set; else as an .eml file in var/mail (recorded)."""
    if settings.smtp_host:
        with SmtpMailer(settings) as mailer:
            mailer.send([to], subject, body)
        return
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.smtp_from, to, subject
    message.set_content(body)
    spool = mail_dir(settings)
    spool.mkdir(parents=True, exist_ok=True)
    (spool / f"{name}.eml").write_bytes(bytes(message))


def mail_dir(settings: Settings) -> Path:
    return settings.var_dir / "mail"


def consume_link(engine: Engine, *, token: str, lang: str, now: datetime | None = None) -> User:
    """The participant the link signs in (created at the first sign-in); the link is spent."""
    now = now or clock.now()
    digest = sha256(token)
    with UnitOfWork(engine) as uow:
        spent = uow.session.execute(
            update(PortalLinkRow)
            .where(
                PortalLinkRow.token_hash == digest,
                PortalLinkRow.used_at.is_(None),
                PortalLinkRow.expires_at > now,
            )
            .values(used_at=now)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            raise LinkRefused("the link is unknown, used already, or expired")
        email = uow.session.scalar(
            select(PortalLinkRow.email).where(PortalLinkRow.token_hash == digest)
        )
        assert email is not None
        row = uow.session.scalar(select(UserRow).where(UserRow.username == email))
        if row is None:
            known = uow.session.scalar(
                select(ParticipantRow.full_name)
                .where(func.lower(ParticipantRow.email) == email)
                .order_by(ParticipantRow.id.desc())
                .limit(1)
            )
            row = UserRow(
                username=email,
                full_name=known or email,
                password_hash=NO_PASSWORD,
                role=Role.participant.value,
                email=email,
                language=lang if lang in LANGUAGES else "ky",
                active=True,
                failed_logins=0,
                created_at=now,
            )
            uow.session.add(row)
            uow.session.flush()
        elif row.role != Role.participant.value or not row.active:
            raise LinkRefused("this address belongs to a staff account or a closed one")
        user = User(row.id, row.username, row.full_name, Role.participant, None, None, row.language)
        uow.commit()
    return user


def rename(engine: Engine, *, user_id: int, full_name: str) -> None:
    """The name the participant gave in an application becomes the account's name."""
    with UnitOfWork(engine) as uow:
        row = uow.session.get(UserRow, user_id)
        if row is not None and row.role == Role.participant.value:
            row.full_name = full_name
            uow.commit()
