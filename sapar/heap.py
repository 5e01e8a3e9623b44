"""Keep Python's collector off what start-up built, in the long-lived processes.

Importing the web, Prefect, SQLAlchemy and docxtpl leaves some 230,000 objects that live as
long as the process. Every full collection walked all of them (about 120 ms on this machine),
and a group order or a busy page creates enough objects to set one or two of those off. Frozen
after start-up, they are out of the collector's walk; what requests create is collected as
before. Called once per process, just before it starts serving (`sapar serve`, the flows
process); the bench's document worker does the same so it measures what the worker does.
"""

from __future__ import annotations

import gc


def settle_after_start_up() -> None:
    gc.collect()  # what start-up threw away is freed, not kept for good
    gc.freeze()
