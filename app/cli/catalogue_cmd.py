"""Command line: ``endpoints`` lists every report with its key, label and filters."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from app import catalogue
from app.models import EndpointSpec, FilterKind, FilterSpec


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``endpoints`` sub-command."""
    parser = subparsers.add_parser(
        "endpoints",
        help="list the reports you can export, with their keys and filters",
        description="List every report: the key to pass to 'export --endpoint', what it holds, "
        "and the filters it accepts (use them as --filter NAME=VALUE).",
    )
    parser.add_argument("--json", action="store_true", help="print the full catalogue as JSON")
    parser.set_defaults(handler=run)


def _filter_text(item: FilterSpec) -> str:
    """Name and a short hint; the full choices and help are in ``--json``."""
    hints = {
        FilterKind.CHOICE: "choice",
        FilterKind.DATE: "date",
        FilterKind.DATETIME: "date",
        FilterKind.BOOL: "true/false",
        FilterKind.ID: "ID",
    }
    hint = hints.get(item.kind) or item.help.split(";")[0] or "text"
    return f"{item.name} ({hint})"


def _wrap_items(lead: str, items: list[str], *, indent: str, width: int = 100) -> list[str]:
    """Wrap comma-separated items without ever breaking one item across lines."""
    lines: list[str] = []
    current = indent + lead
    for number, item in enumerate(items):
        piece = item + ("," if number < len(items) - 1 else "")
        if current.strip() and len(current) + 1 + len(piece) > width and current != indent + lead:
            lines.append(current)
            current = indent + "  " + piece
        else:
            current += ("" if current.endswith(lead) else " ") + piece
    lines.append(current)
    return lines


def describe(spec: EndpointSpec) -> dict[str, Any]:
    """Return one report as plain JSON-ready data."""
    return {
        "key": spec.key,
        "label": spec.label,
        "description": spec.description,
        "group": spec.group.value,
        "line_report": spec.is_line_report,
        "dear_endpoint": spec.path,
        "detail_endpoint": spec.detail.path if spec.detail else None,
        "filters": [
            {
                "name": f.name,
                "label": f.label,
                "kind": f.kind.value,
                "choices": list(f.choices),
                "help": f.help,
            }
            for f in spec.filters
        ],
        "columns": [
            {"field": c.field, "header": c.header, "kind": c.kind.value, "default": c.default}
            for c in spec.columns
        ],
        "child_sheets": [{"field": child.field, "label": child.label} for child in spec.children],
    }


def print_table(out: TextIO) -> None:
    """Print the reports group by group, readable in a terminal."""
    width = max(len(spec.key) for spec in catalogue.ENDPOINTS) + 2
    for group, specs in catalogue.by_group().items():
        print(group.value, file=out)
        for spec in specs:
            print(f"  {spec.key:<{width}}{spec.label}", file=out)
            print(f"  {'':<{width}}{spec.description}", file=out)
            items = [_filter_text(f) for f in spec.filters] or ["none"]
            for line in _wrap_items("Filters: ", items, indent=" " * (width + 2)):
                print(line, file=out)
        print(file=out)


def run(args: argparse.Namespace) -> int:
    """Print the catalogue (table or JSON) on standard output."""
    if args.json:
        json.dump([describe(spec) for spec in catalogue.ENDPOINTS], sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print_table(sys.stdout)
    return 0
