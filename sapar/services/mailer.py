"""E-mail over SMTP with the standard library: one connection per sender, reused."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate
from types import TracebackType
from typing import Protocol

from sapar.config import Settings

# A sender gives up on the server for the rest of a check after this many connections in a
# row failed: a server that is down fails the remaining letters at once (they are tried
# again by the next check) instead of each after its own timeout.
CONNECT_FAILURES_BEFORE_GIVING_UP = 3


class Mailer(Protocol):
    """Sends one letter; raises when it could not be handed to the mail server."""

    def send(
        self, to: Sequence[str], subject: str, body: str, *, message_id: str | None = None
    ) -> None: ...


class AddressRefused(Exception):
    """The mail server refused every recipient for good (a 5xx reply such as "no such
    mailbox"): sending the same letter again cannot succeed until the address is fixed."""


def is_permanent(exc: BaseException) -> bool:
    return isinstance(exc, AddressRefused)


class SmtpMailer:
    """Letters through the SMTP server of the settings.

    The connection opens at the first letter and is reused for the next ones (a daily
    check may send thousands); a connection the server dropped is reopened once per letter.
    Not thread-safe: each parallel sender has its own.
    """

    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host:
            raise ValueError("smtp_host is not set: there is no mail server to send through")
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._connect_failures = 0
        self._unreachable: Exception | None = None

    def __enter__(self) -> SmtpMailer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s.smtp_host is not None
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        try:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _reach(self) -> smtplib.SMTP:
        if self._unreachable is not None:
            raise self._unreachable
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as exc:  # refused, timed out, 421 greeting
            self._connect_failures += 1
            if self._connect_failures >= CONNECT_FAILURES_BEFORE_GIVING_UP:
                self._unreachable = exc
            raise
        self._connect_failures = 0
        return smtp

    def send(
        self, to: Sequence[str], subject: str, body: str, *, message_id: str | None = None
    ) -> None:
        # The compat32 classes, not EmailMessage: the same RFC 5322 letter (UTF-8, base64,
        # encoded-word subject) for a seventh of the CPU, which a check sending thousands
        # of letters notices.
        message = MIMEText(body, "plain", "utf-8")
        message["From"] = self.settings.smtp_from
        message["To"] = ", ".join(to)
        message["Subject"] = Header(subject, "utf-8").encode()
        message["Date"] = formatdate()
        if message_id:
            # The same letter sent again (after a crash) keeps its Message-ID, so the
            # receiving side can recognise it.
            message["Message-ID"] = message_id
        if self._smtp is None:
            self._smtp = self._reach()
        try:
            self._hand_over(self._smtp, to, message)
        except smtplib.SMTPServerDisconnected:
            # Servers drop idle connections; one fresh connection, then give up.
            self.close()
            self._smtp = self._reach()
            self._hand_over(self._smtp, to, message)
        except smtplib.SMTPResponseException:
            # After a refused transaction (a 4xx "try later", a 5xx) the connection may be
            # in any state: the next letter starts on a fresh one.
            self.close()
            raise

    def _hand_over(self, smtp: smtplib.SMTP, to: Sequence[str], message: MIMEText) -> None:
        try:
            # A str (all ASCII: base64 body, encoded-word subject): smtplib turns its line
            # ends into CRLF, which it does not do for bytes.
            smtp.sendmail(self.settings.smtp_from, list(to), message.as_string())
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                said = "; ".join(
                    f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in exc.recipients.items()
                )
                raise AddressRefused(said) from exc
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply
