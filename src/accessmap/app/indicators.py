"""Use case ``indicators``: nearest practitioner, bands, APL, zoning, DREES side by side.

General practitioners get the whole DREES pipeline (:func:`accessmap.diagnostic.compute_indicators`,
the comparison with the published APL, the decree's zoning test, an optional extra measure); any
other profession its own roster and indicator
(:func:`accessmap.diagnostic.measures.answer_profession`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar

import pandas as pd

from accessmap.app.results import InputsResult, open_store
from accessmap.app.traveltimes import Progress, load_with_times, step
from accessmap.conventions import INDICATOR_HORIZON
from accessmap.diagnostic import compute_indicators
from accessmap.diagnostic.measures import (
    MeasureAnswer,
    ProfessionAnswer,
    answer_measure,
    answer_profession,
)
from accessmap.errors import ValidationError
from accessmap.indicators import (
    MEASURES,
    DreesComparison,
    NationalComparison,
    TerritoryIndicators,
    ZoneDeficitaire,
    national_comparison,
    profession_parameters,
)
from accessmap.inputs import InputOptions, Inputs, load_inputs
from accessmap.messages import Message
from accessmap.network import TravelTimes
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.store import Store

__all__ = ["IndicatorsOptions", "IndicatorsResult", "run_indicators"]


@dataclass(frozen=True, slots=True)
class IndicatorsOptions:
    """What ``indicators`` computes.

    Attributes
    ----------
    inputs
        What to load (``inputs.apl_year``: the DREES vintage compared).
    profession
        A key of :data:`accessmap.indicators.PROFESSIONS`.
    measure
        An extra measure of :data:`accessmap.indicators.MEASURES` (general practitioners).
    measure_options
        The measure's settings (``cutoff``, ``beta``...).
    """

    inputs: InputOptions = field(default_factory=InputOptions)
    profession: str = DEFAULT_PROFESSION
    measure: str | None = None
    measure_options: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        """Refuse an unknown profession or measure before any work."""
        profession_parameters(self.profession)
        if self.measure is not None and self.measure not in MEASURES:
            raise ValidationError(
                "cli.unknown_measure", field="--measure", measure=self.measure,
                choices=list(MEASURES),
            )  # fmt: skip


@dataclass(frozen=True, slots=True)
class IndicatorsResult(InputsResult):
    """Indicators of one profession over a territory.

    Attributes
    ----------
    options
        As asked.
    inputs
        What was loaded.
    table
        Per commune: the table written to the store and to ``--out``.
    times
        The travel times used.
    apl
        General practitioners: nearest GP, bands, APL (``None`` for another profession).
    drees
        Our APL next to the published one (``None`` without it).
    zone
        The decree 2003-1140 test (``None`` over several departments).
    national
        The comparison with DREES department by department (territories of several).
    measure
        The extra measure, if asked.
    profession
        Another profession's answer (``None`` for general practitioners).
    """

    options: IndicatorsOptions
    inputs: Inputs
    table: pd.DataFrame
    times: TravelTimes
    apl: TerritoryIndicators | None = None
    drees: DreesComparison | None = None
    zone: ZoneDeficitaire | None = None
    national: NationalComparison | None = None
    measure: MeasureAnswer | None = None
    profession: ProfessionAnswer | None = None

    STORE_LABEL: ClassVar[str] = "indicators"

    def store_tables(self) -> Mapping[str, pd.DataFrame]:
        """``results_indicators`` and its companions, or ``results_profession_<key>``."""
        if self.apl is None:
            return {f"results_profession_{self.options.profession}": self.table}
        tables = {
            "results_indicators": self.table,
            "results_indicator_bands": self.apl.bands,
            "results_indicator_sites": self.apl.sites,
        }
        if self.drees is not None:
            tables["results_apl_drees"] = self.drees.table
        if self.national is not None:
            tables["results_national_communes"] = self.national.communes
            tables["results_national_departments"] = self.national.departments
        return tables

    def store_times(self) -> Sequence[tuple[str, TravelTimes]]:
        """Return the travel times, labelled with the command (or profession) and territory."""
        what = self.STORE_LABEL if self.apl is not None else self.options.profession
        return [(f"{what} {self.inputs.territory.name}", self.times)]

    def csv_files(self, out: Path) -> Mapping[Path, pd.DataFrame]:
        """Return the per-commune table, in ``out`` (a CSV path)."""
        return {out: self.table}


def run_indicators(
    options: IndicatorsOptions, *, store: Store | None = None, progress: Progress = None
) -> IndicatorsResult:
    """Compute the indicators of one profession over a territory (nothing is written).

    Parameters
    ----------
    options
        What to compute.
    store, progress
        The store whose travel-time cache is read (``None``: the settings'), and the callback
        receiving each step's French description (``None``: quiet).

    Returns
    -------
    IndicatorsResult
        Save it with :func:`accessmap.app.save_results`.

    References
    ----------
    DREES, APL methodology (2012, 2023); decree 2003-1140 (zones déficitaires).
    """
    with open_store(store) as db:
        if options.profession != DEFAULT_PROFESSION:
            return _other_profession(options, store=db, progress=progress)
        return _general_practitioners(options, store=db, progress=progress)


def _general_practitioners(
    options: IndicatorsOptions, *, store: Store, progress: Progress
) -> IndicatorsResult:
    inputs, times, _road = load_with_times(
        options.inputs, store=store, progress=progress, horizon=INDICATOR_HORIZON,
        candidates=False,
    )  # fmt: skip
    step(progress, "app.step_indicators")
    apl, drees, zone = compute_indicators(inputs, times, apl_year=options.inputs.apl_year)
    measure = (
        answer_measure(inputs, times, measure=options.measure, options=options.measure_options)
        if options.measure is not None
        else None
    )
    table = _commune_table(inputs, apl, drees)
    if measure is not None:
        values = measure.communes[["id", "value"]]
        table = table.merge(
            values.rename(columns={"value": f"measure_{options.measure}"}), on="id", how="left"
        )
    national = _national(inputs, apl)
    return IndicatorsResult(
        options=options, inputs=inputs, table=table, times=times, apl=apl, drees=drees,
        zone=zone if national is None else None, national=national, measure=measure,
    )  # fmt: skip


def _other_profession(
    options: IndicatorsOptions, *, store: Store, progress: Progress
) -> IndicatorsResult:
    step(progress, "app.step_inputs")
    inputs = load_inputs(options.inputs)
    if progress is not None:
        label = profession_parameters(options.profession).label
        progress(str(Message("app.step_profession", profession=label)))
    answer = answer_profession(inputs, profession=options.profession, store=store)
    return IndicatorsResult(
        options=options, inputs=inputs, table=answer.communes, times=answer.times,
        profession=answer,
    )  # fmt: skip


def _commune_table(
    inputs: Inputs, result: TerritoryIndicators, drees: DreesComparison | None
) -> pd.DataFrame:
    study = inputs.territory.study_area
    table = result.communes.merge(
        study[["code", "nom", "dep"]].rename(columns={"code": "id"}), on="id", how="left"
    )
    if drees is not None:
        table = table.merge(drees.table[["id", "apl_drees", "apl_u65_drees"]], on="id", how="left")
    table["od_method"] = inputs.roads.kind
    if inputs.roads.kind == "mixed":  # per commune: road times where the mirror has roads
        road = table["nearest_method"].eq("osm")
        table["od_method"] = table["od_method"].where(~road, "mirror").where(road, "crowfly")
    first = ["id", "nom", "dep"]
    return table[[*first, *[c for c in table.columns if c not in first]]]


def _national(inputs: Inputs, result: TerritoryIndicators) -> NationalComparison | None:
    """Compare with DREES department by department, for territories of several."""
    if inputs.published is None or inputs.territory.communes["dep"].nunique() < 2:
        return None
    inside = result.communes[result.communes["in_territory"].astype(bool)]
    return national_comparison(
        inside.assign(method=inside["nearest_method"]), inputs.published,
        communes=inputs.territory.communes,
        year=inputs.options.apl_year,
    )  # fmt: skip
