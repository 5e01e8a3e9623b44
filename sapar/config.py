"""Typed settings, from the environment (SAPAR_*) or a .env file, with embedded defaults."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAPAR_", env_file=".env", extra="ignore")

    var_dir: Path = Path("var")
    # The app's own database; Prefect keeps its own, separately.
    database_url: str = "sqlite:///var/sapar.db"
    files_dir: Path = Path("var/files")
    # The university's time zone: the day turns at midnight in Osh (sapar/clock.py).
    timezone: str = "Asia/Bishkek"
    # Pins the service's "today" (sapar/clock.py) to one date, for the benchmark's data;
    # unset in production.
    today: date | None = None
    default_language: str = "ky"
    # Regulation settings with documented defaults live in states.policy.Policy; a JSON file
    # here overrides them (see README, "Settings the regulation leaves open").
    policy_file: Path | None = None
    # Names of the rector, vice-rectors, deans, ... printed on orders (sapar/officials.py).
    officials_file: Path | None = None
    # The staff service (sapar/web, sapar/api, `sapar serve`).
    host: str = "127.0.0.1"
    port: int = 8000
    # The first admin's password on a fresh database; without it one is generated and
    # printed once by `sapar serve`.
    admin_password: str | None = None
    session_hours: int = 12
    # Behind HTTPS in production: the session cookie is then sent over HTTPS only.
    secure_cookies: bool = False
    # Deadline reminders (flows/, sapar/services/deadlines.py): days before the due date;
    # the day after it the participant is told it is overdue and the dean's office and
    # ЭАБД are told too.
    reminder_days_before: tuple[int, ...] = (7, 1)
    # E-mail over SMTP; without a host, reminders are only recorded (and shown in the web).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "sapar@oshsu.kg"
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = 10.0
    # Ask Prefect for a step's documents right after it (a background task, flows/trigger.py);
    # off: they wait for the sweep (at most 5 minutes). Tests switch it off unless they run
    # a Prefect of their own.
    on_demand_documents: bool = True
    # The participants' portal (/portal): sign-in links are good once, for this long; they
    # are sent to addresses at these domains, or to an address a case already names (guests).
    # Without an SMTP host the letters are written to var_dir/mail (one .eml per letter).
    portal_link_minutes: int = 15
    portal_email_domains: tuple[str, ...] = ("oshsu.kg",)
    portal_session_hours: int = 2
    # Letters go out through this many parallel senders, each with its own SMTP connection.
    smtp_senders: int = 8
    # One deadline check at a time: a second one waits this long for the running one to
    # finish (then does what is left), else stops with an error.
    deadline_check_wait_seconds: float = 900.0
    # A secret kept outside the database (an environment variable, a vault): with it, the
    # head of each case's history carries an HMAC, so rewriting a history and recomputing
    # its hashes is still detected by `sapar audit verify`. Keep the same key on every
    # machine (web, workers); `sapar audit sign` signs the histories written before it.
    audit_key: str | None = None
    # The embedded Prefect (`sapar serve`): its own SQLite under prefect_home, UI on this port.
    prefect_home: Path = Path("var/prefect")
    prefect_host: str = "127.0.0.1"
    prefect_port: int = 4200
    # PDF copies (sapar/services/pdf_copies.py): LibreOffice is killed after this long, and
    # a request waits at most this long for its turn (one conversion at a time).
    pdf_timeout_seconds: float = 60.0
    pdf_wait_seconds: float = 20.0


@lru_cache
def get_settings() -> Settings:
    return Settings()
