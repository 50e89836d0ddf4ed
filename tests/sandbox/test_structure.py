"""The sandbox's modules import each other in no cycle (type-checking imports included) and stay small."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import app.sandbox

PACKAGE = "app.sandbox"
FOLDER = Path(app.sandbox.__file__).parent
MAX_LINES = 400


def _module_name(path: Path) -> str:
    return PACKAGE if path.name == "__init__.py" else f"{PACKAGE}.{path.stem}"


def _imports(path: Path, modules: set[str]) -> Iterator[str]:
    """Every package module that ``path`` imports, wherever the import sits (``if TYPE_CHECKING:`` too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = PACKAGE if node.level == 1 else PACKAGE.rsplit(".", node.level - 1)[0]
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                # ``from app.sandbox import dataset`` imports the submodule, not the package's own code
                if f"{source}.{alias.name}" in modules:
                    yield f"{source}.{alias.name}"
                elif source in modules:
                    yield source


def import_graph(folder: Path = FOLDER) -> dict[str, set[str]]:
    """Map each module of the package to the package modules it imports."""
    paths = sorted(folder.glob("*.py"))
    modules = {_module_name(p) for p in paths}
    return {_module_name(p): set(_imports(p, modules)) - {_module_name(p)} for p in paths}


def find_cycle(graph: Mapping[str, set[str]]) -> list[str]:
    """Return one import cycle as a path (first module repeated at the end), or [] if there is none."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return []


def test_the_sandbox_modules_import_each_other_in_no_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 20  # the whole package was read
    cycle = find_cycle(graph)
    assert not cycle, " -> ".join(cycle)


def test_the_cycle_check_sees_type_checking_imports(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "dataset.py").write_text("from app.sandbox import sales\n", encoding="utf-8")
    (tmp_path / "sales.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.sandbox.dataset import Dataset\n",
        encoding="utf-8",
    )
    (tmp_path / "ids.py").write_text("from .sales import x\n", encoding="utf-8")
    graph = import_graph(tmp_path)
    assert graph["app.sandbox.ids"] == {"app.sandbox.sales"}
    assert find_cycle(graph) == ["app.sandbox.dataset", "app.sandbox.sales", "app.sandbox.dataset"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_sandbox_module_is_over_400_lines() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in FOLDER.glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_every_section_the_sandbox_cites_is_in_the_copied_reference() -> None:
    doc = (FOLDER.parents[1] / "docs" / "dear-api.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[. ]", doc, re.MULTILINE))
    quirks = doc[doc.index("## 8. ") : doc.index("## 9. ")]
    sections |= {f"8.{n}" for n in re.findall(r"^(\d+)\. ", quirks, re.MULTILINE)}
    # every § in the sandbox refers to docs/dear-api.md, the only numbered document it cites
    cited = {
        section
        for path in FOLDER.glob("*.py")
        for section in re.findall(r"§(\d+(?:\.\d+)?)", path.read_text("utf-8"))
    }
    assert cited >= {"2", "5.1", "6", "6.2", "7", "8.6", "9"}
    assert cited - sections == set()
