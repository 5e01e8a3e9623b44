"""The document worker, run as a child process so its own peak RSS is measured.

    python -m bench.docs_worker '{"url": ..., "files": ..., "individual": 1000, ...}'

Renders through the issuing path (`execute_effect`, `execute_group_order`), each document
followed by bare docxtpl on the same template and variables (ratios: medians of per-pair
ratios), then (when flows/ has them) through the Prefect
flow in batches. Prints one JSON line with the figures.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from sqlalchemy import Engine, select

from documents.render import jinja_environment, template_path, template_variables, validate_context
from sapar import clock
from sapar.heap import settle_after_start_up
from sapar.services.contexts import build_context
from sapar.services.contexts.dossier import Issue, load_dossier
from sapar.services.issuing import Clerk, execute_effect, execute_group_order
from sapar.services.officials import load_officials
from states.dossier import DocumentKind
from storage.db import make_engine
from storage.files import FileStore
from storage.orm import OutboxRow
from storage.uow import UnitOfWork

from .common import median_ratio, peak_rss_mb, percentile

KIND = DocumentKind.mobility_order


def _contexts(engine: Engine, outbox_groups: list[list[int]]) -> list[dict[str, Any]]:
    """The template variables issuing built for these outbox items (one per group)."""
    clerk = Clerk()
    out = []
    with UnitOfWork(engine, read_only=True) as uow:
        officials = load_officials(uow.session)
        issue = Issue("1/АМ", clock.today(), officials, clerk.name, clerk.phone)
        for ids in outbox_groups:
            items = uow.session.scalars(select(OutboxRow).where(OutboxRow.id.in_(ids))).all()
            dossiers = [load_dossier(uow.session, uow.cases.get(i.case_id)) for i in items]
            model = validate_context(KIND, build_context(KIND, dossiers, issue))
            out.append(template_variables(model))
    return out


def bare_render(variables: dict[str, Any], language: str = "ky") -> bytes:
    """docxtpl alone: open the template, render, save. (The language's filters are part of
    the template's contract, so the bare renderer gets them too.)"""
    document = DocxTemplate(str(template_path(KIND, "ky")))
    document.render(variables, jinja_env=jinja_environment("ky"), autoescape=True)
    raw = io.BytesIO()
    document.save(raw)
    return raw.getvalue()


def _pending(engine: Engine) -> list[int]:
    with UnitOfWork(engine, read_only=True) as uow:
        return list(
            uow.session.scalars(
                select(OutboxRow.id).where(OutboxRow.status == "pending").order_by(OutboxRow.id)
            )
        )


def main(args: dict[str, Any]) -> dict[str, Any]:
    engine = make_engine(args["url"])
    settle_after_start_up()  # as the flows process does before it serves
    files = FileStore(Path(args["files"]))
    result: dict[str, Any] = {"rss_start_mb": peak_rss_mb()}
    n = int(args["individual"])
    # 1. individual orders, each issued (execute_effect) and then rendered bare from the same
    # variables, side by side: a load spike hits both members of a pair.
    first = _pending(engine)[:n]
    variables = _contexts(engine, [[i] for i in first])
    issued_ms: list[float] = []
    bare_ms: list[float] = []
    for outbox_id, v in zip(first, variables, strict=True):
        start = time.perf_counter()
        assert execute_effect(engine, files, outbox_id) is not None
        issued_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        bare_render(v)
        bare_ms.append((time.perf_counter() - start) * 1000)
    result["individual"] = {
        "n": n, "total_s": sum(issued_ms) / 1000, "per_doc_ms": sum(issued_ms) / n,
        "bare_per_doc_ms": sum(bare_ms) / n, "ratio": sum(issued_ms) / sum(bare_ms),
        "ratio_median": median_ratio(issued_ms, bare_ms),
        "p50_ms": percentile(issued_ms, 50), "bare_p50_ms": percentile(bare_ms, 50),
    }  # fmt: skip
    # 2. group orders of many students, each followed by bare docxtpl on the same variables
    groups = [[int(i) for i in g] for g in args["group_ids"] if g]
    if groups:
        g_ms: list[float] = []
        g_bare_ms: list[float] = []
        for group in groups:
            (variables_g,) = _contexts(engine, [group])
            start = time.perf_counter()
            execute_group_order(engine, files, group)
            g_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            bare_render(variables_g)
            g_bare_ms.append((time.perf_counter() - start) * 1000)
        students = len(groups[0])
        result["group"] = {
            "students": students, "orders": len(groups), "total_s": percentile(g_ms, 50) / 1000,
            "per_student_ms": percentile(g_ms, 50) / students,
            "bare_s": percentile(g_bare_ms, 50) / 1000, "ratio": sum(g_ms) / sum(g_bare_ms),
            "ratio_median": median_ratio(g_ms, g_bare_ms), "samples_ms": g_ms,
            "bare_samples_ms": g_bare_ms,
        }  # fmt: skip
    result["rss_peak_mb_issuing"] = peak_rss_mb()
    # 3. through the Prefect flow, batched, heartbeat off
    flow_ids = [int(i) for i in args["flow_ids"]]
    if flow_ids:
        result["flow"] = _through_flow(engine, flow_ids, int(args["batch"]))
        result["rss_peak_mb_with_flow"] = peak_rss_mb()
    engine.dispose()
    return result


def _through_flow(engine: Engine, ids: list[int], batch: int) -> dict[str, Any]:
    import importlib

    issue_documents: Any = None
    for module in ("flows.issuing", "flows.documents"):  # the flows work renamed it once
        try:
            issue_documents = importlib.import_module(module).issue_documents
            break
        except (ImportError, AttributeError) as exc:
            why = f"{module}: {exc}"
    if issue_documents is None:
        return {"skipped": f"no issue_documents flow in flows/ ({why})"}
    from prefect.settings import temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    quiet = {"server.analytics_enabled": False, "flows.heartbeat_frequency": None}
    start = time.perf_counter()
    with temporary_settings(quiet), prefect_test_harness(server_startup_timeout=120):
        server_s = time.perf_counter() - start
        # Warm-up: the first flow run pays for imports and the client's connection.
        issue_documents(ids[:1])
        rest = ids[1:]
        start = time.perf_counter()
        for k in range(0, len(rest), batch):
            issue_documents(rest[k : k + batch])
        elapsed = time.perf_counter() - start
    variables = _contexts(engine, [[i] for i in rest])
    start = time.perf_counter()
    for v in variables:
        bare_render(v)
    bare = time.perf_counter() - start
    return {
        "n": len(rest), "batch": batch, "server_start_s": server_s, "total_s": elapsed,
        "per_doc_ms": elapsed / len(rest) * 1000, "bare_per_doc_ms": bare / len(rest) * 1000,
        "ratio": elapsed / bare,
    }  # fmt: skip


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    print(json.dumps(main(json.loads(sys.argv[1]))))
