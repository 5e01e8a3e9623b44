"""The domain objects of a mobility case, as plain dataclasses (no ORM, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from states.grades import RecognitionOutcome


class CaseKind(StrEnum):
    outgoing_student_long = "outgoing_student_long"
    outgoing_student_short = "outgoing_student_short"
    outgoing_staff = "outgoing_staff"
    incoming_student = "incoming_student"
    incoming_staff = "incoming_staff"

    @property
    def is_outgoing_student(self) -> bool:
        return self in (CaseKind.outgoing_student_long, CaseKind.outgoing_student_short)

    @property
    def is_incoming(self) -> bool:
        return self in (CaseKind.incoming_student, CaseKind.incoming_staff)


class Level(StrEnum):
    bachelor = "bachelor"
    master = "master"
    college = "college"


class FundingBasis(StrEnum):
    """How a student's own tuition is paid: the debt rule applies to contract students only."""

    budget = "budget"
    contract = "contract"


class Scope(StrEnum):
    international = "international"  # 1.3.3, external mobility
    domestic = "domestic"  # 1.3.4, within the Kyrgyz Republic


class FundingSource(StrEnum):
    """Who pays for the mobility (6.1)."""

    republican_budget = "republican_budget"  # interstate agreements / republican budget
    university = "university"  # OshSU's own budget: triggers the staff expense report
    credit_mobility = "credit_mobility"  # Erasmus+, Mevlana, DAAD, ITEC, ...
    research_project = "research_project"  # a research project: its lead must approve staff trips
    sponsor = "sponsor"  # foundations, universities, international organisations, charities
    host = "host"  # the inviting/host party
    own = "own"  # the participant's own money


class Basis(StrEnum):
    """What the mobility rests on (3.2)."""

    agreement = "agreement"  # an agreement/memorandum or programme with a partner
    individual_invitation = "individual_invitation"
    personal_initiative = "personal_initiative"


class ParticipantKind(StrEnum):
    student = "student"
    staff = "staff"


class Role(StrEnum):
    """Who does what, as the regulation divides the duties (4.1, 4.8)."""

    iro = "iro"  # ЭАБД, International Relations Department
    dean_office = "dean_office"  # ФД, incl. the deputy dean for international relations
    head_of_department = "head_of_department"
    project_lead = "project_lead"
    vice_rector_academic = "vice_rector_academic"
    vice_rector_research = "vice_rector_research"
    rector = "rector"
    accounting = "accounting"
    admin = "admin"
    auditor = "auditor"
    # A student or member of staff acting on their own case through the portal (sapar/portal):
    # hands in their own papers, takes no step of the regulation's offices.
    participant = "participant"


TERMINAL_STATES = frozenset({"closed", "withdrawn", "rejected", "cancelled"})


@dataclass
class Participant:
    full_name: str
    kind: ParticipantKind
    faculty: str | None = None
    department: str | None = None
    # Students: level, year of study (курс) and semester within that year (1 or 2).
    level: Level | None = None
    year: int | None = None
    semester: int | None = None
    gpa: float | None = None
    funding_basis: FundingBasis | None = None
    tuition_debt: bool = False
    # Staff
    position: str | None = None
    # Incoming participants come from another institution.
    home_institution: str | None = None
    citizenship: str | None = None
    email: str | None = None
    phone: str | None = None
    specialty: str | None = None
    group_name: str | None = None
    # The registry: who the person is at OshSU, and what the application forms print.
    university_id: str | None = None
    pin: str | None = None  # personal identification number (ПИН), 14 digits
    full_name_latin: str | None = None
    gender: str | None = None  # female | male
    birth_date: date | None = None
    study_language: str | None = None  # the language the person studies/teaches in at OshSU
    passport_number: str | None = None
    address: str | None = None
    parent_full_name: str | None = None
    parent_relation: str | None = None
    parent_passport: str | None = None
    parent_address: str | None = None
    parent_phone: str | None = None
    version: int = 0
    id: int | None = None

    @property
    def semester_of_study(self) -> int | None:
        """The semester counted from the start of the programme (year 2, semester 1 → 3)."""
        if self.year is None or self.semester is None:
            return None
        return (self.year - 1) * 2 + self.semester


@dataclass
class Case:
    kind: CaseKind
    state: str
    participant: Participant
    scope: Scope
    host_institution: str
    host_country: str
    start_date: date
    end_date: date
    funding_source: FundingSource
    purpose: str = "study"
    host_city: str | None = None
    programme: str | None = None
    partner_id: int | None = None
    basis: Basis = Basis.agreement
    # Grant/scholarship programmes and faculty competitions select by GPA (4.8).
    competitive: bool = True
    language_certificate_required: bool = False
    faculty: str | None = None
    department: str | None = None
    actual_end_date: date | None = None
    failed_credits: int | None = None
    outcome: RecognitionOutcome | None = None
    # Particulars the papers print, each a named field (none is a free-form map):
    host_language: str | None = None  # language of instruction at the host (annex 1)
    language_level: str | None = None  # the participant's level in it, e.g. B2
    substitute: str | None = None  # who covers a lecturer's classes (staff trip order)
    project: str | None = None  # the research project funding a staff trip
    host_contact: str | None = None  # whom OshSU's letter requesting the invitation addresses
    host_contact_position: str | None = None
    coordinator: str | None = None  # a guest's coordinator at OshSU
    home_country: str | None = None  # a guest's home country
    version: int = 0
    id: int | None = None
    effects: list[Effect] = field(default_factory=list)

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    @property
    def mobility_end(self) -> date:
        """The date the mobility actually ended: an early return counts from its real date."""
        return self.actual_end_date or self.end_date

    @property
    def is_university_funded(self) -> bool:
        return self.funding_source is FundingSource.university

    @property
    def is_project_funded(self) -> bool:
        return self.funding_source is FundingSource.research_project


@dataclass(frozen=True)
class RenderDocument:
    """Intent: a flow should render this official document for the case."""

    document: str


class DeadlineStatus(StrEnum):
    """Where a duty with a term stands (the results within a month, "Student duties"; the
    expense report within 5 working days, "ИПК duties")."""

    open = "open"  # running: the term has not passed or the check has not seen it yet
    met = "met"  # the duty was done (the step that closes it was taken)
    overdue = "overdue"  # the term passed with the duty undone: reminders turn to escalation
    void = "void"  # no longer owed: the case left the path, or the duty was opened anew


@dataclass(frozen=True)
class OpenDeadline:
    kind: str
    due: date


@dataclass(frozen=True)
class CloseDeadline:
    kind: str


Effect = RenderDocument | OpenDeadline | CloseDeadline
