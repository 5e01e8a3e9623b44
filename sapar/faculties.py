"""OshSU's faculties, as the case and user records name them (Kyrgyz, the state language).

A case or a user with a faculty outside this list is refused at the door: a typo would
otherwise hide a case from its own dean's office. Extend it by a release when a faculty
is opened or renamed.
"""

from __future__ import annotations

FACULTIES: tuple[str, ...] = (
    "Экономика факультети",
    "Математика жана информатика факультети",
    "Медицина факультети",
    "Эл аралык медицина факультети",
    "Юридикалык факультет",
    "Кыргыз филологиясы факультети",
    "Дүйнөлүк тилдер жана маданият факультети",
    "Физика-техникалык факультет",
    "Табигый илимдер жана география факультети",
    "Тарых факультети",
    "Педагогика жана психология факультети",
    "Эл аралык мамилелер факультети",
    "Бизнес жана башкаруу факультети",
    "Кыргыз-Өзбек факультети",
)


def is_faculty(name: str) -> bool:
    return name in FACULTIES
