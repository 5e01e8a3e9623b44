"""Errors in the user's language: guard refusals with their clause, validation errors with the
field's label, refused steps, conflicts and bad uploads. The domain and the services raise with
a message key and parameters (states/explained.py, states/guards.Refusal); this is the one place
that turns them into words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sapar.i18n import gettext, label, t
from states.explained import Explained
from states.guards import Refusal, RuleViolation
from storage.repository import ConcurrencyConflict

# A parameter's name says what it holds, and so how to name its value.
_LABELLED = {
    "doc": "doc",
    "state": "state",
    "event": "event",
    "kind": "kind",
    "role": "role",
    "scale": "scale",
}
_LISTED = {"events": "event", "roles": "role", "docs": "doc"}
_NUMBERED = re.compile(r"^[\d.]+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def value_text(lang: str, name: str, value: object) -> str:
    if name in _LABELLED:
        return label(lang, _LABELLED[name], value)
    if name in _LISTED and isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(label(lang, _LISTED[name], v) for v in value) or t(lang, "common.none")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and _ISO_DATE.match(value):
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def phrase(lang: str, key: str, params: Mapping[str, object]) -> str:
    return t(lang, key, **{name: value_text(lang, name, v) for name, v in params.items()})


def clause(lang: str, text: str) -> str:
    """ "4.2, Student duties" → "4.2, Студенттин милдеттери": numbers stay, sections are named."""
    parts = [part.strip() for part in text.split(",")]
    return ", ".join(p if _NUMBERED.match(p) else label(lang, "clause", p) for p in parts)


def refusal(lang: str, found: Refusal) -> str:
    """What is missing or wrong, then the clause of the regulation that asks for it."""
    if hasattr(found, "say"):  # a refusal that words itself (sapar.officials.OfficialMissing)
        return str(found.say(lang))
    text = phrase(lang, f"refusal.{found.key}", found.params) if found.key else found.rule
    return t(lang, "refusal.with_clause", rule=text, clause=clause(lang, found.clause))


def _storable(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_storable(v) for v in value]
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


def said(exc: BaseException) -> list[dict[str, Any]]:
    """A refusal as message keys and parameters, to keep in the history (JSON) and say later
    in whichever language the reader has chosen."""
    if isinstance(exc, RuleViolation):
        return [
            {
                "key": f"refusal.{r.key}",
                "params": {k: _storable(v) for k, v in r.params.items()},
                "clause": r.clause,
            }
            for r in exc.refusals
            if r.key
        ]
    if isinstance(exc, Explained) and exc.key:
        return [
            {"key": f"error.{exc.key}", "params": {k: _storable(v) for k, v in exc.params.items()}}
        ]
    if isinstance(exc, ConcurrencyConflict):
        key, values = getattr(exc, "key", None), getattr(exc, "values", {})
        if isinstance(key, str):
            return [{"key": key, "params": {k: _storable(v) for k, v in values.items()}}]
        return [{"key": "error.conflict", "params": {}}]
    return []


def history_reason(lang: str, reason: str | None, data: Mapping[str, Any] | None) -> str:
    """What the history says about an event: a refusal in the reader's language; a reason a
    person typed, as typed."""
    lines = (data or {}).get("said") or []
    if not lines:
        return reason or ""
    out = []
    for line in lines:
        text = phrase(lang, str(line["key"]), dict(line.get("params") or {}))
        if line.get("clause"):
            text = t(lang, "refusal.with_clause", rule=text, clause=clause(lang, line["clause"]))
        out.append(text)
    return "; ".join(out)


def error(lang: str, exc: BaseException) -> str:
    """One sentence for any refusal that carries a message key."""
    if isinstance(exc, Explained) and exc.key:
        return phrase(lang, f"error.{exc.key}", exc.params)
    return str(exc)


# --- validation (pydantic) -------------------------------------------------------------------

# pydantic's error types whose context we name; anything else reads "validation.invalid".
_CONTEXT = ("min_length", "max_length", "ge", "le", "gt", "lt", "expected", "error", "value")


def field_label(lang: str, field: str) -> str:
    """participant.gpa → "GPA (4.0 шкала)"; a field we have no label for keeps its name."""
    name = field.rsplit(".", 1)[-1]
    for key in (f"field.{field}", f"field.{name}"):
        text = gettext(lang, key)
        if text is not None:
            return text
    return field


def validation_message(lang: str, error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", "invalid"))
    context = dict(error.get("ctx") or {})
    if kind.endswith("_type") and error.get("input", "") is None:
        kind = "missing"  # a blank form field arrives as None
    if kind == "value_error":
        # A plain ValueError from a validator: its words are English, say it generally.
        kind = "invalid"
    key = f"validation.{kind}" if gettext("en", f"validation.{kind}") else "validation.invalid"
    values: dict[str, object] = dict.fromkeys(_CONTEXT, "")
    values.update(context)
    if kind == "json_invalid":
        values["value"] = str(tuple(error.get("loc", ()))[-1])
    return phrase(lang, key, values)
