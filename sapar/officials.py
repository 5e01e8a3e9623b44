"""Who signs, approves and executes the university's papers.

Names change with appointments, so they are settings (a JSON file named by
SAPAR_OFFICIALS_FILE), not code. The defaults are placeholders a registrar replaces.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict


class Official(BaseModel):
    model_config = ConfigDict(frozen=True)

    full_name: str
    position: str
    email: str = ""
    phone: str = ""


class Officials(BaseModel):
    model_config = ConfigDict(frozen=True)

    rector: Official = Official(full_name="К. Ж. Кожобеков", position="ОшМУнун ректору")
    vice_rector_academic: Official = Official(
        full_name="Н. А. Айтиева", position="Окуу иштери боюнча проректор"
    )
    vice_rector_research: Official = Official(
        full_name="Т. С. Исаков", position="Илимий иштер боюнча проректор"
    )
    iro_head: Official = Official(
        full_name="Г. Т. Мамытова",
        position="Эл аралык байланыштар департаментинин директору",
        email="iro@oshsu.kg",
        phone="+996 3222 7-07-12",
    )
    lawyer: Official = Official(full_name="А. Б. Турдубаев", position="Юридикалык бөлүмдүн башчысы")
    registrar: Official = Official(
        full_name="Ж. К. Орозбаева", position="Окуу-методикалык башкармалыгынын башчысы"
    )
    # Per faculty: the dean and the deputy dean for international relations.
    deans: dict[str, Official] = {}
    deputy_deans: dict[str, Official] = {}

    def dean_of(self, faculty: str) -> Official:
        return self.deans.get(faculty) or Official(full_name="—", position=f"{faculty}, декан")

    def deputy_dean_of(self, faculty: str) -> Official:
        return self.deputy_deans.get(faculty) or Official(
            full_name="—", position=f"{faculty}, эл аралык байланыштар боюнча декандын орун басары"
        )


@lru_cache
def load_officials(path: Path | None) -> Officials:
    if path is None:
        return Officials()
    return Officials.model_validate(json.loads(path.read_text(encoding="utf-8")))
