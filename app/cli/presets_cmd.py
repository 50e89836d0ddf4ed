"""Command line: ``presets list | export | import | rename | delete`` and ``run-preset NAME``.

``run-preset`` is what a scheduler (Windows Task Scheduler, cron, launchd) calls: it runs a
saved preset without a window, fills the preset's quick date range in for today, writes the
file, logs to the user log folder and exits non-zero with a one-line reason when it fails.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.connection_args import failure_status
from app.cli.export_cmd import incomplete_reason, summary_line, vanished_lines
from app.cli.signals import cancel_on_signals
from app.dates import label as range_label
from app.errors import EXIT_INCOMPLETE, EXIT_OK, ExportError
from app.models import CancelToken, ExportRequest, ExportResult, Progress
from app.services.presets import company_label

if TYPE_CHECKING:
    from app.services.exporting import ExportService
    from app.wiring import Services

log = logging.getLogger(__name__)


def _services() -> Services:
    # Imported here so that building the parser (and --version) does not load keyring.
    from app.wiring import user_services

    return user_services()


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``presets`` command (with its actions) and the ``run-preset`` command."""
    parser = subparsers.add_parser(
        "presets",
        help="list, share and manage saved exports (presets)",
        description="Presets are saved exports: reports, filters, columns, dates and where the file goes. "
        "They never contain an Application Key.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="show the saved presets")
    listing.set_defaults(handler=_list)

    export = actions.add_parser("export", help="save a preset to a file to share it")
    export.add_argument("name", metavar="NAME")
    export.add_argument("path", metavar="PATH", type=Path, help="a .json file, or a folder to put it in")
    export.set_defaults(handler=_export)

    imported = actions.add_parser("import", help="add a preset from a shared file")
    imported.add_argument("path", metavar="PATH", type=Path)
    imported.add_argument("--replace", action="store_true", help="replace a preset that has the same name")
    imported.set_defaults(handler=_import)

    rename = actions.add_parser("rename", help="give a preset a new name")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.set_defaults(handler=_rename)

    delete = actions.add_parser("delete", help="delete a preset")
    delete.add_argument("name", metavar="NAME")
    delete.set_defaults(handler=_delete)

    run = subparsers.add_parser(
        "run-preset",
        help="run a saved preset without opening the window (for schedulers)",
        description="Run a saved preset now. Quick date ranges (such as last month) are worked out "
        "for today. Exit status: 0 done, 2 bad preset or connection, 3 key not accepted, "
        "4 DEAR or network problem, 5 file could not be written, 6 file written but incomplete, "
        "130 cancelled.",
    )
    run.add_argument("name", metavar="NAME", help="the preset's name")
    run.add_argument(
        "--out",
        metavar="PATH",
        type=Path,
        help="write here instead: a folder (the preset's file name is kept) or a full file name",
    )
    run.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        type=_iso_date,
        help="work the date range out as if today were this day (to re-run a past period)",
    )
    run.set_defaults(handler=_run_preset)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


# ---------------------------------------------------------------------------- presets actions


def _list(args: argparse.Namespace) -> int:
    presets = _services().presets.list()
    if not presets:
        print(
            "No presets yet. Save one in the window, or import a shared one: dear-export presets import PATH"
        )
    for preset in presets:
        dates = range_label(preset.date_range) if preset.date_range else "all dates"
        reports = ", ".join(report.key for report in preset.reports)
        print(f"{preset.name}  (connection {company_label(preset)}; {dates}; {reports})")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    path = _services().presets.export_file(args.name, args.path)
    print(f"Saved the preset to {path}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    preset = _services().presets.import_file(args.path, replace_existing=args.replace)
    print(f"Imported the preset '{preset.name}' (connection {preset.connection}).")
    return EXIT_OK


def _rename(args: argparse.Namespace) -> int:
    preset = _services().presets.rename(args.old, args.new)
    print(f"Renamed the preset to '{preset.name}'.")
    return EXIT_OK


def _delete(args: argparse.Namespace) -> int:
    _services().presets.delete(args.name)
    print(f"Deleted the preset '{args.name}'.")
    return EXIT_OK


# ---------------------------------------------------------------------------- run-preset


def _run_preset(args: argparse.Namespace) -> int:
    today = args.as_of or date.today()
    services = _services()  # built once: the presets and the export share one settings file and cache
    presets = services.presets
    preset = presets.load(args.name)
    request = presets.resolve(preset, today, output=args.out)
    log.info(
        "Running preset '%s' with connection '%s' (%s) into %s",
        preset.name,
        company_label(preset),
        range_label(preset.date_range) if preset.date_range else "all dates",
        request.output,
    )
    result = run_export(request, services.exporter)
    for path in result.files:
        print(f"Saved {path}")
    summary = summary_line(request, result)
    print(summary, flush=True)
    log.info("Preset '%s' finished: %s (%d requests)", preset.name, summary, result.calls_used)
    for line in vanished_lines(result):
        print(line, file=sys.stderr)
        log.warning("%s", line)
    failed = failure_status(result)  # several companies: the others were written, but say so
    if failed is not None:
        log.warning("Preset '%s': %d company(ies) not exported.", preset.name, len(result.failures))
        return failed
    if not result.complete:
        # Unattended runs have nobody to read the notes: make the scheduler show a failure.
        reason = incomplete_reason(result)
        print(f"Error: the export is incomplete. {reason} Run the preset again.", file=sys.stderr)
        log.warning("Preset '%s' is incomplete: %s", preset.name, reason)
        return EXIT_INCOMPLETE
    return EXIT_OK


def run_export(request: ExportRequest, service: ExportService | None = None) -> ExportResult:
    """Run one export to the end without a window, logging its progress; Ctrl+C or SIGTERM cancel it."""
    try:
        request.output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(
            f"The folder {request.output.parent} does not exist and could not be created.",
            hint="Check that the drive is connected, or change the preset's folder (or use --out).",
            details=str(error),
        ) from error
    cancel = CancelToken()
    service = service or _services().exporter
    with cancel_on_signals(cancel, _announce_cancel):
        return service.run(request, cancel, _ProgressLog())


class _ProgressLog:
    """Logs progress: a new phase at info level, the rest at debug (called one event at a time)."""

    def __init__(self) -> None:
        self._phase = ""

    def __call__(self, progress: Progress) -> None:
        if progress.phase != self._phase:
            self._phase = progress.phase
            log.info("%s", progress.message)
        else:
            log.debug("%s", progress.message)


def _announce_cancel() -> None:
    log.warning("Stop requested; cancelling the export.")
