"""One order for many cases, chosen on the case list (issue 13.3).

ЭАБД selects the cases and asks for one order: each case takes its `issue_order` step on its
own (its guards, its version, its history, as one click on its page would), and the orders
the steps asked for are then issued together — one number, one document with a table row per
person — by the group-order execution of sapar/services/issuing.py (the `issue-group-order`
flow runs the same function). A case the step refuses stays out of the order, and the clerk
reads why. The documents are issued after the answer (never in the request's own time);
should that fail, the items stay in the outbox and the sweep issues them one by one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import Engine

from states.guards import RuleViolation
from states.machine import InvalidTransition, NotPermitted
from storage.audit import CaseNotFound
from storage.files import FileStore
from storage.repository import ConcurrencyConflict
from storage.uow import UnitOfWork

from . import outbox, steps
from .case_access import case_for
from .issuing import execute_group_order
from .readiness import NotReady
from .schemas import FireIn
from .users import User

log = logging.getLogger(__name__)
MAX_CASES = 50  # a page of the list at most
ORDERS = frozenset({"mobility_order", "staff_trip_order", "enrolment_order"})
REFUSED = (RuleViolation, NotPermitted, InvalidTransition, ConcurrencyConflict, CaseNotFound,
           NotReady)  # fmt: skip


@dataclass
class GroupOrder:
    ordered: list[int] = field(default_factory=list)
    refused: dict[int, Exception] = field(default_factory=dict)
    # The outbox items to issue as one order, per document (students and staff apart).
    items: dict[str, list[int]] = field(default_factory=dict)


def take_orders(engine: Engine, *, user: User, case_ids: list[int]) -> GroupOrder:
    """Take the order step on each selected case; gather the orders they asked for."""
    found = GroupOrder()
    for case_id in list(dict.fromkeys(case_ids))[:MAX_CASES]:
        try:
            case = case_for(engine, user=user, case_id=case_id, action="issue_order")
            step = FireIn.model_validate({"event": "issue_order", "expected_version": case.version})
            steps.take_step(engine, user=user, case_id=case_id, step=step)
        except REFUSED as exc:
            found.refused[case_id] = exc
            continue
        found.ordered.append(case_id)
    with UnitOfWork(engine, read_only=True) as uow:
        for item_id, document in outbox.unissued_of_cases(uow.session, found.ordered):
            if document in ORDERS:
                found.items.setdefault(document, []).append(item_id)
    return found


def issue_together(engine: Engine, files: FileStore, items: dict[str, list[int]]) -> None:
    """Issue each document's items as one order; a failure is recorded on the items (the
    sweep retries them) and never raised: this runs after the answer was sent."""
    for document, outbox_ids in items.items():
        try:
            execute_group_order(engine, files, outbox_ids)
        except Exception:
            log.exception("the group %s of items %s failed; the sweep retries", document,
                          outbox_ids)  # fmt: skip
