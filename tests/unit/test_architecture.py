"""The dependency rule of ARCHITECTURE.md, checked over the tree's imports (read with `ast`,
lazy imports inside functions included, followed through every module in between): each
failure names the import that breaks a contract, with its file and line."""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
OURS = ("states", "storage", "documents", "flows", "sapar", "scripts", "bench", "tests")
# Front-door plumbing the pages and the API share: no service may lean on it.
HTTP_EDGE = ("sapar.http", "sapar.deps", "sapar.limits", "sapar.headers", "sapar.docs")
FRONT_DOORS = ("sapar.web", "sapar.api", "sapar.cli", "sapar.app", *HTTP_EDGE)
OUTSIDE = ("scripts", "bench", "tests")


@dataclass(frozen=True)
class Contract:
    name: str
    layer: tuple[str, ...]
    forbidden: tuple[str, ...]


CONTRACTS = (
    Contract(
        "states imports nothing of ours", ("states",), tuple(o for o in OURS if o != "states")
    ),
    Contract(
        "documents imports no storage, services, front door or flow",
        ("documents",),
        ("storage", "sapar.services", "sapar.portal", *FRONT_DOORS, "flows", *OUTSIDE),
    ),
    Contract(
        "storage imports no services, front door or flow",
        ("storage",),
        ("sapar.services", "sapar.portal", *FRONT_DOORS, "flows", *OUTSIDE),
    ),
    Contract(
        "services import no front door and no flow",
        ("sapar.services", "sapar.portal"),
        (*FRONT_DOORS, "flows", *OUTSIDE),
    ),
    Contract("the web does not import the API", ("sapar.web",), ("sapar.api", *OUTSIDE)),
    Contract("the API does not import the web", ("sapar.api",), ("sapar.web", *OUTSIDE)),
    Contract(
        "the pages and the API reach the flows only through the app",
        ("sapar.web", "sapar.api", *HTTP_EDGE),
        ("flows",),
    ),
    Contract("flows import no web and no API", ("flows",), (*FRONT_DOORS, *OUTSIDE)),
)


@dataclass(frozen=True)
class Edge:
    target: str
    path: Path
    line: int


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {}
    for top in OURS:
        for path in (REPO / top).rglob("*.py"):
            if "__pycache__" not in path.parts:
                found[_module_of(path)] = path
    return found


def _imported(node: ast.Import | ast.ImportFrom, module: str, path: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    if node.level:
        base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
        base = f"{base}.{node.module}" if node.module else base
    else:
        base = node.module or ""
    # `from sapar import clock` imports the module sapar.clock.
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def graph() -> dict[str, list[Edge]]:
    known = modules()

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, list[Edge]] = {}
    for module, path in known.items():
        out = edges.setdefault(module, [])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _imported(node, module, path):
                target = resolve(name) if name.split(".")[0] in OURS else None
                if target and target != module:
                    out.append(Edge(target, path.relative_to(REPO), node.lineno))
    return edges


def violations(contract: Contract, edges: dict[str, list[Edge]]) -> list[str]:
    """One line per module of the layer that reaches a forbidden one, by the shortest way out
    of the layer: the module's own import, then any in between. The way through another
    module of the layer is that module's own line."""
    found = []
    for start in sorted(m for m in edges if _within(m, contract.layer)):
        came_from: dict[str, tuple[str, Edge] | None] = {start: None}
        queue = deque([start])
        while queue:
            module = queue.popleft()
            if _within(module, contract.forbidden):
                way: list[Edge] = []
                while (step := came_from[module]) is not None:
                    module, edge = step
                    way.insert(0, edge)
                said = [f"imports {e.target} ({e.path}:{e.line})" for e in way]
                found.append(f"{start} " + ", which ".join(said))
                break
            for edge in edges.get(module, []):
                # A contract's layer and its forbidden modules never overlap.
                if edge.target not in came_from and not _within(edge.target, contract.layer):
                    came_from[edge.target] = (module, edge)
                    queue.append(edge.target)
    return found


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_every_import_keeps_the_dependency_rule(contract: Contract) -> None:
    broken = violations(contract, graph())
    assert not broken, f"{contract.name}, but:\n" + "\n".join(broken)


def test_the_check_names_the_import_that_breaks_a_contract() -> None:
    """A contract that cannot fail checks nothing: a web module importing the API through a
    module in between is caught, and the message names both imports and their lines."""
    edges = {
        "sapar.web.pages": [Edge("sapar.http", Path("sapar/web/pages.py"), 19)],
        "sapar.http": [Edge("sapar.api.routes", Path("sapar/http.py"), 7)],
        "sapar.api.routes": [],
    }
    web_not_api = next(c for c in CONTRACTS if c.name == "the web does not import the API")
    assert violations(web_not_api, edges) == [
        "sapar.web.pages imports sapar.http (sapar/web/pages.py:19), "
        "which imports sapar.api.routes (sapar/http.py:7)"
    ]


def test_the_imports_read_include_lazy_ones_and_from_imports_of_modules() -> None:
    cli = {edge.target for edge in graph()["sapar.cli"]}
    assert "scripts.demo" in cli  # imported inside `sapar demo`
    assert "sapar.clock" in {edge.target for edge in graph()["sapar.services.cases"]}
