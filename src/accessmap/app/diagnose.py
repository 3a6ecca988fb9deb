"""Use case ``diagnose``: the whole diagnostic, published atomically (report and store together).

:func:`run_diagnose` computes everything in memory, writes the report into a staging folder, writes
the results into a staged store transaction (:func:`accessmap.app.results.write_results`, the same
mechanism as :func:`accessmap.app.save_results`) and swaps the folder in as the store commits
(:mod:`accessmap.publish`). :func:`diagnose_session` holds the report folder's lock and settles
what an interrupted run left, before anything is computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from accessmap.app.results import open_store, write_results
from accessmap.app.traveltimes import Progress, step
from accessmap.check import check_diagnose
from accessmap.diagnostic import Diagnostic, DiagnosticOptions, run_diagnostic
from accessmap.inputs import forget_reads, read_once
from accessmap.network import TravelTimes
from accessmap.publish import (
    check_output_folder,
    deliver_signals,
    publish,
    recover,
    report_lock,
    staging_folder,
)
from accessmap.report import write_pdf, write_report
from accessmap.report.pdf import find_chromium
from accessmap.settings import get_settings
from accessmap.sources import SourceFile
from accessmap.store import Store

__all__ = [
    "DiagnoseOptions",
    "DiagnoseResult",
    "check_diagnose_run",
    "diagnose_session",
    "run_diagnose",
]

_SLUG_LENGTH = 60


@dataclass(frozen=True, slots=True)
class DiagnoseOptions:
    """What ``diagnose`` computes and where it publishes.

    Attributes
    ----------
    diagnostic
        The diagnostic's options (inputs included).
    out
        The report folder; ``None``: ``reports/<territory>``.
    pdf
        Also write the report as an A4 PDF.
    """

    diagnostic: DiagnosticOptions = field(default_factory=DiagnosticOptions)
    out: Path | None = None
    pdf: bool = False

    @property
    def target(self) -> Path:
        """The report folder."""
        if self.out is not None:
            return self.out
        name = self.diagnostic.inputs.territory
        slug = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)
        return Path("reports") / slug[:_SLUG_LENGTH]


@dataclass(frozen=True, slots=True)
class DiagnoseResult:
    """A published diagnostic.

    Attributes
    ----------
    options
        As asked.
    diagnostic
        Every table of the report.
    """

    options: DiagnoseOptions
    diagnostic: Diagnostic

    @property
    def provenance(self) -> Sequence[SourceFile]:
        """Every file read."""
        return self.diagnostic.inputs.provenance

    def store_tables(self) -> Mapping[str, pd.DataFrame]:
        """``results_communes``, ``results_options``, ``results_outlook`` and companions."""
        d = self.diagnostic
        tables = {
            "results_communes": d.indicators.communes,
            "results_options": d.comparison,
            "results_outlook": d.outlook.workforce,
        }
        if d.professions is not None:
            tables["results_professions"] = d.professions.summary
        if d.official_effects is not None:
            tables["results_official_effects"] = d.official_effects
        return tables

    def store_times(self) -> Sequence[tuple[str, TravelTimes]]:
        """Return the travel times of the GPs, the other professions and the calibration."""
        d = self.diagnostic
        name = d.inputs.territory.name
        times = [(f"diagnose {name}", d.traveltimes)]
        if d.professions is not None and d.professions.traveltimes is not None:
            times.append((f"professions {name}", d.professions.traveltimes))
        if d.calibration_times is not None:
            times.append((f"calibration {name}", d.calibration_times))
        return times

    def csv_files(self, out: Path) -> Mapping[Path, pd.DataFrame]:  # noqa: ARG002
        """None: the report folder holds the tables (:func:`accessmap.report.write_report`)."""
        return {}


@contextmanager
def diagnose_session(options: DiagnoseOptions) -> Iterator[tuple[str, ...]]:
    """Check the report folder, lock it and settle an interrupted run's leftovers.

    Parameters
    ----------
    options
        The run's options (its :attr:`~DiagnoseOptions.target`).

    Yields
    ------
    tuple of str
        What was recovered (French lines, for the reader).

    Raises
    ------
    ValidationError
        The folder cannot be written, is the store, or another run holds it (or the store).
    """
    target = options.target
    store_path = get_settings().store_path
    check_output_folder(target, store_path=store_path)
    with report_lock(target, store=store_path), read_once():  # checks and run read inputs once
        yield tuple(recover(target))


def check_diagnose_run(options: DiagnoseOptions) -> list[str]:
    """Check, in seconds and without computing, the inputs and outputs of a run.

    Parameters
    ----------
    options
        The run's options.

    Returns
    -------
    list of str
        One French line per check passed (a failed check raises).
    """
    if options.pdf:  # before the minute of computing, not after it
        find_chromium()
    return check_diagnose(options.diagnostic, options.target)


def run_diagnose(
    options: DiagnoseOptions,
    *,
    store: Store | None = None,
    progress: Progress = None,
    on_published: Callable[[], None] | None = None,
) -> DiagnoseResult:
    """Compute the diagnostic, then publish the report and the store's results together.

    Call it inside :func:`diagnose_session`.

    Parameters
    ----------
    options
        What to compute and where to publish.
    store
        Open store; ``None``: the settings' store.
    progress
        Receives each step's French description.
    on_published
        Called once the store committed and the report is in place (an interruption from then
        on changes nothing). A Ctrl-C or SIGTERM that arrived during the commit is delivered
        right after it.

    Returns
    -------
    DiagnoseResult
    """
    target = options.target
    with open_store(store) as db:
        diagnostic = run_diagnostic(options.diagnostic, store=db, progress=progress)
        forget_reads()  # only writing remains: the inputs read leave their memory to it
        step(progress, "app.step_report")
        result = DiagnoseResult(options=options, diagnostic=diagnostic)
        with staging_folder(target) as stage, db.staged() as commit:
            files = write_report(diagnostic, stage, progress=progress)
            if options.pdf:
                step(progress, "progress.report_pdf")
                write_pdf(files.html, stage / "diagnostic.pdf")
            write_results(db, result)
            late = publish(stage, target, store=db, commit=commit)
        if on_published is not None:
            on_published()
    deliver_signals(late)  # the run is published: now Ctrl-C / SIGTERM may stop it
    return result
