"""The service's one clock: "now" for the moments it records, "today" for the dates it decides by.

Nothing else in sapar/, flows/, storage/ or documents/ reads the machine's clock (a unit test
checks), and states/ is handed its dates. "Today" is the date at the university, in the
settings' time zone, whatever zone the machine running the code is set to: a server kept in
UTC still turns the day at midnight in Osh, not at 6 in the morning.

SAPAR_TODAY pins "today" (the benchmark generates its data for one fixed day and runs the
service on that day). "Now" is never pinned: sessions, sign-in links, retries and locks
count real time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sapar.config import get_settings


def now() -> datetime:
    """This moment, in UTC: what every timestamp column stores."""
    return datetime.now(UTC)


def zone() -> ZoneInfo:
    """The university's time zone (SAPAR_TIMEZONE)."""
    return ZoneInfo(get_settings().timezone)


def local(at: datetime) -> datetime:
    """A moment on the university's wall clock (a stored UTC timestamp, as a clerk reads it)."""
    return at.astimezone(zone())


def today() -> date:
    """The date at the university now (or the date SAPAR_TODAY pins)."""
    pinned = get_settings().today
    return pinned if pinned is not None else local(now()).date()
