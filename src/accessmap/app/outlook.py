"""Use case ``outlook``: practitioners year by year (retirements, replacements, access)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import ClassVar

import pandas as pd

from accessmap.app.results import InputsResult, open_store
from accessmap.app.traveltimes import Progress, load_with_times, step
from accessmap.conventions import INDICATOR_HORIZON
from accessmap.diagnostic import DiagnosticOptions, compute_outlook
from accessmap.diagnostic.measures import inputs_for_profession
from accessmap.indicators import profession_parameters
from accessmap.inputs import Inputs
from accessmap.network import TravelTimes
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.store import Store
from accessmap.workforce import Outlook

__all__ = ["OUTLOOK_TABLES", "OutlookOptions", "OutlookResult", "run_outlook"]

#: The outlook's tables, stored as ``results_outlook_<name>`` and written as ``outlook_<name>.csv``.
OUTLOOK_TABLES = ("workforce", "access", "apl", "losses", "retirement", "coverage")


@dataclass(frozen=True, slots=True)
class OutlookOptions:
    """What ``outlook`` projects.

    Attributes
    ----------
    diagnostic
        The input options and the outlook's (scenario, start year, horizon, runs, retirement
        age, rule for unknown ages).
    profession
        A key of :data:`accessmap.indicators.PROFESSIONS`.
    monte_carlo
        Monte Carlo draws (``diagnostic.runs``) instead of expected values.
    """

    diagnostic: DiagnosticOptions = field(default_factory=DiagnosticOptions)
    profession: str = DEFAULT_PROFESSION
    monte_carlo: bool = False

    def __post_init__(self) -> None:
        """Refuse an unknown profession before any work."""
        profession_parameters(self.profession)


@dataclass(frozen=True, slots=True)
class OutlookResult(InputsResult):
    """An outlook and what it was computed from.

    Attributes
    ----------
    options
        As asked.
    inputs
        What was loaded (the profession's roster and parameters).
    times
        The travel times used.
    outlook
        The projection (year by year, per commune, per engine).
    """

    options: OutlookOptions
    inputs: Inputs
    times: TravelTimes
    outlook: Outlook

    STORE_LABEL: ClassVar[str] = "outlook"

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the outlook's tables by name (:data:`OUTLOOK_TABLES`)."""
        return {name: getattr(self.outlook, name) for name in OUTLOOK_TABLES}

    def store_tables(self) -> Mapping[str, pd.DataFrame]:
        """``results_outlook_<name>``, each with its scenario and engine."""
        tag = {"scenario": self.outlook.scenario, "engine": self.outlook.engine}
        return {f"results_outlook_{k}": v.assign(**tag) for k, v in self.tables().items()}

    def csv_files(self, out: Path) -> Mapping[Path, pd.DataFrame]:
        """``outlook_<name>.csv`` in the folder ``out``."""
        return {out / f"outlook_{k}.csv": v for k, v in self.tables().items()}


def run_outlook(
    options: OutlookOptions, *, store: Store | None = None, progress: Progress = None
) -> OutlookResult:
    """Project a profession's workforce and access year by year (nothing is written).

    Parameters
    ----------
    options
        What to project.
    store, progress
        The store whose travel-time cache is read (``None``: the settings'), and the callback
        receiving each step's French description (``None``: quiet).

    Returns
    -------
    OutlookResult
        Save it with :func:`accessmap.app.save_results`.

    References
    ----------
    CARMF retirement ages; DREES APL (see :mod:`accessmap.workforce`).
    """
    diagnostic = options.diagnostic
    with open_store(store) as db:
        inputs, times, _road = load_with_times(
            diagnostic.inputs, store=db, progress=progress, horizon=INDICATOR_HORIZON,
            candidates=False, adapt=partial(_for_profession, profession=options.profession),
        )  # fmt: skip
    step(progress, "app.step_outlook")
    (outlook,) = compute_outlook(
        inputs, times, diagnostic, profession=options.profession,
        engines=("monte_carlo",) if options.monte_carlo else ("expected",),
    )  # fmt: skip
    return OutlookResult(options=options, inputs=inputs, times=times, outlook=outlook)


def _for_profession(inputs: Inputs, *, profession: str) -> Inputs:
    return inputs_for_profession(inputs, profession)
