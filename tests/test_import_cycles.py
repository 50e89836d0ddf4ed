"""The modules of ``app`` import each other in no cycle, counting every import in the source, and stay small.

import-linter checks layers between packages; this reads every module of ``app/`` with ``ast`` and
counts every import it holds: at the top, inside functions (the lazy ones) and under
``if TYPE_CHECKING:`` (a cycle of types is still two modules that cannot be understood apart).
A failure names each cycle as a chain of modules, ``a -> b -> a``.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "app"
MAX_LINES = 400

Graph = dict[str, set[str]]


def module_name(path: Path, package: Path) -> str:
    """Return the dotted name of a source file of ``package`` (the package's own for ``__init__.py``)."""
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _longest_known(name: str, modules: set[str]) -> str | None:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def imported_modules(tree: ast.AST, module: str, is_package: bool, modules: set[str]) -> set[str]:
    """Return the known modules that the import statements anywhere in ``tree`` load by name.

    ``from app.services import presets`` loads the module ``app.services.presets``;
    ``from app.services.presets import Preset`` loads the package ``app.services.presets``.
    (A parent package's ``__init__`` also runs, but that is the package's business: no edge.)
    """
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(m for alias in node.names if (m := _longest_known(alias.name, modules)))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *filter(None, [node.module])])
            else:
                base = node.module or ""
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                target = submodule if submodule in modules else _longest_known(base, modules)
                if target:
                    found.add(target)
    found.discard(module)
    return found


def import_graph(package: Path = PACKAGE) -> Graph:
    """Return module -> the modules of the package it imports (type-checking and lazy imports included)."""
    files = {module_name(path, package): path for path in sorted(package.rglob("*.py"))}
    modules = set(files)
    return {
        module: imported_modules(
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path)),
            module,
            path.name == "__init__.py",
            modules,
        )
        for module, path in files.items()
    }


def knots(graph: Mapping[str, set[str]]) -> list[set[str]]:
    """Return each group of two or more modules that all reach each other through imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups, key=min)


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Return one concrete cycle (``[a, b, ..., a]``) through each knot: the shortest from its first name."""
    return [_one_cycle(graph, group) for group in knots(graph)]


def _one_cycle(graph: Mapping[str, set[str]], group: set[str]) -> list[str]:
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:  # breadth first: the shortest way from start back to start inside the group
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")  # unreachable for a strongly connected group


def test_the_modules_of_app_import_each_other_in_no_cycle() -> None:
    graph = import_graph()
    lines = []
    for group in knots(graph):
        line = " -> ".join(_one_cycle(graph, group))
        if len(group) > 2:
            line += f"  (the knot: {', '.join(sorted(group))})"
        lines.append(line)
    assert not lines, "Import cycles (type-checking and lazy imports included):\n" + "\n".join(lines)


def test_no_module_of_app_is_over_400_lines() -> None:
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert len(sizes) > 100  # the whole package was read
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


# --------------------------------------------------------------------------- the check itself


def test_the_check_sees_type_checking_lazy_and_relative_imports(tmp_path: Path) -> None:
    root = tmp_path / "app"
    (root / "pkg").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.pkg.b import B\n"
    )
    (root / "pkg" / "b.py").write_text("def f():\n    from . import c\n")
    (root / "pkg" / "c.py").write_text("import app.pkg.a\n")
    (root / "d.py").write_text("from app.pkg import a\n")  # into the cycle, not part of it

    graph = import_graph(root)
    assert graph["app.d"] == {"app.pkg.a"}
    assert cycles(graph) == [["app.pkg.a", "app.pkg.b", "app.pkg.c", "app.pkg.a"]]


def test_a_package_importing_its_own_modules_is_no_cycle_but_a_module_importing_back_is() -> None:
    graph = {"app.pkg": {"app.pkg.x"}, "app.pkg.x": set[str]()}
    assert cycles(graph) == []
    graph["app.pkg.x"] = {"app.pkg"}  # "from app.pkg import something_defined_in_init"
    assert cycles(graph) == [["app.pkg", "app.pkg.x", "app.pkg"]]
