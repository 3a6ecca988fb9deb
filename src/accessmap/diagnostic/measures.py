"""Indicators beyond the APL for one territory: another profession, or another measure.

``accessmap indicators --profession infirmier`` and ``--measure e2sfca`` call these; the work is
the same as the diagnostic's (same inputs, same travel-time rule), only the supply or the formula
changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accessmap.conventions import INDICATOR_HORIZON
from accessmap.inputs import Inputs
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.professions import profession as profession_spec

if TYPE_CHECKING:
    from accessmap.network import TravelTimes
    from accessmap.store import Store
    from accessmap.supply import Roster

__all__ = [
    "MeasureAnswer",
    "ProfessionAnswer",
    "answer_measure",
    "answer_profession",
    "inputs_for_profession",
]


def inputs_for_profession(inputs: Inputs, profession: str) -> Inputs:
    """Return the same inputs with the roster and APL parameters of another profession.

    Parameters
    ----------
    inputs
        Loaded inputs.
    profession
        A registered profession (:func:`accessmap.professions.profession`); the default one
        returns ``inputs``.

    Returns
    -------
    Inputs
        Roster: :func:`accessmap.inputs.profession_roster` (the user's rows of that profession, or
        the BPE 2019 counts with illustrative ages); parameters: the profession's (GPs' for
        pharmacies, which have no APL). Their caveats are added to the notes.

    References
    ----------
    DREES, APL methodology per profession (see :mod:`accessmap.indicators.professions`).
    """
    import dataclasses

    from accessmap.inputs import profession_roster
    from accessmap.workforce import illustrative_roster

    spec = profession_spec(profession)
    if profession == DEFAULT_PROFESSION:
        return inputs  # the input layer loaded the default profession
    roster = profession_roster(
        inputs.territory, inputs.roster, profession=profession,
        user_roster=inputs.options.roster is not None,
    )  # fmt: skip
    if inputs.options.roster is None or inputs.options.illustrative_ages:
        roster = illustrative_roster(roster, seed=inputs.options.seed, age_bands=spec.age_bands)
    return dataclasses.replace(
        inputs,
        roster=roster,
        params=spec.params if spec.params is not None else inputs.params,
        notes=(*inputs.notes, f"{spec.label} : {roster.source}.", *spec.choices),
    )


@dataclass(frozen=True, slots=True)
class ProfessionAnswer:
    """One profession's access indicators over a territory.

    Attributes
    ----------
    profession
        Key of :data:`accessmap.indicators.PROFESSIONS`.
    roster
        Its practitioners in the study area.
    times
        Travel times from the study area to its sites.
    communes
        Per commune: ``id``, ``nearest_minutes``, ``band``, ``value`` (indicator), ``population``,
        ``in_territory``.
    bands
        Territory population by band of time to the nearest practitioner.
    value
        Territory indicator (population-weighted mean of ``value``; NaN when none).
    practitioners
        Practitioners (FTE) practising in the territory.
    """

    profession: str
    roster: Roster
    times: TravelTimes
    communes: pd.DataFrame
    bands: pd.DataFrame
    value: float
    practitioners: float


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    ok = values.notna() & np.isfinite(values.to_numpy(dtype=float))
    total = float(weights[ok].sum())
    return float((values[ok] * weights[ok]).sum() / total) if total > 0 else float("nan")


def answer_profession(
    inputs: Inputs, *, profession: str, store: Store | None = None
) -> ProfessionAnswer:
    """Nearest time, bands and indicator of one profession over the territory.

    Parameters
    ----------
    inputs
        Loaded inputs (roster: the user's file with a ``profession`` column, or official GPs).
    profession
        A key of :data:`accessmap.indicators.PROFESSIONS` (``infirmier``, ``pharmacie``...).
    store
        Open store whose travel-time cache is read.

    Returns
    -------
    ProfessionAnswer

    References
    ----------
    DREES, APL methodology (per profession; see :mod:`accessmap.indicators.professions`).
    """
    from accessmap.diagnostic.professions import profession_communes
    from accessmap.indicators import population_by_band
    from accessmap.inputs import compute_traveltimes, profession_roster

    roster = profession_roster(
        inputs.territory, inputs.roster, profession=profession,
        user_roster=inputs.options.roster is not None,
    )  # fmt: skip
    times, _ = compute_traveltimes(
        inputs.territory, roster, inputs.roads, winter=inputs.options.winter,
        horizon=INDICATOR_HORIZON, candidates=False, store=store,
    )  # fmt: skip
    table = profession_communes(inputs, times.table, roster=roster, profession=profession)
    inside = table[table["in_territory"].astype(bool)]
    bands = population_by_band(
        inside.rename(columns={"nearest_minutes": "minutes"})[["id", "minutes"]],
        population=inside[["id", "population"]],
    )
    sites = set(roster.sites.loc[roster.sites["in_territory"].astype(bool), "site_id"])
    return ProfessionAnswer(
        profession=profession,
        roster=roster,
        times=times,
        communes=table,
        bands=bands,
        value=_weighted(inside["value"], inside["population"]),
        practitioners=float(roster.site_fte.reindex(sorted(sites)).sum()),
    )


@dataclass(frozen=True, slots=True)
class MeasureAnswer:
    """One accessibility measure per commune and over the territory.

    Attributes
    ----------
    measure
        Key of :data:`accessmap.indicators.MEASURES`.
    communes
        ``id``, ``value``, ``population``, ``in_territory``.
    value
        Territory value (population-weighted mean).
    options
        The measure's options used (defaults overridden by the caller).
    """

    measure: str
    communes: pd.DataFrame
    value: float
    options: Mapping[str, float]


def answer_measure(
    inputs: Inputs, times: TravelTimes, *, measure: str, options: Mapping[str, float]
) -> MeasureAnswer:
    """Compute one registered accessibility measure for the territory's GPs.

    Parameters
    ----------
    inputs
        Loaded inputs.
    times
        Travel times from the study area to the roster's sites.
    measure
        A key of :data:`accessmap.indicators.MEASURES` (``2sfca``, ``e2sfca``, ``3sfca``, ``raam``,
        ``gravity``...).
    options
        The measure's options (``cutoff``, ``beta``...).

    Returns
    -------
    MeasureAnswer

    References
    ----------
    See each measure's function (:mod:`accessmap.indicators.registry`).
    """
    from accessmap.indicators import MEASURES, compute_measure, od_to_sites, site_activity

    # The APL counts consultations (acts); every other measure counts practitioners (FTE).
    sites = site_activity(inputs.roster, params=inputs.params)
    supply = sites[["site_id", "acts" if measure == "apl" else "fte"]]
    supply = supply.set_axis(["site_id", "capacity"], axis=1)
    od = od_to_sites(times.table, sites=inputs.roster.sites)
    values = compute_measure(measure, od, demand=inputs.demand, supply=supply, **dict(options))
    table = values.merge(inputs.demand[["id", "population", "in_territory"]], on="id")
    inside = table[table["in_territory"].astype(bool)]
    return MeasureAnswer(
        measure=measure,
        communes=table,
        value=_weighted(inside["value"], inside["population"]),
        options={**MEASURES[measure].defaults, **dict(options)},
    )
