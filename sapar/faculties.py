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


# How the papers name a faculty in each language: Russian nominative and genitive ("декан
# экономического факультета"), English, and the Kyrgyz genitive ("… факультетинин деканы").
FACULTY_NAMES: dict[str, dict[str, str]] = {
    "Экономика факультети": {
        "ru": "Экономический факультет",
        "ru_gen": "экономического факультета",
        "en": "Faculty of Economics",
    },
    "Математика жана информатика факультети": {
        "ru": "Факультет математики и информатики",
        "ru_gen": "факультета математики и информатики",
        "en": "Faculty of Mathematics and Informatics",
    },
    "Медицина факультети": {
        "ru": "Медицинский факультет",
        "ru_gen": "медицинского факультета",
        "en": "Faculty of Medicine",
    },
    "Эл аралык медицина факультети": {
        "ru": "Международный медицинский факультет",
        "ru_gen": "международного медицинского факультета",
        "en": "International Medical Faculty",
    },
    "Юридикалык факультет": {
        "ru": "Юридический факультет",
        "ru_gen": "юридического факультета",
        "en": "Faculty of Law",
    },
    "Кыргыз филологиясы факультети": {
        "ru": "Факультет кыргызской филологии",
        "ru_gen": "факультета кыргызской филологии",
        "en": "Faculty of Kyrgyz Philology",
    },
    "Дүйнөлүк тилдер жана маданият факультети": {
        "ru": "Факультет мировых языков и культуры",
        "ru_gen": "факультета мировых языков и культуры",
        "en": "Faculty of World Languages and Culture",
    },
    "Физика-техникалык факультет": {
        "ru": "Физико-технический факультет",
        "ru_gen": "физико-технического факультета",
        "en": "Faculty of Physics and Technology",
    },
    "Табигый илимдер жана география факультети": {
        "ru": "Факультет естественных наук и географии",
        "ru_gen": "факультета естественных наук и географии",
        "en": "Faculty of Natural Sciences and Geography",
    },
    "Тарых факультети": {
        "ru": "Исторический факультет",
        "ru_gen": "исторического факультета",
        "en": "Faculty of History",
    },
    "Педагогика жана психология факультети": {
        "ru": "Факультет педагогики и психологии",
        "ru_gen": "факультета педагогики и психологии",
        "en": "Faculty of Pedagogy and Psychology",
    },
    "Эл аралык мамилелер факультети": {
        "ru": "Факультет международных отношений",
        "ru_gen": "факультета международных отношений",
        "en": "Faculty of International Relations",
    },
    "Бизнес жана башкаруу факультети": {
        "ru": "Факультет бизнеса и управления",
        "ru_gen": "факультета бизнеса и управления",
        "en": "Faculty of Business and Management",
    },
    "Кыргыз-Өзбек факультети": {
        "ru": "Кыргызско-узбекский факультет",
        "ru_gen": "кыргызско-узбекского факультета",
        "en": "Kyrgyz-Uzbek Faculty",
    },
}


def faculty_name(faculty: str, language: str) -> str:
    """The faculty's name in `language` ("ky", "ru", "en"); an unknown one as recorded."""
    if language == "ky":
        return faculty
    return FACULTY_NAMES.get(faculty, {}).get(language, faculty)


def faculty_genitive(faculty: str, language: str) -> str:
    """ "Экономика факультетинин" / "экономического факультета" / "Faculty of Economics"."""
    if language == "ky":
        if faculty.endswith("факультети"):
            return faculty + "нин"
        if faculty.endswith("факультет"):
            return faculty + "тин"
        return faculty
    if language == "ru":
        return FACULTY_NAMES.get(faculty, {}).get("ru_gen", faculty)
    return faculty_name(faculty, language)
