"""Every accessibility measure by name: the only place a measure is described (:data:`MEASURES`).

Each :class:`Measure` holds its one French label, a short French help line, its unit, its
parameters (:class:`MeasureParameter`: name, default, French help, unit) and the function
behind it. One uniform call, :meth:`Measure.compute`, runs any measure on the same three tables,
so that a command line (``accessmap indicators --measure NAME``) or a notebook can offer them all:

- ``od``: the long travel-time table (communes -> sites);
- ``demand``: ``id``, ``population`` (and ``pop_std`` for the APL);
- ``supply``: ``site_id``, ``capacity`` (GPs, FTE, or yearly acts for the APL).

Options are keyword arguments in minutes (``cutoff``, ``lower``, ``upper``...) or decay rates;
each measure lists them in :attr:`Measure.parameters` (defaults: :attr:`Measure.defaults`).
:func:`register_measure` / :func:`unregister_measure` (or :func:`registered_measure`) add a
measure; :func:`measures_help` is the French line a help text lists them with.

Units: the floating-catchment functions (:mod:`~accessmap.indicators.fca`) give supply per
inhabitant; their measures here take an explicit ``per`` option, 1,000 by default (GPs per 1,000
inhabitants, as labelled), passed to the function: ``compute_measure("2sfca", ..., per=1)``
equals ``floating_catchment(...)``.

:data:`SUMMARIES` names the inequality and poverty measures
(:mod:`~accessmap.indicators.inequality`) that summarise a measure's values over the people;
:data:`~accessmap.indicators.decay.DECAYS` names the decay functions.

References
----------
See each measure's function (:attr:`Measure.function`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from accessmap._registry import Registry
from accessmap.contracts import AplParameters
from accessmap.conventions import CATCHMENT_MINUTES, CUMULATIVE_INTERVAL
from accessmap.errors import ValidationError
from accessmap.indicators.apl import apl
from accessmap.indicators.competition import balancing_cost, spatial_availability
from accessmap.indicators.constrained import total_constrained
from accessmap.indicators.decay import linear_decay, logistic_decay, power_decay
from accessmap.indicators.fca import (
    LUO_QI_BANDS,
    binary_weights,
    exponential_weights,
    floating_catchment,
    step_weights,
    three_step_fca,
)
from accessmap.indicators.inequality import (
    concentration_index,
    fgt_poverty,
    gini_index,
    palma_ratio,
    theil_t,
)
from accessmap.indicators.nearest import nearest_site
from accessmap.indicators.opportunity import (
    cost_to_closest,
    cumulative_cutoff,
    cumulative_interval,
    gravity_access,
)
from accessmap.indicators.raam import raam

__all__ = [
    "MEASURES",
    "SUMMARIES",
    "Measure",
    "MeasureParameter",
    "Summary",
    "compute_measure",
    "measures",
    "measures_help",
    "register_measure",
    "registered_measure",
    "summarise",
    "unregister_measure",
]

Runner = Callable[[pd.DataFrame, pd.DataFrame, pd.DataFrame, Mapping[str, float]], pd.Series]


@dataclass(frozen=True, slots=True)
class MeasureParameter:
    """One option of a measure.

    Attributes
    ----------
    name
        Keyword name (``--option NAME=VALUE``).
    default
        Default value.
    help
        What it means, in French.
    unit
        French unit of the value (``min``, ``hab.``...), empty when it has none.
    """

    name: str
    default: float
    help: str
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Measure:
    """One accessibility measure of the registry.

    Attributes
    ----------
    name
        Registry key (``--measure NAME``).
    label
        French label for tables and maps: the only one.
    help
        French one-sentence description for readers (help texts, documentation).
    unit
        French unit of the value.
    higher_is_better
        ``False`` for costs (minutes, RAAM).
    function
        The pure function behind the measure (its docstring has the references).
    parameters
        Its options with their defaults.
    runner
        Adapter from the uniform inputs to ``function``.
    """

    name: str
    label: str
    help: str
    unit: str
    higher_is_better: bool
    function: Callable[..., pd.DataFrame]
    parameters: tuple[MeasureParameter, ...] = ()
    runner: Runner | None = None

    @property
    def description(self) -> str:
        """The French help line (same text as :attr:`help`)."""
        return self.help

    @property
    def defaults(self) -> Mapping[str, float]:
        """Default options, by name."""
        return {par.name: par.default for par in self.parameters}

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
        defaults = self.defaults
        unknown = sorted(set(options) - set(defaults))
        if unknown:
            raise ValidationError(
                "measures.unknown_options",
                field="options",
                name=self.name,
                unknown=unknown,
                known=sorted(defaults),
            )
        if self.runner is None:  # pragma: no cover - every registered measure has one
            raise ValidationError("measures.no_runner", field="measure", measure=self.name)
        values = self.runner(od, demand, supply, {**defaults, **options})
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
            out = three_step_fca(od, demand=demand, supply=supply, weights=weights, per=o["per"])
        else:
            out = floating_catchment(
                od,
                demand=demand,
                supply=supply,
                weights=weights,
                method=method,  # type: ignore[arg-type]
                per=o["per"],
            )
        return _series(out, "access")

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


_PER = MeasureParameter("per", 1000.0, "valeur donnée pour ce nombre d'habitants", "hab.")
_CUTOFF = MeasureParameter("cutoff", CATCHMENT_MINUTES, "seuil T : offre comptée si t < T", "min")
_BETA = MeasureParameter("beta", 0.1, "taux de décroissance exponentielle du poids", "par min")


def _builtin_measures() -> tuple[Measure, ...]:
    lower, upper = CUMULATIVE_INTERVAL
    items = (
        Measure("apl", "APL (DREES)", "Consultations accessibles par habitant standardisé et par an, paramètres DREES.", "consultations/hab./an", higher_is_better=True, function=apl, runner=_run_apl),  # noqa: E501
        Measure("2sfca", "2SFCA", "Offre accessible en moins de T minutes, rapportée à la population qui y a accès (Luo et Wang 2003).", "pour 1 000 hab.", higher_is_better=True, function=floating_catchment, parameters=(_CUTOFF, _PER), runner=_fca("2sfca", "binary")),  # noqa: E501
        Measure("e2sfca", "E2SFCA", "2SFCA pondéré par le temps : 1 ; 0,68 ; 0,22 par tranche de 10 minutes (Luo et Qi 2009).", "pour 1 000 hab.", higher_is_better=True, function=floating_catchment, parameters=(_PER,), runner=_fca("2sfca", "luo_qi")),  # noqa: E501
        Measure("bfca", "BFCA", "2SFCA équilibré, sans inflation de la demande ni de l'offre (Paez et al. 2019).", "pour 1 000 hab.", higher_is_better=True, function=floating_catchment, parameters=(_CUTOFF, _PER), runner=_fca("bfca", "binary")),  # noqa: E501
        Measure("3sfca", "3SFCA", "E2SFCA où chaque commune répartit sa demande entre les sites qu'elle peut choisir (Wan et al. 2012).", "pour 1 000 hab.", higher_is_better=True, function=three_step_fca, parameters=(_PER,), runner=_fca("3sfca", "luo_qi")),  # noqa: E501
        Measure("raam", "RAAM", "Coût trajet + attente du modèle d'agents rationnels (Saxon et Snow 2020) ; plus bas, c'est mieux.", "coût relatif", higher_is_better=False, function=raam, parameters=(MeasureParameter("tau", 60.0, "temps de trajet qui vaut l'attente d'un site moyennement chargé", "min"),), runner=_run_raam),  # noqa: E501
        Measure("nearest", "Temps au plus proche", "Temps de trajet jusqu'au site le plus proche.", "minutes", higher_is_better=False, function=nearest_site, runner=_run_nearest),  # noqa: E501
        Measure("cumulative_cutoff", "Offre à moins de T minutes", "Offre totale accessible en moins de T minutes (mesure cumulative).", "offre", higher_is_better=True, function=cumulative_cutoff, parameters=(_CUTOFF,), runner=_opportunity(cumulative_cutoff, "access", lambda o: {"cutoff": o["cutoff"]})),  # noqa: E501
        Measure("cumulative_interval", "Offre cumulée sur un intervalle", "Médiane de l'offre accessible pour chaque seuil entre deux temps (Tomasiello et al. 2023).", "offre", higher_is_better=True, function=cumulative_interval, parameters=(MeasureParameter("lower", lower, "premier seuil de l'intervalle", "min"), MeasureParameter("upper", upper, "dernier seuil de l'intervalle", "min")), runner=_opportunity(cumulative_interval, "access", lambda o: {"interval": (o["lower"], o["upper"])})),  # noqa: E501
        Measure("gravity", "Accessibilité gravitaire", "Offre pondérée par une décroissance exponentielle du temps (Hansen 1959).", "offre pondérée", higher_is_better=True, function=gravity_access, parameters=(_BETA,), runner=_opportunity(gravity_access, "access", lambda o: {"weights": exponential_weights(beta=o["beta"])})),  # noqa: E501
        Measure("cost_to_closest", "Temps aux n plus proches", "Temps pour atteindre les n premières unités d'offre.", "minutes", higher_is_better=False, function=cost_to_closest, parameters=(MeasureParameter("n", 1.0, "unités d'offre à atteindre"),), runner=_opportunity(cost_to_closest, "minutes", lambda o: {"n": o["n"]})),  # noqa: E501
        Measure("spatial_availability", "Disponibilité spatiale", "Part de l'offre revenant à la commune, partagée entre communes concurrentes (Soukhov et al. 2023).", "pour 1 000 hab.", higher_is_better=True, function=spatial_availability, parameters=(_BETA, _PER), runner=_run_availability),  # noqa: E501
        Measure("balancing_cost", "Temps d'équilibre", "Temps pour atteindre autant de places que d'habitants (Barboza et al. 2021).", "minutes", higher_is_better=False, function=balancing_cost, parameters=(MeasureParameter("people_per_unit", 1.0, "habitants servis par unité d'offre", "hab."),), runner=_run_balancing),  # noqa: E501
    )  # fmt: skip
    return (*items, *_ipea_items())


def _run_total_constrained(
    od: pd.DataFrame, demand: pd.DataFrame, supply: pd.DataFrame, o: Mapping[str, float]
) -> pd.Series:
    weights = exponential_weights(beta=o["beta"])
    out = _series(total_constrained(od, demand=demand, supply=supply, weights=weights), "access")
    people = _series(demand, "population")
    return (out / people.where(people > 0)) * o["per"]


def _ipea_items() -> tuple[Measure, ...]:
    """Gravity measures with IPEA's other decays, and the total-constrained measure."""
    return (
        Measure("gravity_linear", "Accessibilité gravitaire (décroissance linéaire)", "Offre pondérée par un poids qui décroît linéairement de 1 à 0 en T minutes.", "offre pondérée", higher_is_better=True, function=gravity_access, parameters=(_CUTOFF,), runner=_opportunity(gravity_access, "access", lambda o: {"weights": linear_decay(cutoff=o["cutoff"])})),  # noqa: E501
        Measure("gravity_power", "Accessibilité gravitaire (puissance)", "Offre pondérée par l'inverse du temps à la puissance a (poids 1 jusqu'à une minute).", "offre pondérée", higher_is_better=True, function=gravity_access, parameters=(MeasureParameter("exponent", 1.0, "exposant a de la décroissance en puissance"),), runner=_opportunity(gravity_access, "access", lambda o: {"weights": power_decay(exponent=o["exponent"])})),  # noqa: E501
        Measure("gravity_logistic", "Accessibilité gravitaire (logistique)", "Offre pondérée par une courbe logistique : poids 1 au départ, moitié vers la médiane (Bauer et Groenewold 2016).", "offre pondérée", higher_is_better=True, function=gravity_access, parameters=(MeasureParameter("median", CATCHMENT_MINUTES, "temps où le poids vaut la moitié", "min"), MeasureParameter("sd", 5.0, "écart type de la courbe logistique", "min")), runner=_opportunity(gravity_access, "access", lambda o: {"weights": logistic_decay(median=o["median"], sd=o["sd"])})),  # noqa: E501
        Measure("total_constrained", "Accessibilité à contrainte totale", "Offre du territoire répartie entre communes selon l'offre proche et le temps, rapportée à la population (Wilson 1971).", "pour 1 000 hab.", higher_is_better=True, function=total_constrained, parameters=(_BETA, _PER), runner=_run_total_constrained),  # noqa: E501
    )  # fmt: skip


def _check_runner(measure: Measure, others: Mapping[str, Measure]) -> None:
    del others
    if measure.runner is None:
        msg = f"measure {measure.name!r} has no runner"
        raise ValueError(msg)


_REGISTRY: Registry[Measure] = Registry("measure", _builtin_measures(), check=_check_runner)

#: Every measure by name (a read-only live view: a measure added by :func:`register_measure`
#: appears here).
MEASURES: Mapping[str, Measure] = _REGISTRY.view


def measures() -> tuple[Measure, ...]:
    """Every registered measure, in registration order.

    Returns
    -------
    tuple of Measure
    """
    return _REGISTRY.values()


def register_measure(measure: Measure, *, replace: bool = False) -> Measure:
    """Add a measure to the registry: ``--measure``, :func:`compute_measure` then accept it.

    Parameters
    ----------
    measure
        The measure (with a ``runner``).
    replace
        Replace a measure already registered under that name.

    Returns
    -------
    Measure
        ``measure``.

    Raises
    ------
    ValueError
        The name is taken (and ``replace`` is false), or the measure has no runner.
    """
    return _REGISTRY.register(measure, replace=replace)


def unregister_measure(name: str) -> Measure:
    """Remove a measure from the registry.

    Parameters
    ----------
    name
        Its name.

    Returns
    -------
    Measure
        The removed entry.

    Raises
    ------
    KeyError
        No measure of that name.
    """
    return _REGISTRY.unregister(name)


def registered_measure(measure: Measure) -> AbstractContextManager[Measure]:
    """Register ``measure`` for the duration of a ``with`` block (tests, notebooks).

    Parameters
    ----------
    measure
        The measure.

    Returns
    -------
    contextlib.AbstractContextManager
        Yields ``measure``; removes it on exit.
    """
    return _REGISTRY.registered(measure)


def measures_help() -> str:
    """French line listing the measures for a help text: ``2sfca (2SFCA), ...``.

    Returns
    -------
    str
    """
    return ", ".join(f"{m.name} ({m.label})" for m in _REGISTRY.values()) + "."


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
        raise ValidationError("measures.unknown", field="measure", name=name, known=list(MEASURES))
    return MEASURES[name].compute(od, demand=demand, supply=supply, **options)


SummaryRunner = Callable[[pd.DataFrame, pd.DataFrame, Mapping[str, float]], pd.DataFrame]


@dataclass(frozen=True, slots=True)
class Summary:
    """One inequality or poverty measure of :data:`SUMMARIES`.

    Attributes
    ----------
    name
        Registry key.
    label
        French label.
    description
        French one-sentence description for readers.
    function
        The pure function behind it (:mod:`~accessmap.indicators.inequality`, with references).
    defaults
        Default options (NaN: an option the caller must give, such as the poverty line).
    runner
        Adapter from a measure's values and the demand table to ``function``.
    """

    name: str
    label: str
    description: str
    function: Callable[..., object]
    defaults: Mapping[str, float] = field(default_factory=dict)
    runner: SummaryRunner | None = None

    def compute(
        self, values: pd.DataFrame, *, demand: pd.DataFrame, **options: float
    ) -> pd.DataFrame:
        """Summarise a measure's values (``id``, ``value``) over the people of ``demand``.

        Parameters
        ----------
        values
            ``id``, ``value``: the output of :meth:`Measure.compute` or any such table.
        demand
            ``id``, ``population`` and, for the Palma ratio and the concentration indices,
            ``income``.
        **options
            Overrides of :attr:`defaults` (unknown names are refused).

        Returns
        -------
        pandas.DataFrame
            One row: the measure's column(s).

        Raises
        ------
        ValidationError
            ``measures.unknown_options``, or invalid inputs.

        References
        ----------
        See :attr:`function`.
        """
        unknown = sorted(set(options) - set(self.defaults))
        if unknown or self.runner is None:
            raise ValidationError(
                "measures.unknown_options",
                field="options",
                name=self.name,
                unknown=unknown,
                known=sorted(self.defaults),
            )
        return self.runner(values, demand, {**self.defaults, **options})


def _summary(function: Callable[..., object], **fixed: object) -> SummaryRunner:
    def run(values: pd.DataFrame, demand: pd.DataFrame, o: Mapping[str, float]) -> pd.DataFrame:
        out = function(values, demand=demand, column="value", **fixed, **o)
        if not isinstance(out, pd.DataFrame):  # pragma: no cover - every summary gives a table
            raise TypeError(out)
        return out

    return run


def _summaries() -> Mapping[str, Summary]:
    items = (
        Summary("gini", "Indice de Gini", "Inégalité de l'accessibilité entre habitants : 0 si tous ont la même, vers 1 si quelques-uns ont tout (Gini 1912).", gini_index, {}, _summary(gini_index)),  # noqa: E501
        Summary("palma", "Rapport de Palma", "Accessibilité moyenne des 10 % d'habitants aux revenus les plus élevés, rapportée à celle des 40 % aux revenus les plus bas (Palma 2011).", palma_ratio, {}, _summary(palma_ratio, income="income")),  # noqa: E501
        Summary("theil_t", "Indice de Theil T", "Inégalité de l'accessibilité entre habitants, décomposable par groupe (Theil 1967).", theil_t, {}, _summary(theil_t)),  # noqa: E501
        Summary("concentration_index", "Indice de concentration", "Concentration de l'accessibilité selon le revenu : négatif si elle profite surtout aux plus modestes (Kakwani et al. 1997).", concentration_index, {}, _summary(concentration_index, income="income", kind="standard")),  # noqa: E501
        Summary("concentration_index_corrected", "Indice de concentration corrigé", "Indice de concentration corrigé d'Erreygers (2009), comparable entre mesures bornées.", concentration_index, {}, _summary(concentration_index, income="income", kind="corrected")),  # noqa: E501
        Summary("fgt", "Pauvreté d'accessibilité (FGT)", "Part des habitants sous un seuil d'accessibilité, profondeur et sévérité du manque (Foster, Greer et Thorbecke 1984).", fgt_poverty, {"poverty_line": math.nan}, _summary(fgt_poverty)),  # noqa: E501
    )  # fmt: skip
    return MappingProxyType({s.name: s for s in items})


#: Every inequality and poverty summary by name (read-only).
SUMMARIES: Mapping[str, Summary] = _summaries()


def summarise(
    name: str, values: pd.DataFrame, *, demand: pd.DataFrame, **options: float
) -> pd.DataFrame:
    """Run the inequality or poverty measure registered under ``name`` (see :data:`SUMMARIES`).

    Parameters
    ----------
    name
        A key of :data:`SUMMARIES`.
    values, demand, **options
        See :meth:`Summary.compute`.

    Returns
    -------
    pandas.DataFrame
        One row.

    Raises
    ------
    ValidationError
        ``measures.unknown_summary``, unknown options, invalid inputs.

    References
    ----------
    See each summary's function.
    """
    if name not in SUMMARIES:
        raise ValidationError(
            "measures.unknown_summary", field="summary", name=name, known=list(SUMMARIES)
        )
    return SUMMARIES[name].compute(values, demand=demand, **options)
