"""`python -m flows.prefect_server start [options]`: `prefect server start`, made to schedule.

Prefect 3.8.8's scheduler bulk-inserts flow runs from dicts that carry a "state" key, which
is a hybrid property of the FlowRun model. SQLAlchemy 2.0 ignored it; 2.1 (which sapar
uses) refuses it ("Can't evaluate bulk DML statement"), so no scheduled run is ever
created. The fix tells SQLAlchemy to leave the key out of the INSERT (Prefect writes the
state rows itself right after). Without SQLAlchemy 2.1 it does nothing.
"""

from __future__ import annotations

import sys
from typing import Any


def _drop_from_insert(cls: Any, mapping: dict[str, Any], value: Any) -> None:
    mapping.pop("state", None)


def fix_scheduler_for_sqlalchemy_2_1() -> None:
    from prefect.server.database import orm_models
    from sqlalchemy.ext.hybrid import hybrid_property

    for model in (orm_models.FlowRun, orm_models.TaskRun):
        state: Any = model.__dict__.get("state")
        fixable = isinstance(state, hybrid_property) and hasattr(state, "bulk_dml_setter")
        if fixable and state.bulk_dml_setter is None:
            state.bulk_dml_setter = _drop_from_insert


def main() -> None:
    fix_scheduler_for_sqlalchemy_2_1()
    from prefect.cli import app

    sys.argv = ["prefect", "server", *sys.argv[1:]]
    app()


if __name__ == "__main__":
    main()
