"""Synthetic data in realistic shapes: faculties, partners, every kind and state, histories.

PostgreSQL: INSERT … SELECT over generate_series, so millions of rows take seconds and no
row passes through Python. SQLite: executemany of generated tuples (the same shapes).
The service layer is used for nothing here: the benchmarks measure it, the loader feeds it.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from sapar.faculties import FACULTIES
from states.kinds import DEFINITIONS
from states.model import CaseKind
from storage.search import fold

from .common import TODAY

SURNAMES = (
    "Жолдошбеков", "Асанов", "Мамытов", "Токтосунов", "Абдраев", "Кадыров", "Садыков",
    "Осмонов", "Турдубаев", "Исаков", "Орозбаев", "Эргешов", "Ташиев", "Алиев", "Юсупов",
    "Маматов", "Бакиров", "Нурматов", "Суранчиев", "Каримов", "Рахимов", "Усенов",
)  # fmt: skip
FIRST_NAMES = (
    "Айгерим", "Нурбек", "Гүлнара", "Бакыт", "Жыпар", "Азамат", "Канат", "Айпери",
    "Мирлан", "Нургул", "Элмира", "Улан", "Чолпон", "Тилек", "Асель", "Бекзат",
)  # fmt: skip
COUNTRIES = (
    ("Түркия", "Ankara"), ("Казакстан", "Almaty"), ("Россия", "Moscow"),
    ("Германия", "Berlin"), ("Кытай", "Beijing"), ("Корея", "Seoul"),
    ("Өзбекстан", "Tashkent"), ("Польша", "Warsaw"), ("Италия", "Rome"),
    ("Индия", "Delhi"), ("Япония", "Tokyo"), ("Кыргызстан", "Bishkek"),
)  # fmt: skip
PROGRAMMES = ("Mevlana", "Erasmus+", "DAAD", "ITEC", "Orhun", "bilateral", "SCO University")
FUNDING = ("credit_mobility", "university", "republican_budget", "sponsor", "host", "own")
PARTNERS = 300
YEARS = tuple(f"{y}-{y + 1}" for y in range(2015, 2028))
QUOTA_TYPES = ("outgoing_students", "outgoing_staff", "incoming_students", "incoming_staff")
# The case kind of id i is KIND_WHEEL[(i * 7) % 20]: 35 % long, 25 % short student stays,
# 20 % staff trips, 15 % incoming students, 5 % incoming staff.
KIND_WHEEL = (
    [CaseKind.outgoing_student_long] * 7
    + [CaseKind.outgoing_student_short] * 5
    + [CaseKind.outgoing_staff] * 4
    + [CaseKind.incoming_student] * 3
    + [CaseKind.incoming_staff]
)
LENGTH_DAYS = {
    CaseKind.outgoing_student_long: (120, 40),
    CaseKind.outgoing_student_short: (7, 21),
    CaseKind.outgoing_staff: (5, 15),
    CaseKind.incoming_student: (90, 60),
    CaseKind.incoming_staff: (5, 10),
}
EPOCH = date(2016, 9, 1)
SPAN_DAYS = 3650
EVENTS_MIN, EVENTS_SPREAD = 3, 15  # 3..17 history events a case, 10 on average


def _states(kind: CaseKind) -> list[str]:
    return list(DEFINITIONS[kind].states)


def _sql_text_array(values: Sequence[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def academic_year(d: date) -> str:
    start = d.year if d.month >= 9 else d.year - 1
    return f"{start}-{start + 1}"


# --- PostgreSQL ----------------------------------------------------------------------------


def pg_reference_data(conn: psycopg.Connection[Any]) -> None:
    """Partners with open-ended agreements and generous quotas, users and their offices."""
    countries = _sql_text_array([c for c, _ in COUNTRIES])
    cities = _sql_text_array([c for _, c in COUNTRIES])
    n = len(COUNTRIES)
    conn.execute(f"""
        INSERT INTO partners (id, name, name_latin, country, city, website, scope, created_at)
        SELECT i, 'Partner University ' || i, 'Partner University ' || i,
               ({countries})[1 + i % {n}], ({cities})[1 + i % {n}],
               'https://partner' || i || '.example', CASE WHEN i % {n} = {n - 1}
               THEN 'domestic' ELSE 'international' END, now()
        FROM generate_series(1, {PARTNERS}) i""")
    conn.execute(f"""
        INSERT INTO agreements (partner_id, kind, title, number, signed_on, valid_from)
        SELECT i, 'bilateral', 'Agreement ' || i, 'A-' || i, date '2010-01-01',
               date '2010-01-01' FROM generate_series(1, {PARTNERS}) i""")
    conn.execute(f"""
        INSERT INTO quotas (partner_id, academic_year, participant_type, places)
        SELECT p, y, t, 1000000 FROM generate_series(1, {PARTNERS}) p,
               unnest({_sql_text_array(YEARS)}) y, unnest({_sql_text_array(QUOTA_TYPES)}) t""")
    conn.execute("SELECT setval('partners_id_seq', (SELECT max(id) FROM partners))")
    faculties = _sql_text_array(FACULTIES)
    conn.execute(f"""
        INSERT INTO users (username, full_name, password_hash, role, faculty, email, language,
                           active, failed_logins, created_at)
        SELECT 'dean' || i, 'Dean office ' || i, 'x', 'dean_office', ({faculties})[i],
               'dean' || i || '@oshsu.kg', 'ky', true, 0, now()
        FROM generate_series(1, {len(FACULTIES)}) i""")
    conn.execute("""
        INSERT INTO users (username, full_name, password_hash, role, email, language, active,
                           failed_logins, created_at)
        VALUES ('bench_iro', 'Гүлнара Мамытова', 'x', 'iro', 'iro@oshsu.kg', 'ky', true, 0,
                now())""")


def _pg_case_select(lo: int, hi: int) -> str:
    """SELECT of the case rows lo..hi (as columns of table `cases`)."""
    wheel = "ARRAY[" + ",".join(f"'{k.value}'" for k in KIND_WHEEL) + "]::text[]"
    state_case = " ".join(
        f"WHEN '{k.value}' THEN ({_sql_text_array(_states(k)[: -3 if k.is_incoming else -4])})"
        f"[1 + (h >> 3) % {len(_states(k)) - (3 if k.is_incoming else 4)}]"
        for k in CaseKind
    )
    cities = _sql_text_array([fold(c) for _, c in COUNTRIES])
    programmes = _sql_text_array([fold(p) for p in PROGRAMMES])
    length_case = " ".join(
        f"WHEN '{k.value}' THEN {base} + (h >> 5) % {spread}"
        for k, (base, spread) in LENGTH_DAYS.items()
    )
    return f"""
        WITH g AS (
            SELECT i, ({wheel})[1 + (i * 7) % 20] AS kind, abs(hashtext(i::text)) AS h
            FROM generate_series({lo}, {hi}) i
        ), d AS (
            SELECT g.*, date '{EPOCH}' + (h % {SPAN_DAYS}) AS start_date FROM g
        ), s AS (
            SELECT d.*,
                CASE WHEN start_date < date '{TODAY}' - 365 THEN
                    CASE WHEN h % 10 < 8 THEN 'closed' WHEN h % 10 = 8 THEN 'withdrawn'
                         ELSE 'rejected' END
                ELSE CASE kind {state_case} END END AS state,
                start_date + (CASE kind {length_case} END)::int AS end_date,
                1 + (h >> 7) % {PARTNERS} AS partner_id
            FROM d
        )
        SELECT s.i, s.kind, s.state, s.i, p.scope, p.name, p.country, p.city,
            ({_sql_text_array(PROGRAMMES)})[1 + (h >> 9) % {len(PROGRAMMES)}],
            s.partner_id, 'agreement',
            CASE WHEN s.kind LIKE 'outgoing_student%' THEN 'study'
                 WHEN s.kind = 'outgoing_staff' THEN 'teaching and research'
                 ELSE 'exchange semester' END,
            ({_sql_text_array(FUNDING)})[1 + (h >> 11) % {len(FUNDING)}],
            true, false,
            ({_sql_text_array(FACULTIES)})[1 + (h >> 13) % {len(FACULTIES)}],
            'Кафедра ' || (1 + (h >> 13) % 40),
            s.start_date, s.end_date, NULL::date,
            CASE WHEN extract(month FROM s.start_date) >= 9
                 THEN extract(year FROM s.start_date)::int || '-'
                      || (extract(year FROM s.start_date)::int + 1)
                 ELSE (extract(year FROM s.start_date)::int - 1) || '-'
                      || extract(year FROM s.start_date)::int END,
            NULL::int, 'англис тили', NULL::text, 3 + h % 8,
            s.start_date - 60 + time '09:00', s.start_date + time '12:00',
            -- the audit chain's head: the last of the events pg_grow writes for the case
            {EVENTS_MIN} + h % {EVENTS_SPREAD},
            md5(s.i || ':' || ({EVENTS_MIN} + h % {EVENTS_SPREAD}))
                || md5(({EVENTS_MIN} + h % {EVENTS_SPREAD}) || ':' || s.i),
            -- search_text as the ORM folds it (host, city, programme): the search reads it
            'partner universiti ' || s.partner_id || ' '
                || ({cities})[1 + s.partner_id % {len(COUNTRIES)}] || ' '
                || ({programmes})[1 + (h >> 9) % {len(PROGRAMMES)}]
        FROM s JOIN partners p ON p.id = s.partner_id"""


CASE_COLUMNS = (
    "id, kind, state, participant_id, scope, host_institution, host_country, host_city, "
    "programme, partner_id, basis, purpose, funding_source, competitive, "
    "language_certificate_required, faculty, department, start_date, end_date, "
    "actual_end_date, academic_year, failed_credits, host_language, outcome, version, "
    "created_at, updated_at, audit_seq, audit_hash, search_text"
)


def pg_grow(conn: psycopg.Connection[Any], lo: int, hi: int) -> dict[str, int]:
    """Cases lo..hi with their participants, histories, deadlines, papers and outbox rows."""
    conn.execute("SET session_replication_role = replica")  # bulk load: no FK triggers
    conn.execute("SET synchronous_commit = off")
    conn.execute(f"INSERT INTO cases ({CASE_COLUMNS}) {_pg_case_select(lo, hi)}")
    surnames, names = _sql_text_array(SURNAMES), _sql_text_array(FIRST_NAMES)
    folded_surnames = _sql_text_array([fold(n) for n in SURNAMES])
    folded_names = _sql_text_array([fold(n) for n in FIRST_NAMES])
    conn.execute(f"""
        INSERT INTO participants (id, kind, full_name, faculty, department, level, year,
            semester, gpa, funding_basis, tuition_debt, position, home_institution,
            citizenship, email, specialty, group_name, phone, created_at, search_text)
        SELECT c.id,
            CASE WHEN c.kind IN ('outgoing_staff', 'incoming_staff') THEN 'staff'
                 ELSE 'student' END,
            ({surnames})[1 + (h % {len(SURNAMES)})] || ' ' ||
                ({names})[1 + (h >> 4) % {len(FIRST_NAMES)}] || ' ' || c.id,
            c.faculty, c.department,
            CASE WHEN c.kind LIKE '%student%' THEN 'bachelor' END,
            CASE WHEN c.kind LIKE '%student%' THEN 1 + (h >> 6) % 4 END,
            CASE WHEN c.kind LIKE '%student%' THEN 1 + (h >> 8) % 2 END,
            CASE WHEN c.kind LIKE '%student%' THEN 3.0 + ((h >> 9) % 100) / 100.0 END,
            CASE WHEN c.kind LIKE '%student%' THEN
                CASE WHEN h % 3 = 0 THEN 'contract' ELSE 'budget' END END,
            false,
            CASE WHEN c.kind LIKE '%staff' THEN 'доцент' END,
            CASE WHEN c.kind LIKE 'incoming%' THEN c.host_institution END,
            CASE WHEN c.kind LIKE 'incoming%' THEN c.host_country ELSE 'Кыргызстан' END,
            'p' || c.id || '@oshsu.kg', 'Экономика', 'ЭК-' || (10 + h % 90), '+996555000000',
            c.created_at,
            -- search_text as the ORM folds it (name, group): the search reads it
            ({folded_surnames})[1 + (h % {len(SURNAMES)})] || ' ' ||
                ({folded_names})[1 + (h >> 4) % {len(FIRST_NAMES)}] || ' ' || c.id
                || ' ek ' || (10 + h % 90)
        FROM (SELECT c.*, abs(hashtext(c.id::text || 'p')) AS h FROM cases c
              WHERE c.id BETWEEN {lo} AND {hi}) c""")
    conn.execute(f"""
        INSERT INTO audit_events (case_id, seq, at, actor, role, event, outcome, from_state,
            to_state, reason, data, prev_hash, hash)
        SELECT c.id, s, c.created_at + s * interval '1 day', 'Гүлнара Мамытова', 'iro',
            CASE WHEN s = 1 THEN 'open' ELSE 'step_' || s END, 'applied',
            CASE WHEN s > 1 THEN 'state_' || (s - 1) END, 'state_' || s, NULL,
            '{{"payload": {{}}, "effects": []}}'::json,
            CASE WHEN s = 1 THEN repeat('0', 64)
                 ELSE md5(c.id || ':' || (s - 1)) || md5((s - 1) || ':' || c.id) END,
            md5(c.id || ':' || s) || md5(s || ':' || c.id)
        FROM cases c CROSS JOIN LATERAL generate_series(1,
            {EVENTS_MIN} + abs(hashtext(c.id::text)) % {EVENTS_SPREAD}) s
        WHERE c.id BETWEEN {lo} AND {hi}
        ORDER BY c.id, s""")
    # A third of the cases carry a deadline: met or void, or open far beyond any horizon.
    conn.execute(f"""
        INSERT INTO deadlines (case_id, kind, due_date, status, opened_at, closed_at)
        SELECT c.id, CASE WHEN c.kind = 'outgoing_staff' THEN 'expense_report'
                          ELSE 'student_report' END,
            CASE WHEN c.state IN ('closed', 'withdrawn', 'rejected', 'cancelled')
                 THEN c.end_date + 30 ELSE date '{TODAY}' + 30 + c.id % 300 END,
            CASE WHEN c.state = 'closed' THEN 'met'
                 WHEN c.state IN ('withdrawn', 'rejected', 'cancelled') THEN 'void'
                 ELSE 'open' END,
            c.created_at, NULL
        FROM cases c WHERE c.id BETWEEN {lo} AND {hi} AND c.id % 3 = 0""")
    conn.execute(f"""
        INSERT INTO documents (case_id, doc_type, origin, filename, media_type, sha256, size,
            language, version, created_by, created_at)
        SELECT c.id, 'application', 'uploaded', 'application.pdf', 'application/pdf',
            md5(c.id::text) || md5(c.id::text), 20000 + c.id % 5000, NULL, 1, 'bench',
            c.created_at
        FROM cases c WHERE c.id BETWEEN {lo} AND {hi}""")
    conn.execute(f"""
        INSERT INTO outbox (case_id, kind, payload, status, attempts, created_at, done_at)
        SELECT c.id, 'render_document', '{{"document": "dean_nomination"}}'::json, 'done', 1,
            c.created_at, c.created_at
        FROM cases c WHERE c.id BETWEEN {lo} AND {hi} AND c.id % 4 = 0""")
    conn.execute("SET session_replication_role = origin")
    conn.execute("SELECT setval('cases_id_seq', (SELECT max(id) FROM cases))")
    conn.execute("SELECT setval('participants_id_seq', (SELECT max(id) FROM participants))")
    conn.execute("ANALYZE")
    counts = {}
    for table in ("cases", "audit_events", "deadlines", "documents", "outbox"):
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def pg_ready_to_order(
    conn: psycopg.Connection[Any], ids: Sequence[int], *, state: str = "invited"
) -> None:
    """Make `ids` long-term student cases waiting for their order (or ordered, with the
    mobility order queued in the outbox when state == 'ordered'), with every paper the
    order's guards and its template need."""
    start, end = TODAY + timedelta(days=30), TODAY + timedelta(days=150)
    conn.execute(
        """
        UPDATE cases SET kind = 'outgoing_student_long', state = %(state)s, basis = 'agreement',
            start_date = %(start)s, end_date = %(end)s, academic_year = %(year)s,
            programme = 'Mevlana', funding_source = 'credit_mobility'
        WHERE id = ANY(%(ids)s)""",
        {"state": state, "start": start, "end": end, "year": academic_year(start),
         "ids": list(ids)},
    )  # fmt: skip
    conn.execute(
        """
        UPDATE participants SET kind = 'student', level = 'bachelor', year = 3, semester = 1,
            gpa = 3.6, funding_basis = 'budget', tuition_debt = false
        WHERE id = ANY(%(ids)s)""",
        {"ids": list(ids)},
    )
    conn.execute(
        """
        INSERT INTO documents (case_id, doc_type, origin, filename, media_type, sha256, size,
            version, issuer, ref_number, ref_date, number, created_by, created_at)
        SELECT i, t, 'uploaded', t || '.pdf', 'application/pdf', md5(i || t) || md5(t || i),
            30000, 1, CASE WHEN t = 'invitation_letter' THEN 'Partner University' END,
            CASE WHEN t = 'invitation_letter' THEN 'INV-' || i END, date '2026-10-01',
            CASE WHEN t = 'dean_nomination' THEN 'ДН-' || i END, 'bench', now()
        FROM unnest(%(ids)s::int[]) i,
             unnest(ARRAY['invitation_letter', 'dean_nomination', 'study_plan']) t""",
        {"ids": list(ids)},
    )
    if state == "ordered":
        conn.execute(
            """
            INSERT INTO outbox (case_id, kind, payload, status, attempts, created_at)
            SELECT i, 'render_document', '{"document": "mobility_order"}'::json, 'pending', 0,
                now() FROM unnest(%(ids)s::int[]) i ORDER BY i""",
            {"ids": list(ids)},
        )


def pg_last_links(conn: psycopg.Connection[Any], ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """(seq, hash) of the last history event of each case."""
    rows = conn.execute(
        """SELECT DISTINCT ON (case_id) case_id, seq, hash FROM audit_events
           WHERE case_id = ANY(%(ids)s) ORDER BY case_id, seq DESC""",
        {"ids": list(ids)},
    ).fetchall()
    return {int(r[0]): (int(r[1]), str(r[2])) for r in rows}


def pg_set_due(conn: psycopg.Connection[Any], due: int, total: int) -> None:
    """Exactly `due` open deadlines within the check's horizon (a tenth of them overdue),
    spread over all cases; earlier due sets and their notifications are cleared."""
    conn.execute("TRUNCATE notifications")
    conn.execute(
        "UPDATE deadlines SET status = 'void' WHERE status IN ('open', 'overdue') "
        "AND due_date <= %(h)s",
        {"h": TODAY + timedelta(days=30)},
    )
    step = max(1, total // due)
    conn.execute(
        """
        INSERT INTO deadlines (case_id, kind, due_date, status, opened_at)
        SELECT 1 + (n * %(step)s) %% %(total)s, 'student_report',
            CASE WHEN n %% 10 = 0 THEN %(today)s::date - (1 + n %% 5)
                 ELSE %(today)s::date + (n %% 7) END, 'open', now()
        FROM generate_series(0, %(due)s - 1) n""",
        {"step": step, "total": total, "due": due, "today": TODAY},
    )
    conn.execute("ANALYZE deadlines")


# --- SQLite --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Case:
    id: int
    kind: CaseKind
    state: str
    start: date
    end: date
    partner: int
    faculty: str
    h: int


def _sqlite_cases(lo: int, hi: int) -> Iterator[_Case]:
    for i in range(lo, hi + 1):
        h = int.from_bytes(hashlib.blake2b(str(i).encode(), digest_size=4).digest(), "big")
        kind = KIND_WHEEL[(i * 7) % 20]
        start = EPOCH + timedelta(days=h % SPAN_DAYS)
        states = _states(kind)[: -3 if kind.is_incoming else -4]
        if start < TODAY - timedelta(days=365):
            state = "closed" if h % 10 < 8 else ("withdrawn" if h % 10 == 8 else "rejected")
        else:
            state = states[(h >> 3) % len(states)]
        base, spread = LENGTH_DAYS[kind]
        end = start + timedelta(days=base + (h >> 5) % spread)
        yield _Case(i, kind, state, start, end, 1 + (h >> 7) % PARTNERS,
                    FACULTIES[(h >> 13) % len(FACULTIES)], h)  # fmt: skip


def sqlite_load(path: str, cases: int) -> dict[str, int]:
    """The same shapes as on PostgreSQL, into the migrated SQLite file at `path`."""
    rnd = random.Random(7)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    now = datetime.now(UTC).isoformat(sep=" ")
    con.executemany(
        "INSERT INTO partners (id, name, name_latin, country, city, scope, created_at) "
        "VALUES (?, ?, ?, ?, ?, 'international', ?)",
        [(i, f"Partner University {i}", f"Partner University {i}",
          COUNTRIES[i % len(COUNTRIES)][0], COUNTRIES[i % len(COUNTRIES)][1], now)
         for i in range(1, PARTNERS + 1)],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO agreements (partner_id, kind, valid_from) VALUES (?, 'bilateral', "
        "'2010-01-01')",
        [(i,) for i in range(1, PARTNERS + 1)],
    )
    con.executemany(
        "INSERT INTO quotas (partner_id, academic_year, participant_type, places) "
        "VALUES (?, ?, ?, 1000000)",
        [(p, y, t) for p in range(1, PARTNERS + 1) for y in YEARS for t in QUOTA_TYPES],
    )
    participants, rows, events, deadlines, docs = [], [], [], [], []
    for c in _sqlite_cases(1, cases):
        student = "student" in c.kind.value
        partner = c.partner
        created = datetime.combine(c.start - timedelta(days=60), datetime.min.time())
        participants.append((
            c.id, "student" if student else "staff",
            f"{SURNAMES[c.h % len(SURNAMES)]} {FIRST_NAMES[(c.h >> 4) % len(FIRST_NAMES)]} {c.id}",
            c.faculty, "Кафедра", "bachelor" if student else None,
            1 + (c.h >> 6) % 4 if student else None, 1 + (c.h >> 8) % 2 if student else None,
            3.0 + rnd.random() if student else None, "budget" if student else None,
            f"p{c.id}@oshsu.kg", "Экономика", f"ЭК-{10 + c.h % 90}", created.isoformat(" "),
        ))  # fmt: skip
        row = [
            c.id, c.kind.value, c.state, c.id, "international",
            f"Partner University {partner}", COUNTRIES[partner % len(COUNTRIES)][0],
            PROGRAMMES[(c.h >> 9) % len(PROGRAMMES)], partner, "agreement", "study",
            FUNDING[(c.h >> 11) % len(FUNDING)], 1, 0, c.faculty, "Кафедра",
            c.start.isoformat(), c.end.isoformat(), academic_year(c.start), "англис тили",
            3 + c.h % 8, created.isoformat(" "), created.isoformat(" "),
        ]  # fmt: skip
        prev = "0" * 64
        for s in range(1, EVENTS_MIN + c.h % EVENTS_SPREAD + 1):
            digest = hashlib.sha256(f"{c.id}:{s}".encode()).hexdigest()
            events.append((
                c.id, s, (created + timedelta(days=s)).isoformat(" "), "Гүлнара Мамытова",
                "iro", "open" if s == 1 else f"step_{s}", "applied",
                None if s == 1 else f"state_{s - 1}", f"state_{s}",
                json.dumps({"payload": {}, "effects": []}), prev, digest,
            ))  # fmt: skip
            prev = digest
        rows.append((*row, EVENTS_MIN + c.h % EVENTS_SPREAD, prev))  # with its chain head
        if c.id % 3 == 0:
            done = c.state in ("closed", "withdrawn", "rejected", "cancelled")
            due = c.end + timedelta(days=30) if done else TODAY + timedelta(days=30 + c.id % 300)
            status = "met" if c.state == "closed" else ("void" if done else "open")
            deadlines.append(
                (c.id, "student_report", due.isoformat(), status, created.isoformat(" "))
            )
        docs.append((c.id, created.isoformat(" ")))
    con.executemany(
        "INSERT INTO participants (id, kind, full_name, faculty, department, level, year, "
        "semester, gpa, funding_basis, tuition_debt, email, specialty, group_name, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
        participants,
    )
    con.executemany(
        "INSERT INTO cases (id, kind, state, participant_id, scope, host_institution, "
        "host_country, programme, partner_id, basis, purpose, funding_source, competitive, "
        "language_certificate_required, faculty, department, start_date, end_date, "
        "academic_year, host_language, version, created_at, updated_at, audit_seq, audit_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.executemany(
        "INSERT INTO audit_events (case_id, seq, at, actor, role, event, outcome, from_state, "
        "to_state, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        events,
    )
    con.executemany(
        "INSERT INTO deadlines (case_id, kind, due_date, status, opened_at) VALUES (?, ?, ?, ?, ?)",
        deadlines,
    )
    con.executemany(
        "INSERT INTO documents (case_id, doc_type, origin, filename, media_type, sha256, size, "
        "version, created_by, created_at) VALUES (?, 'application', 'uploaded', "
        "'application.pdf', 'application/pdf', 'x', 20000, 1, 'bench', ?)",
        docs,
    )
    con.commit()
    con.execute("ANALYZE")
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("cases", "audit_events", "deadlines", "documents")}  # fmt: skip
    con.close()
    return counts


def sqlite_ready_to_order(path: str, ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """As pg_ready_to_order(state='invited'); returns each case's last (seq, hash)."""
    start, end = TODAY + timedelta(days=30), TODAY + timedelta(days=150)
    con = sqlite3.connect(path)
    for i in ids:
        con.execute(
            "UPDATE cases SET kind = 'outgoing_student_long', state = 'invited', "
            "basis = 'agreement', start_date = ?, end_date = ?, academic_year = ?, "
            "programme = 'Mevlana', funding_source = 'credit_mobility' WHERE id = ?",
            (start.isoformat(), end.isoformat(), academic_year(start), i),
        )
        con.execute(
            "UPDATE participants SET kind = 'student', level = 'bachelor', year = 3, "
            "semester = 1, gpa = 3.6, funding_basis = 'budget' WHERE id = ?",
            (i,),
        )
        for t in ("invitation_letter", "dean_nomination", "study_plan"):
            # As on PostgreSQL: what the order's template prints (the nomination's number).
            con.execute(
                "INSERT INTO documents (case_id, doc_type, origin, filename, media_type, "
                "sha256, size, version, issuer, ref_number, ref_date, number, created_by, "
                "created_at) VALUES (?, ?, 'uploaded', 'x.pdf', 'application/pdf', 'x', 1, 1, "
                "'Partner University', 'INV-' || ?, '2026-10-01', "
                "CASE WHEN ? = 'dean_nomination' THEN 'ДН-' || ? END, 'bench', "
                "'2026-10-01 00:00:00')",
                (i, t, i, t, i),
            )
    con.commit()
    links = {
        int(cid): (int(seq), str(h))
        for cid, seq, h in con.execute(
            "SELECT case_id, seq, hash FROM audit_events a WHERE seq = (SELECT max(seq) FROM "
            f"audit_events b WHERE b.case_id = a.case_id) AND case_id IN "
            f"({','.join(str(i) for i in ids)})"
        )
    }
    con.close()
    return links
