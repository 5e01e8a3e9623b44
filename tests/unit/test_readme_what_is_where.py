"""The README's "What is where" matches the tree: every path it names exists, and every
top-level directory and every package of sapar/ is named (ARCHITECTURE.md's paths too)."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PATH_LIKE = re.compile(r"/|\.(py|md|yaml|toml|sh)$")


def section(text: str, title: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def paths_named(text: str) -> set[str]:
    """The `code` spans that are paths: with a slash or a file's extension, no spaces."""
    spans = re.findall(r"`([^`\s]+)`", text)
    return {span for span in spans if PATH_LIKE.search(span) and not span.startswith("/")}


def what_is_where() -> str:
    return section((REPO / "README.md").read_text(encoding="utf-8"), "What is where")


def ignored(name: str) -> bool:
    patterns = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    return any(fnmatch.fnmatch(name, p.rstrip("/")) for p in patterns)


def exists(path: str) -> bool:
    """A path from the repository's root; a bare file name (`steps.py`, in prose that has
    named its folder) anywhere in the tree."""
    if "/" in path:
        return (REPO / path).exists()
    return any(not ignored(found.relative_to(REPO).parts[0]) for found in REPO.rglob(path))


def test_every_path_the_section_names_exists() -> None:
    named = paths_named(what_is_where())
    assert {"states/", "sapar/services/"} <= named  # the spans are read at all
    missing = sorted(p for p in named if not exists(p))
    assert not missing, f"README's What is where names paths the tree lacks: {missing}"


def test_every_top_level_directory_is_named() -> None:
    named = {p.rstrip("/") for p in paths_named(what_is_where())}
    tree = {
        d.name
        for d in REPO.iterdir()
        if d.is_dir() and not d.name.startswith(".") and not ignored(d.name)
    }
    assert {"states", "sapar", "tests"} <= tree
    assert not tree - named, f"README's What is where leaves out: {sorted(tree - named)}"


def test_every_package_and_directory_of_sapar_is_named() -> None:
    named = {p.rstrip("/") for p in paths_named(what_is_where())}
    tree = {
        f"sapar/{d.name}" for d in (REPO / "sapar").iterdir() if d.is_dir() and not ignored(d.name)
    }
    assert "sapar/services" in tree
    assert not tree - named, f"README's What is where leaves out: {sorted(tree - named)}"


def test_every_path_architecture_md_names_exists() -> None:
    named = paths_named((REPO / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    assert "states/" in named
    missing = sorted(p for p in named if not exists(p))
    assert not missing, f"ARCHITECTURE.md names paths the tree lacks: {missing}"


def test_a_path_that_is_not_in_the_tree_is_caught() -> None:
    text = "| `states/` | x |\n| `sapar/nowhere.py` | y |\n| `make run` | z | `gone.py`"
    named = paths_named(text)
    assert named == {"states/", "sapar/nowhere.py", "gone.py"}
    assert [p for p in sorted(named) if not exists(p)] == ["gone.py", "sapar/nowhere.py"]
