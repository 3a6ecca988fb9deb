"""Every accessibility measure by name, with its French label: :data:`MEASURES`.

One uniform call, :meth:`Measure.compute`, runs any measure on the same three tables, so that a
command line (``accessmap indicators --measure NAME``) or a notebook can offer them all:

- ``od``: the long travel-time table (communes -> sites);
- ``demand``: ``id``, ``population`` (and ``pop_std`` for the APL);
- ``supply``: ``site_id``, ``capacity`` (GPs, FTE, or yearly acts for the APL).

Options are keyword arguments in minutes (``cutoff``, ``lower``, ``upper``...) or decay rates;
each measure lists its defaults in :attr:`Measure.defaults`.

References
----------
See each measure's function (:attr:`Measure.function`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from accessmap.contracts import AplParameters
from accessmap.conventions import CATCHMENT_MINUTES, CUMULATIVE_INTERVAL
from accessmap.errors import ValidationError
from accessmap.indicators.apl import apl
from accessmap.indicators.competition import balancing_cost, spatial_availability
from accessmap.indicators.fca import (
    LUO_QI_BANDS,
    binary_weights,
    exponential_weights,
    floating_catchment,
    step_weights,
    three_step_fca,
)
from accessmap.indicators.nearest import nearest_site
from accessmap.indicators.opportunity import (
    cost_to_closest,
    cumulative_cutoff,
    cumulative_interval,
    gravity_access,
)
from accessmap.indicators.raam import raam

__all__ = ["MEASURES", "Measure", "compute_measure"]

Runner = Callable[[pd.DataFrame, pd.DataFrame, pd.DataFrame, Mapping[str, float]], pd.Series]


@dataclass(frozen=True, slots=True)
class Measure:
    """One accessibility measure of the registry.

    Attributes
    ----------
    name
        Registry key (``--measure NAME``).
    label
        French label for tables and maps.
    description
        French one-sentence description for readers.
    unit
        French unit of the value.
    higher_is_better
        ``False`` for costs (minutes, RAAM).
    function
        The pure function behind the measure (its docstring has the references).
    defaults
        Default options.
    runner
        Adapter from the uniform inputs to ``function``.
    """

    name: str
    label: str
    description: str
    unit: str
    higher_is_better: bool
    function: Callable[..., pd.DataFrame]
    defaults: Mapping[str, float] = field(default_factory=dict)
    runner: Runner | None = None

    def compute(
        self,
        od: pd.DataFrame,
        *,
        demand: pd.DataFrame,
        supply: pd.DataFrame,
        **options: float,
    ) -> pd.DataFrame:
        """Run the measure on the uniform inputs.

        Parameters
        ----------
        od
            Travel times from the demand ids to the supply sites.
        demand
            ``id``, ``population`` (and ``pop_std`` for ``apl``).
        supply
            ``site_id``, ``capacity``.
        **options
            Overrides of :attr:`defaults` (unknown names are refused).

        Returns
        -------
        pandas.DataFrame
            ``id``, ``value``, one row per demand id.

        Raises
        ------
        ValidationError
            Unknown option, or invalid inputs.

        References
        ----------
        See :attr:`function`.
        """
        unknown = sorted(set(options) - set(self.defaults))
        if unknown:
            raise ValidationError(
                f"unknown option(s) {', '.join(unknown)} for {self.name}.",
                field="options",
                fix=f"use {', '.join(sorted(self.defaults)) or 'no option'}.",
            )
        if self.runner is None:  # pragma: no cover - every registered measure has one
            raise ValidationError(
                f"{self.name} cannot run.", field="measure", fix="register it with a runner."
            )
        values = self.runner(od, demand, supply, {**self.defaults, **options})
        ids = demand["id"].astype(str)
        return pd.DataFrame(
            {"id": ids.to_numpy(dtype=object), "value": values.reindex(ids).to_numpy(float)}
        )


def _series(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.Series(frame[column].to_numpy(float), index=frame["id"].astype(str))


def _opportunities(supply: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {"id": supply["site_id"].astype(str), "opportunities": supply["capacity"].to_numpy()}
    )


def _fca(method: str, kind: str) -> Runner:
    def run(
        od: pd.DataFrame, demand: pd.DataFrame, supply: pd.DataFrame, o: Mapping[str, float]
    ) -> pd.Series:
        weights = step_weights(LUO_QI_BANDS) if kind == "luo_qi" else binary_weights(o["cutoff"])
        if method == "3sfca":
            out = three_step_fca(od, demand=demand, supply=supply, weights=weights)
        else:
            out = floating_catchment(
                od,
                demand=demand,
                supply=supply,
                weights=weights,
                method=method,  # type: ignore[arg-type]
            )
        return _series(out, "access") * o["per"]

    return run


def _run_apl(
    od: pd.DataFrame, demand: pd.DataFrame, supply: pd.DataFrame, o: Mapping[str, float]
) -> pd.Series:
    del o
    acts = supply.rename(columns={"capacity": "acts"})[["site_id", "acts"]]
    # without pop_std, the demand contract weighs communes by their population
    return _series(apl(od, demand=demand, supply=acts, params=AplParameters()), "apl")


def _run_raam(
    od: pd.DataFrame, demand: pd.DataFrame, supply: pd.DataFrame, o: Mapping[str, float]
) -> pd.Series:
    return _series(raam(od, demand=demand, supply=supply, tau=o["tau"]), "raam")


def _run_nearest(
    od: pd.DataFrame, demand: pd.DataFrame, supply: pd.DataFrame, o: Mapping[str, float]
) -> pd.Series:
    del o
    sites = supply.loc[supply["capacity"] > 0, "site_id"].astype(str)
    out = nearest_site(od, origins=demand["id"].astype(str), sites=sites)
    return _series(out, "minutes")


def _opportunity(
    measure: Callable[..., pd.DataFrame],
    column: str,
    options: Callable[[Mapping[str, float]], dict[str, object]],
) -> Runner:
    """Adapter for the opportunity measures: the supply sites are the opportunities."""

    def run(
        od: pd.DataFrame, demand: pd.DataFrame, supply: pd.DataFrame, o: Mapping[str, float]
    ) -> pd.Series:
        del demand
        return _series(measure(od, opportunities=_opportunities(supply), **options(o)), column)

    return run


def _run_availability(
    od: pd.DataFrame, demand: pd.DataFrame, supply: pd.DataFrame, o: Mapping[str, float]
) -> pd.Series:
    weights = exponential_weights(beta=o["beta"])
    out = _series(spatial_availability(od, demand=demand, supply=supply, weights=weights), "access")
    people = _series(demand, "population")
    return (out / people.where(people > 0)) * o["per"]


def _run_balancing(
    od: pd.DataFrame, demand: pd.DataFrame, supply: pd.DataFrame, o: Mapping[str, float]
) -> pd.Series:
    scaled = supply.assign(capacity=supply["capacity"] * o["people_per_unit"])
    return _series(balancing_cost(od, demand=demand, supply=scaled), "minutes")


def _registry() -> Mapping[str, Measure]:
    per = {"per": 1000.0}
    items = (
        Measure("apl", "APL (DREES)", "Consultations accessibles par habitant standardisé et par an, paramètres DREES.", "consultations/hab./an", higher_is_better=True, function=apl, defaults={}, runner=_run_apl),  # noqa: E501
        Measure("2sfca", "2SFCA", "Offre accessible en moins de T minutes, rapportée à la population qui y a accès (Luo et Wang 2003).", "pour 1 000 hab.", higher_is_better=True, function=floating_catchment, defaults={"cutoff": CATCHMENT_MINUTES, **per}, runner=_fca("2sfca", "binary")),  # noqa: E501
        Measure("e2sfca", "E2SFCA", "2SFCA pondéré par le temps : 1 ; 0,68 ; 0,22 par tranche de 10 minutes (Luo et Qi 2009).", "pour 1 000 hab.", higher_is_better=True, function=floating_catchment, defaults=per, runner=_fca("2sfca", "luo_qi")),  # noqa: E501
        Measure("bfca", "BFCA", "2SFCA équilibré, sans inflation de la demande ni de l'offre (Paez et al. 2019).", "pour 1 000 hab.", higher_is_better=True, function=floating_catchment, defaults={"cutoff": CATCHMENT_MINUTES, **per}, runner=_fca("bfca", "binary")),  # noqa: E501
        Measure("3sfca", "3SFCA", "E2SFCA où chaque commune répartit sa demande entre les sites qu'elle peut choisir (Wan et al. 2012).", "pour 1 000 hab.", higher_is_better=True, function=three_step_fca, defaults=per, runner=_fca("3sfca", "luo_qi")),  # noqa: E501
        Measure("raam", "RAAM", "Coût trajet + attente du modèle d'agents rationnels (Saxon et Snow 2020) ; plus bas, c'est mieux.", "coût relatif", higher_is_better=False, function=raam, defaults={"tau": 60.0}, runner=_run_raam),  # noqa: E501
        Measure("nearest", "Temps au plus proche", "Temps de trajet jusqu'au site le plus proche.", "minutes", higher_is_better=False, function=nearest_site, defaults={}, runner=_run_nearest),  # noqa: E501
        Measure("cumulative_cutoff", "Offre à moins de T minutes", "Offre totale accessible en moins de T minutes (mesure cumulative).", "offre", higher_is_better=True, function=cumulative_cutoff, defaults={"cutoff": CATCHMENT_MINUTES}, runner=_opportunity(cumulative_cutoff, "access", lambda o: {"cutoff": o["cutoff"]})),  # noqa: E501
        Measure("cumulative_interval", "Offre cumulée sur un intervalle", "Médiane de l'offre accessible pour chaque seuil entre deux temps (Tomasiello et al. 2023).", "offre", higher_is_better=True, function=cumulative_interval, defaults={"lower": CUMULATIVE_INTERVAL[0], "upper": CUMULATIVE_INTERVAL[1]}, runner=_opportunity(cumulative_interval, "access", lambda o: {"interval": (o["lower"], o["upper"])})),  # noqa: E501
        Measure("gravity", "Accessibilité gravitaire", "Offre pondérée par une décroissance exponentielle du temps (Hansen 1959).", "offre pondérée", higher_is_better=True, function=gravity_access, defaults={"beta": 0.1}, runner=_opportunity(gravity_access, "access", lambda o: {"weights": exponential_weights(beta=o["beta"])})),  # noqa: E501
        Measure("cost_to_closest", "Temps aux n plus proches", "Temps pour atteindre les n premières unités d'offre.", "minutes", higher_is_better=False, function=cost_to_closest, defaults={"n": 1.0}, runner=_opportunity(cost_to_closest, "minutes", lambda o: {"n": o["n"]})),  # noqa: E501
        Measure("spatial_availability", "Disponibilité spatiale", "Part de l'offre revenant à la commune, partagée entre communes concurrentes (Soukhov et al. 2023).", "pour 1 000 hab.", higher_is_better=True, function=spatial_availability, defaults={"beta": 0.1, **per}, runner=_run_availability),  # noqa: E501
        Measure("balancing_cost", "Temps d'équilibre", "Temps pour atteindre autant de places que d'habitants (Barboza et al. 2021).", "minutes", higher_is_better=False, function=balancing_cost, defaults={"people_per_unit": 1.0}, runner=_run_balancing),  # noqa: E501
    )  # fmt: skip
    return MappingProxyType({m.name: m for m in items})


#: Every measure by name (read-only).
MEASURES: Mapping[str, Measure] = _registry()


def compute_measure(
    name: str,
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    **options: float,
) -> pd.DataFrame:
    """Run the measure registered under ``name`` (see :data:`MEASURES`).

    Parameters
    ----------
    name
        A key of :data:`MEASURES`.
    od, demand, supply, **options
        See :meth:`Measure.compute`.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``value``.

    Raises
    ------
    ValidationError
        Unknown measure or option, invalid inputs.

    References
    ----------
    See each measure's function.
    """
    if name not in MEASURES:
        raise ValidationError(
            f"unknown measure {name!r}.", field="measure", fix=f"use one of {', '.join(MEASURES)}."
        )
    return MEASURES[name].compute(od, demand=demand, supply=supply, **options)
