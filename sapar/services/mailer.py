"""E-mail over SMTP with the standard library: one connection per batch of letters."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from types import TracebackType
from typing import Protocol

from sapar.config import Settings


class Mailer(Protocol):
    """Sends one letter; raises when it could not be handed to the mail server."""

    def send(self, to: Sequence[str], subject: str, body: str) -> None: ...


class SmtpMailer:
    """Letters through the SMTP server of the settings.

    The connection opens at the first letter and is reused for the rest of the batch (a
    daily check may send hundreds); a broken connection is reopened once per letter.
    """

    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host:
            raise ValueError("smtp_host is not set: there is no mail server to send through")
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        # A server that cannot be reached fails every letter of the batch at once, rather
        # than each after its own connection timeout; the next check tries them again.
        self._unreachable: OSError | None = None

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
        try:
            return self._connect()
        except OSError as exc:  # refused, timed out, no route (smtplib errors are OSErrors too)
            if not isinstance(exc, smtplib.SMTPResponseException):
                self._unreachable = exc
            raise

    def send(self, to: Sequence[str], subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = ", ".join(to)
        message["Subject"] = subject
        message.set_content(body)
        if self._unreachable is not None:
            raise self._unreachable
        try:
            if self._smtp is None:
                self._smtp = self._reach()
            self._smtp.send_message(message)
        except smtplib.SMTPServerDisconnected:
            # Servers drop idle connections; one fresh connection, then give up.
            self.close()
            self._smtp = self._connect()
            self._smtp.send_message(message)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except smtplib.SMTPException:
                self._smtp.close()
            except OSError:
                self._smtp.close()
            self._smtp = None
