"""A report's extra sheet (a summary with its chart) on its way into the user's workbook.

An extra sheet (``SheetEntry.extra``, e.g. "Profit summary") is wholly ours: the report computes
it from its rows at every run. Unlike a data sheet, whose drawings are the user's and are kept,
an extra sheet's drawing holds our chart, so a refresh replaces the sheet with everything linked
from it: the old drawing and chart parts are removed and ours are copied in under names the
user's workbook does not use. (Shapes a user drew on a summary sheet go with it; the summary is
documented as the report's own.)
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.export.package import xmltext
from app.export.package.sheetxml import SheetWriter
from app.export.package.workbook_part import TABLE_REL, Package, relative, rels_name, resolve

_NUMBERED = re.compile(r"[0-9]*(\.[A-Za-z]+)$")


def free_name(names: set[str], member: str) -> str:
    """Return a member name like ``member`` ("xl/charts/chart3.xml") that ``names`` lacks; claim it."""
    pattern = _NUMBERED.sub(lambda match: "{0}" + match.group(1), member.replace("{", "").replace("}", ""))
    if "{0}" not in pattern:
        pattern = member + "{0}"
    number = 1
    folded = {name.casefold() for name in names}
    while pattern.format(number).casefold() in folded:
        number += 1
    name = pattern.format(number)
    names.add(name)
    return name


class LinkedParts:
    """Copies parts linked from our sheets into the user's package, and removes the user's."""

    def __init__(
        self,
        user: Package,
        ours: Package,
        names: set[str],
        added: dict[str, bytes | SheetWriter],
        removed: set[str],
        content_types: Callable[[], bytes],
        set_content_types: Callable[[bytes], None],
    ) -> None:
        self.user, self.ours, self.names = user, ours, names
        self.added, self.removed = added, removed
        self._get_types, self._set_types = content_types, set_content_types
        self._our_types = xmltext.override_types(ours.content_types)

    def copy(self, temp_part: str, new_part: str) -> list[tuple[str, str, str]]:
        """Copy what our sheet ``temp_part`` links to (its chart's drawing); return its relationships.

        The relationships keep our IDs (the sheet's XML names them) and point from ``new_part``.
        """
        _, rels = self.ours.part_rels(temp_part)
        return [
            (rel.id, rel.type, relative(new_part, self._copy_part(resolve(temp_part, rel.target))))
            for rel in rels
            if not rel.external and rel.type != TABLE_REL  # tables are renamed and renumbered apart
        ]

    def _copy_part(self, member: str) -> str:
        new = free_name(self.names, member)
        _, rels = self.ours.part_rels(member)
        if rels:
            entries = [
                (rel.id, rel.type, rel.target if rel.external else self._link(new, member, rel.target))
                for rel in rels
            ]
            self.added[rels_name(new)] = xmltext.relationships_document(entries)
            self.names.add(rels_name(new))
        self.added[new] = self.ours.read(member)
        kind = self._our_types.get(member)
        if kind:
            self._set_types(xmltext.add_override(self._get_types(), f"/{new}", kind))
        return new

    def _link(self, new: str, member: str, target: str) -> str:
        return relative(new, self._copy_part(resolve(member, target)))

    def remove(self, part: str, *, top: bool = True) -> None:
        """Remove everything the user's ``part`` links to (and, below the top, their relationships)."""
        rels_part, rels = self.user.part_rels(part)
        for rel in rels:
            if not rel.external:
                member = resolve(part, rel.target)
                if member in self.user.names and member not in self.removed:
                    self.removed.add(member)
                    self.remove(member, top=False)
                    self._set_types(xmltext.remove_overrides(self._get_types(), [f"/{member}"]))
        if not top and rels_part in self.user.names:
            self.removed.add(rels_part)
