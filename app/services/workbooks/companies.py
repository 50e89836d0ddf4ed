"""Which companies a workbook's refresh reads: those its reports were written with.

A workbook written from several companies records every company's connection name (and
"every saved connection" when that was the choice). A refresh reads them all again, each with
its connection saved on this computer: a name that is not saved here is named, and nothing is
refreshed (a refresh that quietly left a company out would look complete). A workbook of one
company keeps the older rules: ``--connection`` stands in for its connection, else its own
connection when saved here, else the caller's fallback (the command line's environment variables).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import ConfigurationError, CredentialError
from app.export.package.metadata import WorkbookRecord

_ADD_IT = (
    "Add it under the same name (“dear-export connections add”, or Connections in the window), "
    "then refresh again."
)


@dataclass(frozen=True)
class RecordedCompanies:
    """The companies a workbook's reports were written with."""

    names: tuple[str, ...]
    every: bool = False
    """Chosen as every saved connection: a refresh reads every connection saved then."""

    @property
    def several(self) -> bool:
        """True when the reports hold more than one company (a Company column first)."""
        return self.every or len(self.names) > 1


def recorded_companies(record: WorkbookRecord) -> RecordedCompanies:
    """Return every company the workbook's reports name, in the order first met."""
    names: dict[str, str] = {}
    every = False
    for report in record.reports:
        every = every or report.recipe.all_connections
        for name in report.recipe.company_names():
            names.setdefault(name.casefold(), name)
    return RecordedCompanies(tuple(names.values()), every)


def _listed(names: Sequence[str]) -> str:
    quoted = [f"“{name}”" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def companies_to_read(
    record: WorkbookRecord, saved: Sequence[str], given: str = "", *, every_saved: Sequence[str] = ()
) -> tuple[str, ...]:
    """Return the saved connections a refresh reads (() means: use the caller's fallback).

    ``saved`` are the connections saved here, ``every_saved`` those "every connection" means
    (saved ones without session-only connections; defaults to ``saved``), ``given`` a connection
    the user named for this refresh. Raises ConfigurationError for ``given`` with several
    companies, CredentialError when a company's connection is not saved here.
    """
    recorded = recorded_companies(record)
    if given:
        if recorded.several:
            raise ConfigurationError(
                f"This workbook holds the reports of several companies ({_listed(recorded.names)}); "
                "one connection cannot stand in for them.",
                hint="Leave out --connection: each company is read with its own saved connection.",
            )
        return (given,)
    here = {name.casefold(): name for name in saved}
    if recorded.every:
        everyone = tuple(every_saved or saved)
        if not everyone:
            raise CredentialError(
                "There are no saved connections to refresh this workbook with.", hint=_ADD_IT
            )
        return everyone
    missing = [name for name in recorded.names if name.casefold() not in here]
    if recorded.several and missing:
        plural = "connections named" if len(missing) > 1 else "connection named"
        raise CredentialError(
            f"This workbook holds the reports of {_listed(recorded.names)}, but no {plural} "
            f"{_listed(missing)} is saved on this computer, so nothing was refreshed.",
            hint=_ADD_IT.replace("it", "them", 1) if len(missing) > 1 else _ADD_IT,
        )
    return tuple(here[name.casefold()] for name in recorded.names if name.casefold() in here)
