"""The gettext catalogs: every message in ky, ru and en, and every key the code uses exists."""

from __future__ import annotations

import re
import shutil
from functools import partial
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from sapar import i18n

ROOT = Path(__file__).resolve().parents[2]
# t(lang, "key"...) in Python; _("key"...) / gettext("key") in pages and Python.
PHRASE_USES = (
    re.compile(r"\bt\(\s*[\w.\[\]\"']+\s*,\s*\"([a-z_][\w.]*[a-z0-9])\""),
    re.compile(r"(?<![\w.])(?:_|gettext)\(\s*\"([a-z_][\w.]*\.[\w.]*[a-z0-9])\""),
)
# label(lang, "group", ...), labels(lang, "group"), L("group", ...) in pages.
GROUP_USES = (
    re.compile(r"\blabels?\(\s*[\w.]+\s*,\s*\"(\w+)\""),
    re.compile(r"(?<![\w.])L\(\s*\"(\w+)\""),
)


def sources() -> list[Path]:
    """Every file that may show a message (sapar/i18n.py only explains how to)."""
    found = [*ROOT.joinpath("sapar").rglob("*.py"), *ROOT.joinpath("flows").rglob("*.py")]
    found += ROOT.joinpath("sapar", "web", "templates").rglob("*.html")
    return [path for path in found if path.name != "i18n.py"]


def used(patterns: tuple[re.Pattern[str], ...]) -> dict[str, str]:
    """Each literal key the code uses → one file using it."""
    keys: dict[str, str] = {}
    for path in sources():
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            for key in pattern.findall(text):
                keys.setdefault(key, str(path.relative_to(ROOT)))
    return keys


def test_every_message_exists_in_kyrgyz_russian_and_english() -> None:
    problems = [str(p) for p in i18n.catalog_problems()]
    assert problems == [], "\n".join(problems)


def test_every_phrase_the_code_and_pages_use_is_in_the_catalogs() -> None:
    keys = used(PHRASE_USES)
    assert len(keys) > 100  # the scan does find the uses
    missing = {key: where for key, where in keys.items() if i18n.gettext("en", key) is None}
    assert missing == {}


def test_every_label_group_the_code_and_pages_use_has_labels() -> None:
    groups = used(GROUP_USES)
    assert {"state", "kind", "event"} <= set(groups)
    empty = {group: where for group, where in groups.items() if not i18n.labels("en", group)}
    assert empty == {}


def test_a_message_missing_in_one_language_is_reported(tmp_path: Path) -> None:
    shutil.copytree(i18n.LOCALE_DIR, tmp_path, dirs_exist_ok=True)
    russian = [m for m in i18n.read_catalog("ru", tmp_path) if m.id and m.id != "nav.cases"]
    i18n.write_catalog("ru", russian, tmp_path)
    english = [m for m in i18n.read_catalog("en", tmp_path) if m.id]
    english.append(Message("case.title", "Case {number}", context="odd"))
    i18n.write_catalog("en", english, tmp_path)
    problems = {(p.lang, p.key, p.what) for p in i18n.catalog_problems(tmp_path)}
    assert ("ru", "nav.cases", "missing") in problems
    assert ("ky", "odd|case.title", "missing") in problems


def test_placeholders_that_differ_between_languages_are_reported(tmp_path: Path) -> None:
    shutil.copytree(i18n.LOCALE_DIR, tmp_path, dirs_exist_ok=True)
    kyrgyz = [m for m in i18n.read_catalog("ky", tmp_path) if m.id]
    for message in kyrgyz:
        if message.id == "case.title":
            message.string = "Иш №{number}"
    i18n.write_catalog("ky", kyrgyz, tmp_path)
    problems = [p for p in i18n.catalog_problems(tmp_path) if p.key == "case.title"]
    assert [p.what.startswith("placeholders") for p in problems] == [True]


def test_the_catalogs_are_read_back_exactly_as_written(tmp_path: Path) -> None:
    for lang in i18n.LANGUAGES:
        text = i18n.po_path(lang).read_text(encoding="utf-8")
        messages = [m for m in i18n.read_catalog(lang) if m.id]
        assert i18n.render_po(lang, messages) == text  # `add` rewrites nothing else


def test_phrases_and_labels_come_from_gettext_in_each_language() -> None:
    assert i18n.t("ky", "nav.cases") == "Иштер"
    assert i18n.t("ru", "case.title", id=7) == "Дело №7"
    assert i18n.t("en", "case.title", id=7) == "Case #7"
    assert i18n.label("ru", "role", "rector") == "Ректор"
    assert i18n.label("en", "state", "no_such_state") == "no such state"
    assert list(i18n.labels("en", "scope")) == ["international", "domestic"]


def test_adding_a_message_writes_all_three_languages_beside_its_kin(tmp_path: Path) -> None:
    shutil.copytree(i18n.LOCALE_DIR, tmp_path, dirs_exist_ok=True)
    i18n.add("nav.inbox", ("Кирүүчүлөр", "Входящие", "Inbox"), locale_dir=tmp_path)
    i18n.add(
        "tentative", ("Болжол", "Предварительно", "Tentative"), group="state", locale_dir=tmp_path
    )
    with pytest.raises(ValueError, match="exists"):
        i18n.add("nav.inbox", ("a", "b", "c"), locale_dir=tmp_path)
    with pytest.raises(ValueError, match="placeholders"):
        i18n.add("nav.count", ("{n}", "{n}", "{count}"), locale_dir=tmp_path)
    russian = {i18n.entry_key(m): m.string for m in i18n.read_catalog("ru", tmp_path)}
    assert russian["nav.inbox"] == "Входящие"
    assert russian["state|tentative"] == "Предварительно"
    ids = [i18n.entry_key(m) for m in i18n.read_catalog("en", tmp_path) if m.id]
    assert ids[ids.index("nav.inbox") - 1].startswith("nav.")
    assert ids[ids.index("state|tentative") - 1].startswith("state|")
    assert list(i18n.catalog_problems(tmp_path)) == []


def test_pages_translate_through_jinja_i18n_in_the_language_of_the_request() -> None:
    from sapar.web.render import _ngettext, templates

    page = templates.env.from_string(
        "{% trans %}nav.cases{% endtrans %} | {{ _('case.title', id=3) }}"
    )
    for lang, expected in {"ky": "Иштер | Иш №3", "ru": "Дела | Дело №3"}.items():
        gettext = partial(i18n.t, lang)
        ngettext = partial(_ngettext, lang)
        assert page.render(gettext=gettext, ngettext=ngettext) == expected
