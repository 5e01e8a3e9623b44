"""What a participant pays and keeps while in mobility (6.3, "ЖибОЖ duties", "КАОЖ duties",
"Student duties"), as the papers state it."""

from __future__ import annotations

from states.model import Case, FundingBasis, Participant


def fee_waived(case: Case) -> bool:
    """OshSU as host takes no fee from the guests it receives under a bilateral cooperation
    agreement ("КАОЖ duties"); a guest who comes with a partner of the registry or within a
    programme (Erasmus+, Mevlana, the Osh Declaration, ...: 3.2) comes under one."""
    return case.partner_id is not None or case.programme is not None


def keeps_scholarship(participant: Participant) -> bool:
    """The sending university keeps a budget student's full scholarship while abroad ("ЖибОЖ
    duties"); a contract student keeps paying the home fee and studies at the host for free
    ("Student duties")."""
    return participant.funding_basis is FundingBasis.budget
