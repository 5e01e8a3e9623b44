"""Realistic sample contexts and `python -m documents.samples --out var/samples`.

Partners are real institutions from the OshTU 2024–25 report's partner list (seed 002),
programmes those of seed 000 (Erasmus+, Mevlana, DAAD, SCO University, ITEC, Osh
Declaration). Institution and faculty names are given in the document's language; personal
names are the same in both. Tests reuse these contexts.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from documents import names
from documents.kinds import TEMPLATED, DocumentKind, context_model
from documents.render import Language, languages_of, render

Data = dict[str, Any]


class _Say:
    """Picks the Kyrgyz, Russian or English wording of a sample value."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def __call__(self, ky: str, ru: str, en: str | None = None) -> str:
        if self.language == "en":
            # Only the papers that go abroad have English samples: a value without its
            # English wording is a gap in the sample, not Russian to print in English.
            if en is None:
                raise KeyError(f"no English wording of the sample value {ru!r}")
            return en
        return ky if self.language == "ky" else ru

    def name(self, full_name: str) -> str:
        """A person's name as the language's papers print it: Latin letters in English."""
        if self.language != "en":
            return full_name
        return LATIN_NAMES.get(full_name) or names.latin(full_name)


# The names as in the passports (the registry's full_name_latin), for the English papers.
LATIN_NAMES = {
    "Асанова Айпери Бакытбековна": "Asanova Aiperi Bakytbekovna",
    "Жолдошбеков Нурсултан Эрменович": "Zholdoshbekov Nursultan Ermenovich",
    "Мамытова Гүлзада Өмүрбековна": "Mamytova Gulzada Omurbekovna",
    "Үсөнов Өмүрбек Ңурланович": "Usonov Omurbek Nurlanovich",
    "К. Г. Кожобеков": "K. G. Kozhobekov",
    "А. А. Арзыбаев": "A. A. Arzybaev",
    "Ж. Т. Токтосунова": "Zh. T. Toktosunova",
    "Н. Б. Мамбетова": "N. B. Mambetova",
    "Г. Ө. Абдыкадырова": "G. O. Abdykadyrova",
    "С. Ж. Турдубаев": "S. Zh. Turdubaev",
    "Ч. С. Ташиева": "Ch. S. Tashieva",
}


def _officials(t: _Say) -> Data:
    return {
        "signer": {
            "full_name": t.name("К. Г. Кожобеков"),
            "position": t("Ректор", "Ректор", "Rector"),
        },
        "visas": [
            {
                "full_name": t.name("А. А. Арзыбаев"),
                "position": t(
                    "Окуу иштери боюнча проректор",
                    "Проректор по учебной работе",
                    "Vice-Rector for Academic Affairs",
                ),
            },
            {
                "full_name": t.name("Ж. Т. Токтосунова"),
                "position": t(
                    "Юридикалык бөлүмдүн башчысы",
                    "Начальник юридического отдела",
                    "Head of the Legal Department",
                ),
            },
            {
                "full_name": t.name("Н. Б. Мамбетова"),
                "position": t(
                    "ЭАБДнын директору",
                    "Директор ДМС",
                    "Director of the International Relations Department",
                ),
            },
        ],
        "executor": {"full_name": t.name("Г. Ө. Абдыкадырова"), "phone": "+996 3222 5-52-40"},
        "control": {
            "full_name": t.name("А. А. Арзыбаев"),
            "position": t(
                "окуу иштери боюнча проректор",
                "проректор по учебной работе",
                "Vice-Rector for Academic Affairs",
            ),
        },
        "responsible": [
            {
                "full_name": t.name("Н. Б. Мамбетова"),
                "position": t(
                    "ЭАБДнын директору",
                    "директор ДМС",
                    "Director of the International Relations Department",
                ),
            },
            {
                "full_name": t.name("С. Ж. Турдубаев"),
                "position": t(
                    "Экономика жана финансы факультетинин деканы",
                    "декан факультета экономики и финансов",
                    "Dean of the Faculty of Economics and Finance",
                ),
            },
        ],
    }


def _plan(t: _Say) -> Data:
    return {
        "academic_year": "2026–2027",
        "semester": t("жазгы", "весенний"),
        "host_courses": [
            {
                "title": "Microeconomics II",
                "credits": "6",
                "replaces": t("Микроэкономика", "Микроэкономика"),
            },
            {
                "title": "International Marketing",
                "credits": "5",
                "replaces": t("Маркетинг", "Маркетинг"),
            },
            {"title": "Turkish Language A2", "credits": "4", "replaces": None},
            {
                "title": "Data Analysis with Python",
                "credits": "7.5",
                "replaces": t("Эконометрика", "Эконометрика"),
            },
        ],
        "distance_courses": [
            {
                "title": t("Кыргызстандын тарыхы", "История Кыргызстана"),
                "credits": "3",
                "teacher": "Б. К. Осмонов",
            },
        ],
        "version": 2,
        "changes": [
            {
                "version": 2,
                "date": date(2026, 11, 10),
                "description": t(
                    "«Turkish Language A2» курсу кошулду (студенттин арызы боюнча).",
                    "Добавлен курс «Turkish Language A2» (по заявлению студента).",
                ),
            },
        ],
    }


_STUDENTS = [
    ("Асанова Айпери Бакытбековна", "ЭК-1-23", "budget"),
    ("Жолдошбеков Нурсултан Эрменович", "ЭК-2-23", "contract"),
    ("Мамытова Гүлзада Өмүрбековна", "ФН-1-22", "budget"),
    ("Үсөнов Өмүрбек Ңурланович", "ИТ-3-23", "budget"),
]


def _host(t: _Say, index: int) -> Data:
    hosts = [
        (
            t("Кастамону университети", "Университет Кастамону", "Kastamonu University"),
            t("Түркия", "Турция", "Türkiye"),
            "Mevlana",
            t("Мевлана программасынын гранты", "грант программы Мевлана", "Mevlana grant"),
        ),
        (
            t(
                "RISEBA колдонмо илимдер университети",
                "Университет прикладных наук RISEBA",
                "RISEBA University of Applied Sciences",
            ),
            t("Латвия", "Латвия", "Latvia"),
            "Erasmus+",
            t("Erasmus+ стипендиясы", "стипендия Erasmus+", "Erasmus+ scholarship"),
        ),
        (
            t(
                "Анхальт прикладдык илимдер университети",
                "Университет прикладных наук Анхальт",
                "Anhalt University of Applied Sciences",
            ),
            t("Германия", "Германия", "Germany"),
            "DAAD",
            t("DAAD стипендиясы", "стипендия DAAD", "DAAD scholarship"),
        ),
        (
            t(
                "Талас мамлекеттик университети",
                "Таласский государственный университет",
                "Talas State University",
            ),
            t("Кыргызстан", "Кыргызстан", "Kyrgyzstan"),
            t("Ош декларациясы", "Ошская декларация", "Osh Declaration"),
            t("студенттин өз каражаты", "собственные средства студента", "the student's own funds"),
        ),
    ]
    name, country, programme, funding = hosts[index % len(hosts)]
    return {
        "host_institution": name,
        "host_country": country,
        "programme": programme,
        "funding_source": funding,
    }


def _student(t: _Say, index: int) -> Data:
    name, group, tuition = _STUDENTS[index % len(_STUDENTS)]
    faculty = t(
        "Экономика жана финансы факультети",
        "Факультет экономики и финансов",
        "Faculty of Economics and Finance",
    )
    return {
        "full_name": t.name(name),
        "faculty": faculty,
        "specialty": t("Экономика", "Экономика", "Economics"),
        "year_of_study": 2 + index % 2,
        "group": t.name(group),  # a code in the letters of the language: ЭК-1-23 / EK-1-23
        "tuition": tuition,
        "period_from": date(2027, 2, 1),
        "period_to": date(2027, 6, 30),
    }


# Each host's invitation of the sample students (number and date as the host wrote them).
_INVITATIONS = [
    ("E-2214", date(2026, 10, 28)),
    ("IR/2026/117", date(2026, 11, 2)),
    ("HSA-INT-0412", date(2026, 11, 4)),
    ("01-12/389", date(2026, 11, 6)),
]


def _nomination(t: _Say) -> Data:
    return {
        "issuer": t(
            "Экономика жана финансы факультетинин деканы",
            "декан факультета экономики и финансов",
        ),
        "number": "87",
        "date": date(2026, 11, 12),
    }


def outgoing_student(t: _Say, i: int) -> Data:
    """One row of the mobility order: the student, the host, and the student's own bases."""
    number, day = _INVITATIONS[i % len(_INVITATIONS)]
    host = _host(t, i)
    return {
        **_student(t, i),
        **host,
        "scholarship_kept": _student(t, i)["tuition"] == "budget",
        "invitation": {"issuer": host["host_institution"], "number": number, "date": day},
        "nomination": _nomination(t),
    }


def mobility_order(t: _Say) -> Data:
    officials = _officials(t)
    return {
        "number": "412/01-ст",
        "date": date(2026, 11, 23),
        **officials,
        "students": [outgoing_student(t, i) for i in range(4)],
        "note": t(
            "ЭАБД студенттерге жолдомо каттарын 2027-жылдын 15-январына чейин берсин.",
            "ДМС выдать студентам направления до 15 января 2027 г.",
        ),
    }


def staff_trip_order(t: _Say) -> Data:
    officials = _officials(t)
    officials["signer"] = {
        "full_name": "Т. А. Жумабаев",
        "position": t("Илимий иштер боюнча проректор", "Проректор по научной работе"),
    }
    del officials["responsible"]
    return {
        "number": "95/02-к",
        "date": date(2026, 11, 23),
        **officials,
        "staff": {
            "full_name": "Сыдыкова Бермет Талантбековна",
            "position": t("доцент", "доцент"),
            "department": t("Информатика кафедрасы", "кафедра информатики"),
            "faculty": t(
                "Математика жана информатика факультети", "факультет математики и информатики"
            ),
        },
        "invitation": {
            "issuer": t(
                "Ражшри башкаруу жана технология институту",
                "Институт управления и технологий Раджшри",
            ),
            "number": "RIMT/INT/58",
            "date": date(2026, 11, 5),
        },
        "host_institution": t(
            "Ражшри башкаруу жана технология институту", "Институт управления и технологий Раджшри"
        ),
        "host_country": t("Индия", "Индия"),
        "host_city": t("Варанаси", "Варанаси"),
        "period_from": date(2027, 1, 11),
        "period_to": date(2027, 1, 24),
        "purpose": t(
            "ITEC программасы боюнча квалификацияны жогорулатуу курсу жана конок лекциялар",
            "курсы повышения квалификации по программе ITEC и гостевые лекции",
        ),
        "funding_source": t(
            "ITEC программасы (Индия өкмөтү)", "программа ITEC (правительство Индии)"
        ),
        "university_funds": False,
        "substitute": t("доцент А. М. Эшимова", "доцент А. М. Эшимова"),
        "project": None,
    }


def return_order(t: _Say) -> Data:
    officials = _officials(t)
    students = []
    for i in range(3):
        s = _student(t, i)
        students.append(
            {k: s[k] for k in ("full_name", "faculty", "specialty", "year_of_study", "group")}
            | {
                "period_from": date(2026, 2, 2),
                "period_to": date(2026, 6, 30),
                "documents_due": date(2026, 7, 30),
            }
            | {k: _host(t, i)[k] for k in ("host_institution", "host_country")}
        )
    return {
        "number": "301/01-ст",
        "date": date(2026, 7, 3),
        **officials,
        "sending_orders": [
            {"issuer": t("ОшМУ", "ОшГУ"), "number": "38/01-ст", "date": date(2026, 1, 20)}
        ],
        "returned_on": date(2026, 7, 1),
        "students": students,
        "recognition_due": date(2026, 8, 31),
    }


def enrolment_order(t: _Say) -> Data:
    officials = _officials(t)
    return {
        "number": "415/01-ст",
        "date": date(2026, 11, 23),
        **officials,
        "basis": [
            {
                "issuer": t(
                    "Наманган мамлекеттик университети менен эки тараптуу келишим",
                    "двусторонний договор с Наманганским государственным университетом",
                ),
                "number": "12-ЭА",
                "date": date(2025, 3, 14),
            }
        ],
        "participants": [
            {
                "full_name": "Karimov Jasurbek Olimjon o'g'li",
                "citizenship": t("Өзбекстан", "Узбекистан"),
                "home_institution": t(
                    "Наманган мамлекеттик университети", "Наманганский государственный университет"
                ),
                "home_country": t("Өзбекстан", "Узбекистан"),
                "faculty": t("Филология факультети", "Филологический факультет"),
                "specialty": t("Кыргыз тили жана адабияты", "Кыргызский язык и литература"),
                "year_of_study": 3,
                "group": "ФК-3-24",
                "programme": t("Эки тараптуу келишим", "Двусторонний договор"),
                "coordinator": "Ч. С. Ташиева",
                "period_from": date(2027, 2, 1),
                "period_to": date(2027, 6, 30),
            },
            {
                "full_name": "Kim Min-jun",
                "citizenship": t("Корея Республикасы", "Республика Корея"),
                "home_institution": t(
                    "Ханбат мамлекеттик университети", "Национальный университет Ханбат"
                ),
                "home_country": t("Корея Республикасы", "Республика Корея"),
                "faculty": t("Эл аралык мамилелер факультети", "Факультет международных отношений"),
                "specialty": t("Эл аралык мамилелер", "Международные отношения"),
                "year_of_study": None,
                "group": None,
                "programme": "Erasmus+",
                "coordinator": "Ч. С. Ташиева",
                "period_from": date(2027, 2, 1),
                "period_to": date(2027, 2, 14),
            },
        ],
        "fee_waived": True,
    }


def dean_nomination(t: _Say) -> Data:
    students = [
        {
            **_student(t, i),
            **{k: _host(t, 0)[k] for k in ("host_institution", "host_country")},
            "gpa": ["3.72", "3.41"][i],
            "language": t("англис тили, B2", "английский, B2"),
            "plan": _plan(t),
        }
        for i in range(2)
    ]
    return {
        "number": "87",
        "date": date(2026, 11, 12),
        "faculty": t("Экономика жана финансы факультети", "Факультет экономики и финансов"),
        "programme": "Mevlana",
        "students": students,
        "agreed_by": [
            {
                "full_name": "Р. К. Абдыраимова",
                "position": t("Программанын жетекчиси", "Руководитель программы"),
            },
            {
                "full_name": "Э. Т. Осмонова",
                "position": t(
                    "Декандын окуу иштери боюнча орун басары",
                    "Заместитель декана по учебной работе",
                ),
            },
        ],
        "dean": {"full_name": "С. Ж. Турдубаев", "position": t("Декан", "Декан")},
    }


def study_plan(t: _Say) -> Data:
    nomination = dean_nomination(t)
    student = dict(nomination["students"][0])
    for key in ("tuition", "gpa", "language"):
        del student[key]
    return {
        **student,
        "date": date(2026, 11, 12),
        "programme": "Mevlana",
        "agreed_by": nomination["agreed_by"],
        "approved_by": {
            "full_name": "С. Ж. Турдубаев",
            "position": t(
                "Экономика жана финансы факультетинин деканы",
                "Декан факультета экономики и финансов",
            ),
        },
    }


def _identity(t: _Say, index: int = 0) -> Data:
    s = _student(t, index)
    return {
        k: s[k]
        for k in (
            "full_name",
            "faculty",
            "specialty",
            "year_of_study",
            "group",
            "period_from",
            "period_to",
        )
    }


def trip_report_form(t: _Say) -> Data:
    host = _host(t, 1)
    return {
        **_identity(t, 1),
        "date": date(2026, 7, 20),
        "programme": host["programme"],
        "host_institution": host["host_institution"],
        "host_country": host["host_country"],
        "courses": [
            {"title": "International Marketing", "credits": "5", "grade": "A"},
            {"title": "Business English C1", "credits": "4", "grade": "B"},
        ],
        "academic_results": t(
            "Бардык курстар ийгиликтүү тапшырылды, 9 ECTS кредит топтолду.",
            "Все курсы успешно сданы, набрано 9 кредитов ECTS.",
        ),
        "experience": t(
            "Рига шаарындагы стартап-инкубатордун иши менен тааныштым.",
            "Познакомился с работой стартап-инкубатора в Риге.",
        ),
        "suggestions": None,
    }


def questionnaire(t: _Say) -> Data:
    host = _host(t, 2)
    return {
        **_identity(t, 2),
        "date": date(2026, 10, 20),
        "birth_date": date(2004, 5, 9),
        "citizenship": t("Кыргыз Республикасы", "Кыргызская Республика"),
        "passport_number": "AC 1234567",
        "phone": "+996 770 12 34 56",
        "email": "g.mamytova@oshsu.kg",
        "address": t("Ош шаары, Курманжан Датка көчөсү, 215", "г. Ош, ул. Курманжан Датки, 215"),
        "tuition": "budget",
        "gpa": "3.85",
        "languages": [
            {"language": t("немис тили", "немецкий"), "level": "B1"},
            {"language": t("англис тили", "английский"), "level": "B2"},
        ],
        **host,
        "previous_mobility": None,
    }


def parents_consent(t: _Say) -> Data:
    host = _host(t, 0)
    return {
        **_identity(t, 0),
        "date": date(2026, 11, 5),
        "parent_full_name": "Асанов Бакыт Жумабекович",
        "parent_relation": t("атасы", "отец"),
        "parent_passport": "ID 2345678",
        "parent_address": t(
            "Ош облусу, Кара-Суу району, Нариман айылы",
            "Ошская область, Кара-Суйский район, с. Нариман",
        ),
        "parent_phone": "+996 555 98 76 54",
        **host,
    }


def invitation_request(t: _Say) -> Data:
    officials = _officials(t)
    return {
        "number": "01-17/1043",
        "date": date(2026, 11, 16),
        "addressee": {
            "full_name": "Prof. Dr. Ahmet Hamdi Topal",
            "position": t("Ректор", "Ректору", "Rector"),
        },
        "addressee_institution": t(
            "Кастамону университети", "Университет Кастамону", "Kastamonu University"
        ),
        "addressee_country": t("Түркия", "Турция", "Türkiye"),
        "programme": "Mevlana",
        "agreement": {
            "issuer": t(
                "Мевлана алмашуу протоколу", "Протокол обмена Мевлана", "Mevlana exchange protocol"
            ),
            "number": "MEV-2024-031",
            "date": date(2024, 4, 18),
        },
        "students": [
            {
                k: _student(t, i)[k]
                for k in ("full_name", "specialty", "year_of_study", "period_from", "period_to")
            }
            for i in range(2)
        ],
        "contact": {
            "full_name": t.name("Н. Б. Мамбетова"),
            "position": t(
                "ЭАБДнын директору",
                "Директор ДМС",
                "Director of the International Relations Department",
            ),
            "email": "interdep@oshsu.kg",
            "phone": "+996 3222 7-05-46",
        },
        "signer": officials["signer"],
        "executor": officials["executor"],
    }


def recognition_decision(t: _Say) -> Data:
    host = _host(t, 0)
    return {
        **_identity(t, 0),
        "number": "14",
        "date": date(2026, 9, 15),
        "period_from": date(2026, 2, 2),
        "period_to": date(2026, 6, 30),
        "host_institution": host["host_institution"],
        "host_country": host["host_country"],
        "transcript": {
            "issuer": host["host_institution"],
            "number": "TR-2026-0931",
            "date": date(2026, 7, 10),
        },
        "courses": [
            {
                "host_course": "Econometrics",
                "credits": "5",
                "host_grade": "FF",
                "host_scale": "AA–FF",
                "score_100": 40,
                "home_grade": "F",
                "home_points": 2,
                "home_course": t("Эконометрика", "Эконометрика"),
                "credited": False,
            },
            {
                "host_course": "Microeconomics II",
                "credits": "6",
                "host_grade": "BA",
                "host_scale": "AA–FF",
                "score_100": 88,
                "home_grade": "A",
                "home_points": 5,
                "home_course": t("Микроэкономика", "Микроэкономика"),
                "credited": True,
            },
            {
                "host_course": "Turkish Language A2",
                "credits": "4",
                "host_grade": "CB",
                "host_scale": "AA–FF",
                "score_100": 76,
                "home_grade": "C",
                "home_points": 4,
                "home_course": None,
                "credited": True,
            },
        ],
        "outcome": "summer_retake",
        "commission": [
            {
                "full_name": "Э. Т. Осмонова",
                "position": t("Комиссиянын төрагасы", "Председатель комиссии"),
            },
            {"full_name": "Р. К. Абдыраимова", "position": t("Мүчө", "Член комиссии")},
        ],
        "signer": {"full_name": "С. Ж. Турдубаев", "position": t("Декан", "Декан")},
    }


def missed_deadline_notice(t: _Say) -> Data:
    officials = _officials(t)
    return {
        **{k: v for k, v in _identity(t, 1).items() if not k.startswith("period")},
        "number": "03-12/77",
        "date": date(2026, 11, 23),
        "duty": t(
            "академиялык мобилдүүлүктөн кайтып келгенден кийин бир айдын ичинде "
            "транскриптти жана сертификатты факультеттин деканатына тапшыруу",
            "в течение месяца после возвращения с академической мобильности "
            "представить в деканат транскрипт и сертификат",
        ),
        "deadline": date(2026, 7, 30),
        "new_deadline": date(2026, 12, 7),
        "consequence": t(
            "Документтер тапшырылбаса, кредиттер эсептелбейт.",
            "При непредставлении документов кредиты не будут перезачтены.",
        ),
        "order": {"issuer": t("ОшМУ", "ОшГУ"), "number": "301/01-ст", "date": date(2026, 7, 3)},
        "signer": {
            "full_name": "Э. Т. Осмонова",
            "position": t(
                "Декандын эл аралык байланыштар боюнча орун басары",
                "Заместитель декана по международным связям",
            ),
        },
        "executor": officials["executor"],
    }


def incoming_invitation(t: _Say) -> Data:
    officials = _officials(t)
    return {
        "number": "01-17/1051",
        "date": date(2026, 11, 20),
        "full_name": "Karimov Jasurbek Olimjon o'g'li",
        "participant": "student",
        "citizenship": t("Өзбекстан", "Узбекистан", "Uzbekistan"),
        "passport_number": "FA 7654321",
        "home_institution": t(
            "Наманган мамлекеттик университети",
            "Наманганский государственный университет",
            "Namangan State University",
        ),
        "home_country": t("Өзбекстан", "Узбекистан", "Uzbekistan"),
        "faculty": t("Филология факультети", "Филологический факультет", "Faculty of Philology"),
        "specialty": t(
            "Кыргыз тили жана адабияты",
            "Кыргызский язык и литература",
            "Kyrgyz Language and Literature",
        ),
        "programme": t("эки тараптуу келишим", "двусторонний договор", "bilateral agreement"),
        "purpose": t(
            "бир семестр окуу (кредиттик мобилдүүлүк)",
            "обучение в течение семестра (кредитная мобильность)",
            "one semester of study (credit mobility)",
        ),
        "period_from": date(2027, 2, 1),
        "period_to": date(2027, 6, 30),
        "coordinator": {
            "full_name": t.name("Ч. С. Ташиева"),
            "position": t(
                "ЭАБДнын адиси",
                "специалист ДМС",
                "International Relations Department officer",
            ),
            "email": "interdep@oshsu.kg",
            "phone": "+996 3222 7-05-46",
        },
        "fee_waived": True,
        "accommodation": t(
            "Университеттин жатаканасынан орун берилет.",
            "Предоставляется место в общежитии университета.",
            "A place in the university's dormitory is provided.",
        ),
        "signer": {
            "full_name": t.name("А. А. Арзыбаев"),
            "position": t(
                "Окуу иштери боюнча проректор",
                "Проректор по учебной работе",
                "Vice-Rector for Academic Affairs",
            ),
        },
        "executor": officials["executor"],
    }


def referral_letter(t: _Say) -> Data:
    officials = _officials(t)
    host = _host(t, 0)
    return {
        **_identity(t, 0),
        "number": "01-17/1077",
        "date": date(2027, 1, 18),
        "host_institution": host["host_institution"],
        "host_country": host["host_country"],
        "programme": host["programme"],
        "invitation": {
            "issuer": host["host_institution"],
            "number": "KU-IRO/2026-114",
            "date": date(2026, 12, 9),
        },
        "plan_credits": "30",
        "contact": {
            "full_name": t.name("Н. Б. Мамбетова"),
            "position": t(
                "ЭАБДнын директору",
                "Директор ДМС",
                "Director of the International Relations Department",
            ),
            "email": "interdep@oshsu.kg",
            "phone": "+996 3222 7-05-46",
        },
        "signer": officials["visas"][0],
        "executor": officials["executor"],
    }


def staff_report_form(t: _Say) -> Data:
    trip = staff_trip_order(t)
    return {
        "date": date(2027, 1, 27),
        "addressee": _officials(t)["visas"][2],
        "staff": trip["staff"],
        "order": {"issuer": t("ОшМУ", "ОшГУ"), "number": trip["number"], "date": trip["date"]},
        "host_institution": trip["host_institution"],
        "host_country": trip["host_country"],
        "host_city": trip["host_city"],
        "period_from": trip["period_from"],
        "period_to": trip["period_to"],
        "purpose": trip["purpose"],
        "funding_source": trip["funding_source"],
        "work_done": t(
            "«Санариптик билим берүү» курсун бүтүрдүм (72 саат), эки конок лекция окудум.",
            "Прошла курс «Цифровое образование» (72 часа), прочитала две гостевые лекции.",
        ),
        "results": None,
        "proposals": t(
            "Магистранттар үчүн кош диплом программасын талкуулоону сунуштайм.",
            "Предлагаю обсудить программу двойного диплома для магистрантов.",
        ),
    }


def expulsion_submission(t: _Say) -> Data:
    host = _host(t, 1)
    officials = _officials(t)
    return {
        **_identity(t, 1),
        "number": "07-12/88",
        "date": date(2026, 9, 18),
        "tuition": "contract",
        "host_institution": host["host_institution"],
        "host_country": host["host_country"],
        "period_from": date(2026, 2, 1),
        "period_to": date(2026, 6, 30),
        "transcript": {
            "issuer": host["host_institution"],
            "number": "TR-2026-1187",
            "date": date(2026, 7, 14),
        },
        "failed_credits": "18",
        "threshold": 15,
        "courses": [
            {"title": "Corporate Finance", "credits": "6", "grade": "FX"},
            {"title": "Business Statistics", "credits": "6", "grade": "F"},
            {"title": "Marketing Research", "credits": "6", "grade": "F"},
        ],
        "addressee": officials["signer"],
        "signer": officials["responsible"][1],
        "agreed_by": [
            {
                "full_name": "Э. К. Абдыраимова",
                "position": t(
                    "Эл аралык байланыштар боюнча декандын орун басары",
                    "Заместитель декана по международным связям",
                ),
            },
            {
                "full_name": "Р. Т. Касымова",
                "position": t(
                    "Окуу иштери боюнча декандын орун басары",
                    "Заместитель декана по учебной работе",
                ),
            },
        ],
    }


def faculty_mobility_report(t: _Say) -> Data:
    status = t("чет өлкөдө", "за рубежом")
    outgoing = [
        {
            "full_name": s["full_name"],
            "unit": s["group"],
            "institution": h["host_institution"],
            "country": h["host_country"],
            "programme": h["programme"],
            "period_from": s["period_from"],
            "period_to": s["period_to"],
            "status": status,
            "result": None,
        }
        for s, h in ((_student(t, i), _host(t, i)) for i in range(4))
    ]
    outgoing[3] |= {
        "status": t("жабылды", "закрыто"),
        "result": t("баары эсептелди", "всё зачтено"),
    }
    trip = staff_trip_order(t)
    return {
        "date": date(2027, 1, 12),
        "faculty": t(
            "Экономика жана финансы факультети",
            "Факультет экономики и финансов",
        ),
        "period_from": date(2026, 7, 1),
        "period_to": date(2026, 12, 31),
        "outgoing_students": outgoing,
        "outgoing_staff": [
            {
                "full_name": trip["staff"]["full_name"],
                "unit": trip["staff"]["department"],
                "institution": trip["host_institution"],
                "country": trip["host_country"],
                "programme": "ITEC",
                "period_from": trip["period_from"],
                "period_to": trip["period_to"],
                "status": t("отчет берди", "отчёт сдан"),
                "result": None,
            }
        ],
        "incoming": [
            {
                "full_name": "Karimov Jasurbek Olimjon o'g'li",
                "unit": None,
                "institution": t(
                    "Наманган мамлекеттик университети",
                    "Наманганский государственный университет",
                ),
                "country": t("Өзбекстан", "Узбекистан"),
                "programme": t("эки тараптуу келишим", "двусторонний договор"),
                "period_from": date(2027, 2, 1),
                "period_to": date(2027, 6, 30),
                "status": t("ОшМУда", "в ОшГУ"),
                "result": None,
            }
        ],
        "addressee": _officials(t)["visas"][2],
        "signer": {
            "full_name": "Э. К. Абдыраимова",
            "position": t(
                "Эл аралык байланыштар боюнча декандын орун басары",
                "Заместитель декана по международным связям",
            ),
        },
    }


def issued_transcript(t: _Say) -> Data:
    return {
        "number": "17/TR",
        "date": date(2026, 12, 28),
        "participant": "student",
        "full_name": t("Karimov Jasurbek Olimjon o'g'li", "Karimov Jasurbek Olimjon o'g'li",
                       "Karimov Jasurbek Olimjon ugli"),
        "gender": "male",
        "birth_date": date(2004, 5, 17),
        "citizenship": t("Өзбекстан", "Узбекистан", "Uzbekistan"),
        "home_institution": t(
            "Наманган мамлекеттик университети",
            "Наманганский государственный университет",
            "Namangan State University",
        ),
        "home_country": t("Өзбекстан", "Узбекистан", "Uzbekistan"),
        "faculty": t("Филология факультети", "Филологический факультет", "Faculty of Philology"),
        "specialty": t(
            "Кыргыз тили жана адабияты", "Кыргызский язык и литература",
            "Kyrgyz Language and Literature",
        ),
        "programme": t("эки тараптуу келишим", "двусторонний договор", "bilateral agreement"),
        "purpose": t(
            "бир семестр окуу (кредиттик мобилдүүлүк)",
            "обучение в течение семестра (кредитная мобильность)",
            "one semester of study (credit mobility)",
        ),
        "period_from": date(2026, 9, 1),
        "period_to": date(2026, 12, 25),
        "grades": [
            {"title": t("Азыркы кыргыз тили", "Современный кыргызский язык",
                        "Modern Kyrgyz Language"),
             "credits": "6", "score_100": 88, "letter": "A", "points": 5},
            {"title": t("Кыргыз адабиятынын тарыхы", "История кыргызской литературы",
                        "History of Kyrgyz Literature"),
             "credits": "5", "score_100": 82, "letter": "B", "points": 4},
            {"title": t("Манас таануу", "Манасоведение", "Manas Studies"),
             "credits": "4.5", "score_100": 74, "letter": "C", "points": 4},
        ],
        # An English paper prints the officials' names in Latin letters (Issue.name).
        "signer": {
            "full_name": t("Т. Ж. Абдырахманова", "Т. Ж. Абдырахманова", "T. Zh. Abdyrakhmanova"),
            "position": t("Филология факультетинин деканы", "Декан филологического факультета",
                          "Dean of the Faculty of Philology"),
        },
        "countersigner": {
            "full_name": t("Н. Б. Мамбетова", "Н. Б. Мамбетова", "N. B. Mambetova"),
            "position": t("ЭАБДнын директору", "Директор ДМС",
                          "Director of the International Relations Department"),
        },
        "executor": {
            "full_name": t("Г. Ө. Абдыкадырова", "Г. Ө. Абдыкадырова", "G. O. Abdykadyrova"),
            "phone": "+996 3222 5-52-40",
        },
    }  # fmt: skip


SAMPLES: dict[DocumentKind, Callable[[_Say], Data]] = {
    DocumentKind.mobility_order: mobility_order,
    DocumentKind.staff_trip_order: staff_trip_order,
    DocumentKind.return_order: return_order,
    DocumentKind.dean_nomination: dean_nomination,
    DocumentKind.study_plan: study_plan,
    DocumentKind.trip_report_form: trip_report_form,
    DocumentKind.questionnaire: questionnaire,
    DocumentKind.parents_consent: parents_consent,
    DocumentKind.invitation_request: invitation_request,
    DocumentKind.recognition_decision: recognition_decision,
    DocumentKind.missed_deadline_notice: missed_deadline_notice,
    DocumentKind.incoming_invitation: incoming_invitation,
    DocumentKind.enrolment_order: enrolment_order,
    DocumentKind.referral_letter: referral_letter,
    DocumentKind.staff_report_form: staff_report_form,
    DocumentKind.expulsion_submission: expulsion_submission,
    DocumentKind.faculty_mobility_report: faculty_mobility_report,
    DocumentKind.issued_transcript: issued_transcript,
}


def sample_data(kind: DocumentKind | str, language: Language) -> Data:
    """The full sample context of `kind` as plain data (what a caller would pass)."""
    return SAMPLES[DocumentKind(kind)](_Say(language))


def sample_context(kind: DocumentKind | str, language: Language) -> BaseModel:
    return context_model(kind).model_validate(sample_data(kind, language))


def minimal_data(kind: DocumentKind | str, language: Language) -> Data:
    """The sample with every optional field left out and every list cut to its minimum."""
    return _minimal(sample_context(kind, language))


def _minimal(model: BaseModel) -> Data:
    data: Data = {}
    for name, field in type(model).model_fields.items():
        if not field.is_required():
            continue  # optional: leave it to its default (None or an empty list)
        value = getattr(model, name)
        if isinstance(value, list):
            value = value[:1]
            data[name] = [_minimal(v) if isinstance(v, BaseModel) else v for v in value]
        elif isinstance(value, BaseModel):
            data[name] = _minimal(value)
        else:
            data[name] = value
    return data


# The edge cases of issue 12, as contexts (the real issuing path has its own test:
# tests/integration/test_documents_edge_cases.py): markup characters and Kyrgyz letters in
# names, a 120-character partner, a group of 40, a corrected version 2.
MARKUP_NAME = "O'Brien & <Sons> Айбек"
KYRGYZ_NAME = "Үсөнова Өмүрбүбү Ңурлановна"
LONG_PARTNER = (
    "Université Internationale d'Études & de Recherches <Osh–Tashkent> Appliquées en "
    "Économie, Ingénierie et Science Humaines"
)


def edge_data(language: Language) -> dict[str, tuple[DocumentKind, Data]]:
    t = _Say(language)
    group = mobility_order(t)
    students = []
    for i in range(40):
        row = outgoing_student(t, i)
        row["full_name"] = {0: MARKUP_NAME, 1: KYRGYZ_NAME}.get(i, f"Студент{i:02d} Өмүрбеков")
        row["host_institution"] = LONG_PARTNER
        row["invitation"] = row["invitation"] | {"issuer": LONG_PARTNER, "number": f"INV-{i:03d}"}
        students.append(row)
    group["students"] = students
    corrected = mobility_order(t) | {"version": 2, "replaces": date(2026, 11, 20)}
    corrected["students"] = students[:2]
    returned = return_order(t)
    returned["students"][0]["full_name"] = MARKUP_NAME
    returned["students"][1]["host_institution"] = LONG_PARTNER
    return {
        "edge_group_order": (DocumentKind.mobility_order, group),
        "edge_corrected_order": (DocumentKind.mobility_order, corrected),
        "edge_return_order": (DocumentKind.return_order, returned),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render every template from sample data.")
    parser.add_argument("--out", type=Path, default=Path("var/samples"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for kind in TEMPLATED:
        for language in languages_of(kind):
            document = render(kind, language, sample_data(kind, language))
            path = args.out / f"{kind.value}_{language}.docx"
            path.write_bytes(document.content)
            print(f"{path}  template {document.template_version}  sha256 {document.sha256[:12]}")
    for edge_language in ("ky", "ru"):
        for name, (kind, data) in edge_data(edge_language).items():
            document = render(kind, edge_language, data)
            path = args.out / "edge" / f"{name}_{edge_language}.docx"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(document.content)
            print(f"{path}  template {document.template_version}  sha256 {document.sha256[:12]}")


if __name__ == "__main__":
    main()
