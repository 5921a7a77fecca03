"""No two modules of a package import each other at run time, not even from a function (issue 20:
exports/services and exports/tasks did, and demo/scenario and demo/tracing)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those under `if TYPE_CHECKING:` (names for the type checker only)."""
    nodes: list[ast.AST] = []
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and ast.unparse(child.test) == "TYPE_CHECKING":
            continue
        nodes += [child, *_runtime_nodes(child)]
    return nodes


def _imports(path: Path, package: str) -> set[str]:
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found.update(n.removeprefix(package + ".") for n in names if n.startswith(package + "."))
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    def visit(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        for other in sorted(graph.get(module, ())):
            if found := visit(other, [*path, module]):
                return found
        return []

    for module in sorted(graph):
        if found := visit(module, []):
            return found
    return []


@pytest.mark.parametrize("package", ["exports", "demo"])
def test_the_package_has_no_import_cycle(package: str) -> None:
    folder = ROOT / package
    modules = {p.stem: p for p in folder.glob("*.py")}
    name = f"homeward.{package}"
    graph = {m: _imports(p, name) & modules.keys() - {m} for m, p in modules.items()}
    assert _cycle(graph) == []
