"""The interface in Kyrgyz (default), Russian and English, from gettext catalogs.

HOW TO ADD A MESSAGE (every word a user reads; all three languages, always):

    .venv/bin/python -m sapar.i18n add KEY "кыргызча" "по-русски" "in English"
    .venv/bin/python -m sapar.i18n add --label GROUP VALUE "кыргызча" "по-русски" "in English"
    .venv/bin/python -m sapar.i18n check       # what the catalog test checks, in a second

then use it: `t(lang, "KEY", n=3)` in Python, `{{ _("KEY", n=3) }}` in a page,
`label(lang, "GROUP", value)` / `{{ L("GROUP", value) }}` for the name of a stored value.
Placeholders are `{name}` (str.format) and must be the same in the three languages.
`add` writes sapar/locale/<ky|ru|en>/LC_MESSAGES/messages.po, putting the entry beside its
kin (same key prefix, or same label group), so two branches rarely touch the same lines; it
refuses a key that exists (edit the .po files by hand to change a wording: the msgid is the
key, labels carry `msgctxt "GROUP"`). After a merge conflict in a .po keep both sides' entries
and run `check`. tests/unit/test_i18n_catalogs.py fails when a message lacks a language, when
placeholders differ, or when a key used in code or pages is in no catalog.

The .po files are the source; they are compiled to gettext (.mo) in memory at import, so a
fresh clone needs no build step."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import escape, read_po
from babel.support import Translations

LANGUAGES: tuple[str, ...] = ("ky", "ru", "en")
LANGUAGE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).parent / "locale"
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(lang: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    with po_path(lang, locale_dir).open("rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN)


@cache
def translations(lang: str) -> Translations:
    """The language's catalog as a gettext object (compiled to .mo in memory)."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(lang if lang in LANGUAGES else "ky"))
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def negotiate(accept_language: str | None) -> str | None:
    """The first of our languages an Accept-Language header asks for ("ru-RU,ru;q=0.9,en")."""
    wanted: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            wanted.append((-quality, i, primary))
    return min(wanted)[2] if wanted else None


def gettext(lang: str, key: str) -> str | None:
    """The phrase in `lang`, or None when the catalog lacks it."""
    text = translations(lang).gettext(key)
    return None if text == key else text


def t(lang: str, key: str, **values: object) -> str:
    """The phrase in `lang`; the key itself if it is not in the catalog (shows up in review)."""
    text = translations(lang).gettext(key)
    return text.format(**values) if values else text


def label(lang: str, group: str, value: object) -> str:
    """The name of a stored value (a state, a step, a paper...) in `lang`."""
    if value is None:
        return "—"
    key = str(getattr(value, "value", value))
    text = str(translations(lang).pgettext(group, key))
    return key.replace("_", " ") if text == key else text


@cache
def _label_keys(group: str) -> tuple[str, ...]:
    return tuple(
        str(m.id) for m in read_catalog("en") if m.context == group and isinstance(m.id, str)
    )


def labels(lang: str, group: str) -> dict[str, str]:
    """Every label of a group, in the catalog's order (the order options are offered in)."""
    return {key: label(lang, group, key) for key in _label_keys(group)}


# --- the catalogs' upkeep (python -m sapar.i18n ...) -----------------------------------------


@dataclass(frozen=True)
class Problem:
    lang: str
    key: str
    what: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.key}: {self.what}"


def entry_key(message: Message) -> str:
    return f"{message.context}|{message.id}" if message.context else str(message.id)


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def catalog_problems(locale_dir: Path = LOCALE_DIR) -> Iterator[Problem]:
    """Every message present in one language but missing, empty or fuzzy in another, and every
    message whose placeholders differ between languages."""
    catalogs = {
        lang: {entry_key(m): m for m in read_catalog(lang, locale_dir) if m.id}
        for lang in LANGUAGES
    }
    every = set().union(*catalogs.values())
    for key in sorted(every):
        english = catalogs["en"].get(key)
        reference = placeholders(str(english.string)) if english and english.string else None
        for lang in LANGUAGES:
            message = catalogs[lang].get(key)
            if message is None or not message.string:
                yield Problem(lang, key, "missing")
                continue
            if message.fuzzy:
                yield Problem(lang, key, "fuzzy (unchecked) translation")
            found = placeholders(str(message.string))
            if reference is not None and found != reference:
                yield Problem(lang, key, f"placeholders {sorted(found)} ≠ en {sorted(reference)}")


_HEADER = """# sapar's messages in {name}. Add with `python -m sapar.i18n add` (see sapar/i18n.py).
msgid ""
msgstr ""
"Project-Id-Version: sapar\\n"
"Language: {lang}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""


def render_po(lang: str, messages: list[Message]) -> str:
    """A catalog as .po text: a fixed header, then the entries in the given order (no dates,
    no line wrapping, so the file changes only where a message does)."""
    blocks = [_HEADER.format(name=LANGUAGE_NAMES[lang], lang=lang)]
    for message in messages:
        lines = [f"#, {', '.join(sorted(message.flags))}"] if message.flags else []
        if message.context:
            lines.append(f"msgctxt {escape(message.context)}")
        lines.append(f"msgid {escape(str(message.id))}")
        lines.append(f"msgstr {escape(str(message.string))}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def write_catalog(lang: str, messages: list[Message], locale_dir: Path = LOCALE_DIR) -> None:
    path = po_path(lang, locale_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_po(lang, messages), encoding="utf-8")


def add(
    key: str,
    texts: tuple[str, str, str],
    *,
    group: str | None = None,
    locale_dir: Path = LOCALE_DIR,
) -> None:
    """Add one message to the three catalogs, beside the entries most like it."""
    if any(not text.strip() for text in texts):
        raise ValueError("a message needs a text in each of ky, ru, en")
    marks = [placeholders(text) for text in texts]
    if any(mark != marks[0] for mark in marks):
        raise ValueError(f"placeholders differ between languages: {marks}")
    prefix = key.rsplit(".", 1)[0] + "." if group is None and "." in key else None
    for lang, text in zip(LANGUAGES, texts, strict=True):
        entries = [m for m in read_catalog(lang, locale_dir) if m.id]
        if any(m.id == key and m.context == group for m in entries):
            raise ValueError(f"{lang}: {group + '|' if group else ''}{key} exists already")
        kin = [
            i
            for i, m in enumerate(entries)
            if (group is not None and m.context == group)
            or (prefix is not None and m.context is None and str(m.id).startswith(prefix))
        ]
        entries.insert(kin[-1] + 1 if kin else len(entries), Message(key, text, context=group))
        write_catalog(lang, entries, locale_dir)
    translations.cache_clear()
    _label_keys.cache_clear()


def main(argv: list[str]) -> int:
    usage = "python -m sapar.i18n add KEY KY RU EN | add --label GROUP VALUE KY RU EN | check"
    if argv[:1] == ["check"]:
        problems = list(catalog_problems())
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    if argv[:2] == ["add", "--label"] and len(argv) == 7:
        add(argv[3], (argv[4], argv[5], argv[6]), group=argv[2])
        return 0
    if argv[:1] == ["add"] and len(argv) == 5:
        add(argv[1], (argv[2], argv[3], argv[4]))
        return 0
    print(usage, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
