"""Use cases ``site`` (one siting model, or a plan evaluated) and ``compare`` (an options file).

The work — today's or a future year's supply, which sites stay open, which communes are
candidates, the comparison with the status quo — is :mod:`accessmap.diagnostic.answers`'s, on the
same inputs and travel times as the diagnostic. The APL decision models (``apl_recruits``,
``apl_best_use``, ``apl_robust``) and a plan given with ``--plan`` are answered on the official
APL plus the modelled change in the decision year
(:mod:`accessmap.diagnostic.site_decisions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import pandas as pd

from accessmap.app.results import InputsResult, open_store
from accessmap.app.traveltimes import Progress, load_with_times, step
from accessmap.diagnostic.answers import SiteAnswer, answer_options, answer_site, site_names
from accessmap.diagnostic.measures import inputs_for_profession
from accessmap.diagnostic.site_decisions import DEFAULT_DRAWS, AplSiteAnswer
from accessmap.errors import ValidationError
from accessmap.indicators import profession_parameters
from accessmap.inputs import InputOptions, Inputs
from accessmap.network import TravelTimes
from accessmap.options import Comparison, SitingOption
from accessmap.professions import DEFAULT_PROFESSION, profession
from accessmap.siting import registry
from accessmap.sources import read_text
from accessmap.store import Store

__all__ = [
    "CompareOptions",
    "CompareResult",
    "SiteOptions",
    "SiteResult",
    "read_plan",
    "run_compare",
    "run_site",
]


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """What ``site`` solves.

    Attributes
    ----------
    inputs
        What to load.
    model
        A model of :mod:`accessmap.siting.registry` (name or alias).
    params
        The model's parameters by name (``p``, ``minutes``, ``candidates``, ``method``...).
    year
        Outlook year (sites still staffed that year); ``None``: today.
    keep_existing
        Keep today's (or the year's) staffed sites open.
    mandatory
        Sites that must be open.
    min_population, premises
        Host rules for the default candidates.
    profession
        Whose sites are placed (a key of :data:`accessmap.indicators.PROFESSIONS`).
    plan
        A plan to evaluate on the official indicator instead of solving (``"19033:2,23077:1"``,
        or a file holding that text or a CSV ``site,fte``; :func:`read_plan`).
    runs
        Monte Carlo draws of the retirements for the APL models and plans (their 10-90 % band,
        the robust model's sample).
    """

    inputs: InputOptions = field(default_factory=InputOptions)
    model: str = "mclp"
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    year: int | None = None
    keep_existing: bool = True
    mandatory: tuple[str, ...] = ()
    min_population: float | None = None
    premises: tuple[str, ...] | None = None
    profession: str = DEFAULT_PROFESSION
    plan: str | None = None
    runs: int = DEFAULT_DRAWS

    def __post_init__(self) -> None:
        """Refuse an unknown model, profession or parameter before any work."""
        spec = registry.get_model(self.model)
        profession_parameters(self.profession)
        if (spec.apl_baseline or self.plan is not None) and (
            profession(self.profession).indicator != "apl"
        ):
            raise ValidationError(
                "siting.apl_profession_no_apl", field="profession", profession=self.profession
            )
        threshold = self.params.get("threshold")
        if threshold is not None and not _positive(threshold):
            raise ValidationError("app.site_threshold", field="threshold", value=threshold)
        if self.plan is not None:
            return
        known = [p.name for p in spec.user_parameters()]
        unknown = sorted(set(self.params) - set(known))
        if unknown:
            raise ValidationError(
                "app.site_param_unknown", field=unknown[0], model=spec.name, name=unknown[0],
                known=known,
            )  # fmt: skip
        registry.check_parameters(spec.name, self.params)


def _positive(value: Any) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return number > 0 and number != float("inf") and not isinstance(value, bool)


def read_plan(value: str) -> str:
    """Return a plan's text: as written (``"19033:2,23077:1"``) or read from a file.

    Parameters
    ----------
    value
        The plan, or a file (``.csv``, ``.txt``...) holding the same text or a CSV with the
        columns ``site`` and ``fte`` (comma or semicolon separated, decimal point or comma).

    Returns
    -------
    str
        ``site:fte`` pairs separated by commas (read by
        :func:`accessmap.diagnostic.decisions.parse_plan`).

    Raises
    ------
    MissingDataError
        A file that does not exist.
    ValidationError
        A CSV without the ``site`` and ``fte`` columns.
    """
    if ":" in value and not Path(value).is_file():
        return value
    path = Path(value)
    if not (path.suffix or path.exists()):
        return value  # a single pair without ':' is reported by parse_plan
    text = read_text(path, what="--plan").strip()
    lines = [line for line in text.splitlines() if line.strip()]
    head = lines[0].lower().replace(" ", "") if lines else ""
    if ":" in text and not head.startswith("site"):
        return ",".join(lines)
    sep = ";" if ";" in head else ","
    columns = head.split(sep)
    if "site" not in columns or "fte" not in columns:
        raise ValidationError("app.plan_columns", field="--plan", name=path.name)
    i, j = columns.index("site"), columns.index("fte")
    pairs = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.split(sep)]
        if len(cells) <= max(i, j):
            raise ValidationError("decisions.plan_pair", field="plan", pair=line)
        pairs.append(f"{cells[i]}:{cells[j].replace(',', '.')}")
    return ",".join(pairs)


@dataclass(frozen=True, slots=True)
class SiteResult(InputsResult):
    """A siting model's answer, next to the status quo.

    Attributes
    ----------
    options
        As asked.
    inputs
        What was loaded.
    times
        The travel times used.
    answer
        The model's solution and the comparison, or (APL models, a given plan) the plan on the
        official indicator, today and in the decision year.
    """

    options: SiteOptions
    inputs: Inputs
    times: TravelTimes
    answer: SiteAnswer | AplSiteAnswer

    STORE_LABEL: ClassVar[str] = "siting"

    def store_tables(self) -> Mapping[str, pd.DataFrame]:
        """``results_siting`` (sites), ``_assignment``, ``_comparison`` (APL: ``_communes``).

        ``results_siting_unreached`` (``id, weight, reason, nom, model``) for the p-median and
        the p-center: the communes left out of reach
        (:attr:`accessmap.siting.SitingResult.unreached`), empty when none.
        """
        if isinstance(self.answer, AplSiteAnswer):
            return _apl_tables(self.answer)
        result = self.answer.result
        tables = {
            "results_siting": result.site_table.assign(model=result.model),
            "results_siting_assignment": result.assignment,
            "results_siting_comparison": self.answer.comparison.summary,
        }
        if result.unreached is not None:
            # the communes the model left out (p-median, p-center), with their names; written
            # even when empty, so that no earlier run's list stays in the store
            names = site_names(self.inputs)
            left = result.unreached
            nom = pd.Series([names.get(str(c), str(c)) for c in left["id"]], dtype="string")
            tables["results_siting_unreached"] = left.assign(nom=nom.to_numpy(), model=result.model)
        return tables

    def csv_files(self, out: Path) -> Mapping[Path, pd.DataFrame]:
        """``siting.csv``, ``siting_assignment.csv`` and ``siting_comparison.csv`` in ``out``."""
        return {
            out / f"{k.removeprefix('results_')}.csv": v for k, v in self.store_tables().items()
        }


def _apl_tables(answer: AplSiteAnswer) -> dict[str, pd.DataFrame]:
    """Return the plan's sites, its figures today and in the year, its communes (and assignment)."""
    model = answer.result.model if answer.result is not None else "plan"
    tables = {
        "results_siting": answer.plan.assign(model=model, new=answer.plan["kind"] == "new_msp"),
        "results_siting_comparison": answer.summary(),
        "results_siting_communes": answer.after.communes,
    }
    if answer.result is not None:
        tables["results_siting_assignment"] = answer.result.assignment
    return tables


def run_site(
    options: SiteOptions, *, store: Store | None = None, progress: Progress = None
) -> SiteResult:
    """Solve one siting model and compare it with the status quo (nothing is written).

    Parameters
    ----------
    options
        What to solve.
    store, progress
        The store whose travel-time cache is read (``None``: the settings'), and the callback
        receiving each step's French description (``None``: quiet).

    Returns
    -------
    SiteResult
        To save with :func:`accessmap.app.save_results`.

    References
    ----------
    Church R. L., ReVelle C. (1974), The maximal covering location problem, Papers of the
    Regional Science Association 32.
    """
    with open_store(store) as db:
        inputs, times, _road = load_with_times(
            options.inputs, store=db, progress=progress,
            adapt=partial(inputs_for_profession, profession=options.profession),
        )  # fmt: skip
    step(progress, "app.step_siting")
    answer = answer_site(
        inputs, times, model=options.model, params=options.params, year=options.year,
        keep_existing=options.keep_existing, mandatory=options.mandatory,
        min_population=options.min_population, premises=options.premises,
        plan=None if options.plan is None else read_plan(options.plan), runs=options.runs,
        seed=options.inputs.seed, profession=options.profession,
    )  # fmt: skip
    return SiteResult(options=options, inputs=inputs, times=times, answer=answer)


@dataclass(frozen=True, slots=True)
class CompareOptions:
    """What ``compare`` compares.

    Attributes
    ----------
    inputs
        What to load.
    spec
        The parsed options file (``[[option]]`` tables; :func:`accessmap.inputs.load_options_file`).
    time_limit
        Solver seconds per model.
    """

    inputs: InputOptions
    spec: Mapping[str, Any]
    time_limit: float = 60.0


@dataclass(frozen=True, slots=True)
class CompareResult(InputsResult):
    """Siting options side by side.

    Attributes
    ----------
    options
        As asked.
    inputs
        What was loaded.
    times
        The travel times used.
    chosen
        The options built from the file.
    comparison
        ``summary`` (one row per option) and per-commune ``communes``.
    notes
        What a reader must know.
    """

    options: CompareOptions
    inputs: Inputs
    times: TravelTimes
    chosen: tuple[SitingOption, ...]
    comparison: Comparison
    notes: tuple[str, ...]

    STORE_LABEL: ClassVar[str] = "siting"

    def store_tables(self) -> Mapping[str, pd.DataFrame]:
        """``results_options_compared`` and ``results_options_communes``."""
        return {
            "results_options_compared": self.comparison.summary,
            "results_options_communes": self.comparison.communes,
        }

    def csv_files(self, out: Path) -> Mapping[Path, pd.DataFrame]:
        """``compare_summary.csv`` and ``compare_communes.csv`` in the folder ``out``."""
        return {
            out / "compare_summary.csv": self.comparison.summary,
            out / "compare_communes.csv": self.comparison.communes,
        }


def run_compare(
    options: CompareOptions, *, store: Store | None = None, progress: Progress = None
) -> CompareResult:
    """Build and compare every option of an options file (nothing is written).

    Parameters
    ----------
    options
        What to compare.
    store, progress
        The store whose travel-time cache is read (``None``: the settings'), and the callback
        receiving each step's French description (``None``: quiet).

    Returns
    -------
    CompareResult
        Save it with :func:`accessmap.app.save_results`.

    References
    ----------
    DREES APL (2012, 2023); Church & ReVelle (1974).
    """
    with open_store(store) as db:
        inputs, times, _road = load_with_times(options.inputs, store=db, progress=progress)
    step(progress, "app.step_options")
    chosen, comparison, notes = answer_options(
        inputs, times, options.spec, time_limit=options.time_limit
    )
    return CompareResult(
        options=options, inputs=inputs, times=times, chosen=tuple(chosen),
        comparison=comparison, notes=notes,
    )  # fmt: skip
