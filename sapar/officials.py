"""Who signs and approves the university's papers: a registry of posts and who held them when.

Appointments change, so an order prints who held each post on the order's date, read from
the `officials` table an administrator edits (web: /officials; CLI: `sapar officials`;
and the file named by SAPAR_OFFICIALS_FILE, imported at start). There are no built-in
names: a paper whose signer or approver is not on record is refused at the step that asks
for it, naming the post and who can fix it (4.1, 4.8) — never printed with "—".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from sapar.faculties import faculty_genitive
from states.guards import Refusal


class Post(StrEnum):
    rector = "rector"
    vice_rector_academic = "vice_rector_academic"
    vice_rector_research = "vice_rector_research"
    iro_director = "iro_director"
    """Director of ЭАБД, the International Relations Department."""
    lawyer = "lawyer"
    """Head of the legal department, who endorses orders."""
    registrar = "registrar"
    """Head of the academic affairs office (окуу-методикалык башкармалыгы)."""
    dean = "dean"
    deputy_dean_international = "deputy_dean_international"
    deputy_dean_academic = "deputy_dean_academic"
    head_of_department = "head_of_department"


PER_FACULTY = frozenset({Post.dean, Post.deputy_dean_international, Post.deputy_dean_academic})
PER_DEPARTMENT = frozenset({Post.head_of_department})

# What a post is called on pages and in refusals: (ky, ru, en).
POST_NAMES: dict[Post, tuple[str, str, str]] = {
    Post.rector: ("ректор", "ректор", "rector"),
    Post.vice_rector_academic: (
        "окуу иштери боюнча проректор",
        "проректор по учебной работе",
        "vice-rector for academic affairs",
    ),
    Post.vice_rector_research: (
        "илимий иштер боюнча проректор",
        "проректор по научной работе",
        "vice-rector for research",
    ),
    Post.iro_director: ("ЭАБДнын директору", "директор ДМС", "director of the IRD (ЭАБД)"),
    Post.lawyer: (
        "юридикалык бөлүмдүн башчысы",
        "начальник юридического отдела",
        "head of the legal department",
    ),
    Post.registrar: (
        "окуу-методикалык башкармалыгынын башчысы",
        "начальник учебно-методического управления",
        "head of the academic affairs office",
    ),
    Post.dean: ("декан", "декан", "dean"),
    Post.deputy_dean_international: (
        "эл аралык байланыштар боюнча декандын орун басары",
        "заместитель декана по международным связям",
        "deputy dean for international relations",
    ),
    Post.deputy_dean_academic: (
        "окуу иштери боюнча декандын орун басары",
        "заместитель декана по учебной работе",
        "deputy dean for academic affairs",
    ),
    Post.head_of_department: ("кафедра башчысы", "заведующий кафедрой", "head of department"),
}
_LANG = {"ky": 0, "ru": 1, "en": 2}


def post_name(post: Post | str, language: str) -> str:
    return POST_NAMES[Post(post)][_LANG.get(language, 0)]


# The printed position (ky, ru, en) of the university-wide posts.
_TITLES: dict[Post, tuple[str, str, str]] = {
    Post.rector: ("Ректор", "Ректор", "Rector"),
    Post.vice_rector_academic: (
        "Окуу иштери боюнча проректор",
        "Проректор по учебной работе",
        "Vice-Rector for Academic Affairs",
    ),
    Post.vice_rector_research: (
        "Илимий иштер боюнча проректор",
        "Проректор по научной работе",
        "Vice-Rector for Research",
    ),
    Post.iro_director: (
        "Эл аралык байланыштар департаментинин директору",
        "Директор департамента международных связей",
        "Director of the International Relations Department",
    ),
    Post.lawyer: (
        "Юридикалык бөлүмдүн башчысы",
        "Начальник юридического отдела",
        "Head of the Legal Department",
    ),
    Post.registrar: (
        "Окуу-методикалык башкармалыгынын башчысы",
        "Начальник учебно-методического управления",
        "Head of the Academic Affairs Office",
    ),
}


def default_titles(post: Post | str, unit: str = "") -> dict[str, str]:
    """The printed position in each language, where it follows from the post and the unit;
    a department head's title names the department, which only a person can translate."""
    post = Post(post)
    if post in _TITLES:
        ky, ru, en = _TITLES[post]
        return {"ky": ky, "ru": ru, "en": en}
    if post is Post.head_of_department:
        return {"ky": f"{unit}{'нын' if unit.endswith('кафедрасы') else ''} башчысы"}
    ky_of, ru_of, en_of = (faculty_genitive(unit, lang) for lang in ("ky", "ru", "en"))
    if post is Post.dean:
        return {"ky": f"{ky_of} деканы", "ru": f"Декан {ru_of}", "en": f"Dean, {en_of}"}
    what = {
        Post.deputy_dean_international: (
            "эл аралык байланыштар",
            "по международным связям",
            "International Relations",
        ),
        Post.deputy_dean_academic: ("окуу иштери", "по учебной работе", "Academic Affairs"),
    }[post]
    return {
        "ky": f"{ky_of} {what[0]} боюнча декандын орун басары",
        "ru": f"Заместитель декана {ru_of} {what[1]}",
        "en": f"Deputy Dean for {what[2]}, {en_of}",
    }


@dataclass(frozen=True)
class Official:
    post: Post
    full_name: str
    valid_from: date
    unit: str = ""
    titles: Mapping[str, str] = field(default_factory=dict)
    valid_to: date | None = None
    email: str = ""
    phone: str = ""
    id: int | None = None

    def title(self, language: str) -> str:
        """The printed position in `language`; English falls back to Russian, then Kyrgyz."""
        for lang in (language, "ru" if language == "en" else "ky", "ky"):
            if self.titles.get(lang):
                return self.titles[lang]
        return default_titles(self.post, self.unit).get(language, post_name(self.post, language))

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


Need = tuple[Post, str]
"""A post a paper needs and its unit (faculty, department, or "")."""


@dataclass(frozen=True)
class OfficialMissing(Refusal):
    """No one on record holds a post a paper needs on the paper's date."""

    post: str = ""
    unit: str = ""
    day: date | None = None

    def say(self, language: str) -> str:
        name = post_name(self.post, language)
        where = f" ({self.unit})" if self.unit else ""
        day = self.day.strftime("%d.%m.%Y") if self.day else ""
        text = {
            "ky": f"{day} күнгө {name}{where} катталган эмес: администратор бул кызматты "
            "ээлеген адамды «Кызмат адамдары» бетине (/officials) кошот",
            "ru": f"На {day} не указан {name}{where}: администратор добавляет того, кто "
            "занимает эту должность, на странице «Должностные лица» (/officials)",
            "en": f"No {name}{where} is on record for {day}: an administrator adds who holds "
            "the post on the Officials page (/officials)",
        }
        return f"{text.get(language, text['en'])} — {self.clause}"


def missing_official(post: Post, unit: str, day: date) -> OfficialMissing:
    """The refusal; its `rule` is the English text, `say(language)` gives ky/ru/en."""
    blank = OfficialMissing(rule="", clause="4.1, 4.8", post=post.value, unit=unit, day=day)
    return replace(blank, rule=blank.say("en").rsplit(" — ", 1)[0])


class OfficialsMissing(LookupError):
    """Raised while building a paper: the posts with no one on record on its date."""

    def __init__(self, refusals: Iterable[OfficialMissing]) -> None:
        self.refusals = tuple(refusals)
        super().__init__("; ".join(str(r) for r in self.refusals))


class Officials:
    """The registry as read for one paper: who held which post on which day."""

    def __init__(self, entries: Iterable[Official] = ()) -> None:
        self._by_post: dict[tuple[Post, str], list[Official]] = {}
        for entry in entries:
            self._by_post.setdefault((Post(entry.post), entry.unit), []).append(entry)
        for held in self._by_post.values():
            held.sort(key=lambda o: o.valid_from, reverse=True)

    def holder(self, post: Post, unit: str = "", *, on: date) -> Official | None:
        """Who held `post` in `unit` on `on` (the latest appointment, if two overlap)."""
        unit = unit if post in PER_FACULTY | PER_DEPARTMENT else ""
        for official in self._by_post.get((post, unit), ()):
            if official.holds_on(on):
                return official
        return None

    def missing(self, needs: Iterable[Need], *, on: date) -> list[OfficialMissing]:
        seen: set[Need] = set()
        refusals = []
        for post, unit in needs:
            unit = unit if post in PER_FACULTY | PER_DEPARTMENT else ""
            if (post, unit) in seen:
                continue
            seen.add((post, unit))
            if self.holder(post, unit, on=on) is None:
                refusals.append(missing_official(post, unit, on))
        return refusals

    def require(self, post: Post, unit: str = "", *, on: date) -> Official:
        official = self.holder(post, unit, on=on)
        if official is None:
            raise OfficialsMissing([missing_official(post, unit, on)])
        return official
