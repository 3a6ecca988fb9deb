"""The decision problem on the official indicator, and the evaluation of any plan on it.

One place builds what every decision needs, for the diagnostic, ``accessmap site`` with the APL
models, the simulator and the notebooks alike (:func:`decision_inputs`):

- the **baselines**: each commune's published APL today, and the published APL plus the modelled
  change of the retirements in the decision year (:func:`accessmap.siting.official_plus_change`),
  for the expected outlook and for each Monte Carlo draw; a profession without a published APL
  uses its modelled APL (said in :attr:`DecisionInputs.official`);
- the **threshold**: 2,5 for GPs (the ARS zoning's priority threshold); for the other professions,
  which have no official threshold in this unit, the level of the fifth of the study area's
  inhabited communes least served today (:data:`accessmap.conventions.REFERENCE_QUANTILE`), a
  convention said wherever it is read;
- the **sites**: today's practices and MSPs (reinforced by any number of FTE) and the host
  communes' town halls (a new MSP opens with a team, :data:`accessmap.conventions.MSP_MIN_GPS`).

:func:`evaluate_plan` applies a plan ``{site: FTE}`` exactly as the APL models count it
(``APL_i = base_i + sum_j g_ij x_j``), today and in the year, over the draws too;
:func:`effect_matrix` exports ``g_ij`` for any set of sites (the simulator's matrix).

References
----------
DREES (2023), L'accessibilité potentielle localisée (APL), méthodologie; issue 20 of the project
(decisions on the official indicator).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from accessmap import siting, workforce
from accessmap.contracts import isin_codes
from accessmap.conventions import (
    APL_PRIORITY,
    APL_SECONDARY,
    MSP_MIN_GPS,
    OUTLOOK_HORIZON_YEARS,
    REFERENCE_QUANTILE,
)
from accessmap.errors import ValidationError
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.professions import profession as profession_spec
from accessmap.siting._apl import APL_TOL, DEFAULT_MAX_FTE, build_problem

if TYPE_CHECKING:
    from accessmap.inputs import Inputs
    from accessmap.workforce import Outlook, RetirementModel

__all__ = [
    "DecisionInputs",
    "PlanEvaluation",
    "decision_inputs",
    "decision_years",
    "effect_matrix",
    "evaluate_plan",
    "parse_plan",
    "reference_threshold",
    "territory_weights",
]


@dataclass(frozen=True, slots=True)
class DecisionInputs:
    """Everything a decision on the APL needs, for one profession and one year.

    Attributes
    ----------
    profession
        A profession of the registry with an APL.
    start_year, year
        Today and the decision year (the outlook's start year + 10 by default).
    threshold
        The APL every commune should keep.
    official_threshold
        Whether ``threshold`` is an official one (2,5 for GPs) or this project's convention.
    official
        Whether the baselines start from the published APL (else from the modelled one).
    od
        Travel times from every study-area commune to the existing sites and the candidates.
    demand
        ``id, population, pop_std, in_territory, counted, counted_std`` (``counted``: the
        territory's inhabitants, as the published APL counts them when it is read (DREES
        ``pop_total``), else the INSEE population, 0 outside the territory; ``counted_std``:
        the standardised population weighing the territory APL, the published one when read;
        the catchments use the model's ``pop_std`` over the whole study area).
    existing
        Today's sites of the profession the territory reaches (reinforced without a team minimum).
    candidates
        Host communes' town halls (a new site opens with ``team_min`` FTE).
    today, baseline
        ``id, apl, published, modelled_today, modelled_year, change, source``: today (no
        change) and the decision year without any plan.
    draws
        The year's baselines per Monte Carlo draw (rows) and commune (columns), or ``None``.
    site_communes
        INSEE code of the commune of every eligible site (a candidate is its own commune).
    team_min
        Fewest FTE of a new site.
    arrays
        What :func:`evaluate_plan` reads on every call, computed once per problem (not an
        argument; a :func:`dataclasses.replace` starts an empty one): each site's gain column,
        the baselines in the demand's order, the sites the travel times hold.
    """

    profession: str
    start_year: int
    year: int
    threshold: float
    official_threshold: bool
    official: bool
    od: pd.DataFrame
    demand: pd.DataFrame
    existing: tuple[str, ...]
    candidates: tuple[str, ...]
    today: pd.DataFrame
    baseline: pd.DataFrame
    draws: pd.DataFrame | None
    site_communes: Mapping[str, str] = field(default_factory=dict)
    team_min: int = MSP_MIN_GPS
    arrays: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def sites(self) -> tuple[str, ...]:
        """Every eligible site: the existing ones first, then the candidates."""
        return (*self.existing, *(c for c in self.candidates if c not in set(self.existing)))

    def model_kwargs(self) -> dict[str, Any]:
        """Keyword arguments shared by every APL model (:mod:`accessmap.siting.registry`)."""
        return {
            "weight": "counted",
            "apl_weight": "pop_std",
            "profession": self.profession,
            "threshold": self.threshold,
            "fixed": list(self.existing),
            "candidates": [c for c in self.candidates if c not in set(self.existing)],
        }


@dataclass(frozen=True, slots=True)
class PlanEvaluation:
    """A plan evaluated on the official indicator, today and in the decision year.

    Attributes
    ----------
    plan
        New FTE per site (only sites with FTE).
    communes
        One row per territory commune: ``id, population, apl_today, apl_year, gain`` (the plan's
        APL gain, the same today and in the year), ``below_today``, ``below_year``.
    under_today, under_year
        Inhabitants under the threshold today and in the year, with the plan.
    communes_under_today, communes_under_year
        Communes under the threshold.
    under_secondary_today, under_secondary_year
        Inhabitants under 4 (GPs: the vigilance threshold; other professions: ``nan``).
    apl_today, apl_year
        Territory APL (weighted by standardised population).
    deficit_year
        ``sum_i w_i max(0, threshold - APL_i)`` in the year.
    band
        Inhabitants under the threshold in the year over the draws (median, 10-90 %), or ``None``.
    """

    plan: Mapping[str, float]
    communes: pd.DataFrame
    under_today: float
    under_year: float
    communes_under_today: int
    communes_under_year: int
    under_secondary_today: float
    under_secondary_year: float
    apl_today: float
    apl_year: float
    deficit_year: float
    band: siting.PlanBand | None

    @property
    def fte(self) -> float:
        """New FTE of the plan."""
        return float(sum(self.plan.values()))


def reference_threshold(today: pd.DataFrame, demand: pd.DataFrame) -> float:
    """Return the convention threshold of a profession without an official one.

    Parameters
    ----------
    today
        ``id, apl``: today's APL of every study-area commune.
    demand
        ``id, population``: inhabited communes count.

    Returns
    -------
    float
        The :data:`~accessmap.conventions.REFERENCE_QUANTILE` quantile of today's APL over the
        study area's inhabited communes with some access (the level of the fifth least served;
        communes at 0, out of reach of any practitioner, would make it 0).

    References
    ----------
    The zonings of nurses and physiotherapists classify communes by quantiles of their APL
    (arrêtés of 2019-2020); this convention follows that logic, never an official level.
    """
    inhabited = set(demand.loc[demand["population"] > 0, "id"].astype(str))
    values = today.loc[today["id"].astype(str).isin(inhabited), "apl"].astype(float)
    values = values[values > 0]
    value = float(np.quantile(values, REFERENCE_QUANTILE)) if len(values) else float("nan")
    if not (np.isfinite(value) and value > 0):
        raise ValidationError("decisions.no_reference", field="threshold")
    return value


def decision_inputs(
    inputs: Inputs,
    od: pd.DataFrame,
    outlook: Outlook,
    *,
    candidates: Sequence[str],
    profession: str = DEFAULT_PROFESSION,
    year: int | None = None,
    threshold: float | None = None,
    runs: int = 0,
    seed: int = 0,
    model: RetirementModel | None = None,
) -> DecisionInputs:
    """Build the decision problem of a profession from a diagnostic's inputs and outlook.

    Parameters
    ----------
    inputs
        Loaded inputs of that profession (roster, APL parameters, published APL for GPs).
    od
        Travel times from the study area's communes to the profession's sites and the candidates.
    outlook
        The profession's expected-value outlook (its ``apl`` table gives today's and the year's
        modelled APL).
    candidates
        Town halls (INSEE codes) that may host a new site.
    profession
        A profession with an APL.
    year
        Decision year (default: the outlook's start + 10).
    threshold
        APL to keep (default: 2,5 for GPs, :func:`reference_threshold` for the others).
    runs, seed, model
        Monte Carlo draws of the year's baseline (0: none), their seed and the retirement model
        (the outlook's).

    Returns
    -------
    DecisionInputs

    Raises
    ------
    ValidationError
        A year outside the outlook, a profession without APL.

    References
    ----------
    :func:`accessmap.siting.official_plus_change`; DREES APL methodology.
    """
    start = int(outlook.start_year)
    chosen = start + OUTLOOK_HORIZON_YEARS if year is None else int(year)
    years = sorted({int(y) for y in outlook.apl["year"]})
    if chosen not in years:
        raise ValidationError("workforce.year_outside", field="year", year=chosen, years=years)
    demand = inputs.demand.assign(id=inputs.demand["id"].astype(str))
    demand = demand.assign(counted=demand["population"].where(demand["in_territory"], 0.0))
    ids = demand["id"].tolist()
    apl = _modelled_apl(outlook, profession)
    scale = profession_spec(profession).scale
    modelled_today = apl[apl["year"] == start]
    published = _published(inputs, profession)
    source = published if published is not None else modelled_today[["id", "apl"]]
    demand = demand.assign(counted_std=demand["pop_std"])
    if published is not None:
        demand = _as_published(demand, published)
    today, baseline = (
        siting.official_plus_change(source, modelled_today=modelled_today, modelled_year=y, ids=ids)
        for y in (modelled_today, apl[apl["year"] == chosen])
    )
    sites = set(inputs.roster.sites["site_id"].astype(str))
    od = od[isin_codes(od["origin_id"], ids)]
    dests = {str(d) for d in od["dest_id"].unique()}  # the unique ids, not every pair
    existing = tuple(sorted(sites & dests))
    hosts = tuple(c for c in dict.fromkeys(str(c) for c in candidates) if c in dests)
    draws = None
    if runs > 0:
        od_sites = od[isin_codes(od["dest_id"], sites)]
        raw = workforce.apl_draws(
            inputs.roster, od_sites, demand, year=chosen, runs=runs, seed=seed, model=model,
            start_year=start, horizon=max(years) - start, params=inputs.params,
            profession=profession,
        )  # fmt: skip
        draws = siting.official_plus_change_draws(
            source, modelled_today=modelled_today, draws=raw * scale
        )
        draws = draws[ids]
    level = threshold
    if level is None:
        level = APL_PRIORITY if profession == DEFAULT_PROFESSION else None
    return DecisionInputs(
        profession=profession, start_year=start, year=chosen,
        threshold=float(level if level is not None else reference_threshold(today, demand)),
        official_threshold=threshold is None and profession == DEFAULT_PROFESSION,
        official=published is not None, od=od.reset_index(drop=True), demand=demand,
        existing=existing, candidates=hosts, today=today, baseline=baseline, draws=draws,
        site_communes=_site_communes(inputs, existing, hosts),
    )  # fmt: skip


def _modelled_apl(outlook: Outlook, profession: str) -> pd.DataFrame:
    """Return the outlook's modelled APL (``id, year, apl``) in the profession's unit."""
    apl = outlook.apl.rename(columns={"commune_code": "id"})
    return apl.assign(apl=apl["apl"].astype(float) * profession_spec(profession).scale)


def _as_published(demand: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Count the inhabitants (and weigh the territory APL) as the DREES publication does.

    ``counted`` takes the published ``pop_total`` and ``counted_std`` the published ``pop_std``
    where they exist, so that today's counts and territory APL equal the official figures.
    """
    by_code = published.set_index(published["code"].astype(str))
    inside = demand["in_territory"].to_numpy()
    own = demand.set_index("id")
    out = demand.copy()
    for column, source, fallback in (
        ("counted", "pop_total", "population"),
        ("counted_std", "pop_std", "pop_std"),
    ):
        if source in by_code.columns:
            values = by_code[source].astype(float).reindex(own.index).fillna(own[fallback])
            out[column] = values.where(inside, 0.0).to_numpy()
    return out


def _site_communes(inputs: Inputs, existing: Sequence[str], hosts: Sequence[str]) -> dict[str, str]:
    """INSEE code of the commune of every site (a town hall is its own commune)."""
    codes = inputs.roster.site_communes
    return {**{s: codes.get(s, s) for s in existing}, **{c: c for c in hosts}}


def _published(inputs: Inputs, profession: str) -> pd.DataFrame | None:
    """Return the published APL's vintage (GPs only: DREES publishes no other in the mirror)."""
    published = inputs.published
    if published is None or profession != DEFAULT_PROFESSION or published.empty:
        return None
    vintage = (
        inputs.options.apl_year
        if (published["year"] == inputs.options.apl_year).any()
        else (published["year"].max())
    )
    columns = [c for c in ("code", "apl", "pop_total", "pop_std") if c in published.columns]
    return published[published["year"] == vintage][columns]


def parse_plan(text: str | Mapping[str, float], *, known: Sequence[str]) -> dict[str, float]:
    """Read a plan: ``"X:2,Y:1"`` (site or INSEE code, FTE) or a mapping.

    Parameters
    ----------
    text
        The plan as written (``site:FTE`` pairs separated by commas) or a mapping.
    known
        The eligible sites (:attr:`DecisionInputs.sites`).

    Returns
    -------
    dict
        ``{site: FTE}`` (FTE > 0, summed when a site is repeated; a decimal comma is read:
        ``"X:0,5,Y:2"`` is half a FTE at X and two at Y).

    Raises
    ------
    ValidationError
        A pair without ``:``, a number that is not positive, a site not eligible.
    """
    pairs: list[tuple[str, object]]
    if isinstance(text, Mapping):
        pairs = [(str(k), v) for k, v in text.items()]
    else:
        pairs = []
        for part in _tokens(str(text)):
            site, sep, written = part.rpartition(":")
            if not sep or not site.strip():
                raise ValidationError("decisions.plan_pair", field="plan", pair=part)
            pairs.append((site.strip(), written.strip().replace(",", ".")))
    plan: dict[str, float] = {}
    allowed = set(known)
    for site, value in pairs:
        try:
            fte = float(str(value))
        except ValueError:
            raise ValidationError(
                "decisions.plan_fte", field="plan", pair=site, value=value
            ) from None
        if not (np.isfinite(fte) and fte > 0):
            raise ValidationError("decisions.plan_fte", field="plan", pair=site, value=value)
        if site not in allowed:
            raise ValidationError("decisions.plan_site", field="plan", site=site)
        plan[site] = plan.get(site, 0.0) + fte
    return plan


def _tokens(text: str) -> list[str]:
    """Split ``site:FTE`` pairs on commas or semicolons (``X:2,5``: a decimal comma)."""
    tokens: list[str] = []
    for raw in re.split(r"[,;]", text):
        part = raw.strip()
        if not part:
            continue
        if part.isdigit() and tokens and ":" in tokens[-1] and "." not in tokens[-1]:
            tokens[-1] = f"{tokens[-1]}.{part}"
        else:
            tokens.append(part)
    return tokens


def effect_matrix(dec: DecisionInputs, *, sites: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the APL gained by each territory commune per new FTE at each site (``g_ij``).

    Parameters
    ----------
    dec
        The decision problem.
    sites
        Sites wanted (default: every eligible site, :attr:`DecisionInputs.sites`).

    Returns
    -------
    pandas.DataFrame
        Long table ``site_id, id, gain`` (only positive gains; territory communes only).

    References
    ----------
    Linear form of the two-step APL: ``g_ij = scale f(t_ij) acts_per_fte / P_j``.
    """
    wanted = list(dec.sites if sites is None else dict.fromkeys(str(s) for s in sites))
    ids = dec.demand["id"].tolist()
    site_ids, columns = _gain_columns(dec, wanted)
    # the sites' non-zero rows, never the communes x sites matrix: row-major order as before
    sizes = [len(columns[s][0]) for s in site_ids]
    rows = np.concatenate([columns[s][0] for s in site_ids]) if site_ids else np.zeros(0, int)
    gain = np.concatenate([columns[s][1] for s in site_ids]) if site_ids else np.zeros(0)
    cols = np.repeat(np.arange(len(site_ids)), sizes)
    positive = gain > 0
    rows, cols, gain = rows[positive], cols[positive], gain[positive]
    order = np.lexsort((cols, rows))
    rows, cols = rows[order], cols[order]
    table = pd.DataFrame(
        {
            "site_id": np.asarray(site_ids, dtype=object)[cols],
            "id": np.asarray(ids, dtype=object)[rows],
            "gain": gain[order],
        }
    )
    inside = set(dec.demand.loc[dec.demand["in_territory"], "id"])
    return table[table["id"].isin(inside)].reset_index(drop=True)


def _gain(dec: DecisionInputs, sites: list[str]) -> tuple[np.ndarray, list[str], list[str]]:
    """``(n, m)`` gains per FTE, the commune ids (demand order) and the site ids.

    A site's column depends on its own travel times and the demand only
    (``g_ij = scale f(t_ij) acts_per_fte / P_j``): the columns are computed once per problem,
    every eligible site with the first ones asked (:attr:`DecisionInputs.arrays`).
    """
    ids = dec.demand["id"].tolist()
    site_ids, columns = _gain_columns(dec, sites)
    gain = np.zeros((len(ids), len(site_ids)))
    for k, site in enumerate(site_ids):
        rows, kept = columns[site]
        gain[rows, k] = kept
    return gain, ids, site_ids


def _gain_columns(
    dec: DecisionInputs, sites: Sequence[str]
) -> tuple[list[str], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Return the sites asked that have gains, and every known site's non-zero rows and gains.

    Each column is kept as its non-zero rows in the demand's order (a site reaches few communes
    of a large territory), computed once per problem (:attr:`DecisionInputs.arrays`).
    """
    wanted = list(dict.fromkeys(str(s) for s in sites))
    columns: dict[str, tuple[np.ndarray, np.ndarray]] = dec.arrays.setdefault("gain", {})
    missing = [s for s in wanted if s not in columns]
    if missing:
        known = _destinations(dec)
        more = [] if columns else [s for s in dec.sites if s in known and s not in set(missing)]
        problem = build_problem(
            dec.od, dec.demand, baseline=dec.baseline, weight="counted", apl_weight="pop_std",
            profession_key=dec.profession, threshold=dec.threshold, team_min=1,
            max_fte=DEFAULT_MAX_FTE, acts_per_fte=None, candidates=[], exclude=(),
            fixed=[*missing, *more],
        )  # fmt: skip
        # the problem's rows in the demand's order (a commune it lacks: no gain anywhere)
        at = pd.Index([str(i) for i in problem.inst.demand_ids]).get_indexer(
            pd.Index(dec.demand["id"].tolist())
        )
        held = np.flatnonzero(at >= 0)
        for k, site in enumerate(problem.inst.site_ids):
            values = problem.gain[at[held], k]
            nonzero = np.flatnonzero(values)
            columns[str(site)] = (held[nonzero], values[nonzero])
    return [s for s in wanted if s in columns], columns


def _by_id(dec: DecisionInputs, name: str, table: pd.DataFrame) -> np.ndarray:
    """Return ``apl`` of ``table`` in the demand's order, read once per problem."""
    if name not in dec.arrays:
        ids = dec.demand["id"].tolist()
        dec.arrays[name] = table.set_index("id")["apl"].reindex(ids).to_numpy(np.float64)
    return np.asarray(dec.arrays[name], dtype=np.float64)


def _destinations(dec: DecisionInputs) -> set[str]:
    """Return the sites the travel times hold (once per problem: the unique ids, not the pairs)."""
    if "dests" not in dec.arrays:
        dec.arrays["dests"] = {str(d) for d in dec.od["dest_id"].unique()}
    return set(dec.arrays["dests"])


def _draws(dec: DecisionInputs) -> np.ndarray | None:
    """Return the draws in the demand's order, as an array (once per problem)."""
    if dec.draws is None:
        return None
    if "draws" not in dec.arrays:
        ids = dec.demand["id"].tolist()
        dec.arrays["draws"] = dec.draws[ids].to_numpy(np.float64)
    return np.asarray(dec.arrays["draws"], dtype=np.float64)


def evaluate_plan(dec: DecisionInputs, plan: Mapping[str, float]) -> PlanEvaluation:
    """Apply a plan to the official indicator, today and in the decision year.

    Parameters
    ----------
    dec
        The decision problem.
    plan
        New FTE per site (:func:`parse_plan`); empty: the baseline itself.

    Returns
    -------
    PlanEvaluation

    Raises
    ------
    ValidationError
        A site of the plan the travel times do not hold.

    References
    ----------
    ``APL_i = base_i + sum_j g_ij x_j`` (:mod:`accessmap.siting._apl`).
    """
    fte = {str(k): float(v) for k, v in plan.items() if float(v) > 0}
    unknown = sorted(set(fte) - _destinations(dec))
    if unknown:
        raise ValidationError("decisions.plan_site", field="plan", site=unknown[0])
    gain, ids, site_ids = _gain(dec, list(fte))
    x = np.array([fte[s] for s in site_ids], dtype=np.float64)
    delta = gain @ x if len(x) else np.zeros(len(ids))
    base_today = _by_id(dec, "today", dec.today)
    base_year = _by_id(dec, "year", dec.baseline)
    demand = dec.demand
    inside = demand["in_territory"].to_numpy(bool)
    people = demand["counted"].to_numpy(np.float64)
    std = demand[_std_column(demand)].to_numpy(np.float64)
    after_today, after_year = base_today + delta, base_year + delta
    level = dec.threshold
    tol = APL_TOL * max(1.0, level)
    below_today, below_year = after_today < level - tol, after_year < level - tol
    inhabited = inside & (people > 0)
    second = APL_SECONDARY if dec.official_threshold else float("nan")
    communes = pd.DataFrame(
        {
            "id": ids,
            "population": people,
            "apl_today": after_today,
            "apl_year": after_year,
            "gain": delta,
            "below_today": below_today,
            "below_year": below_year,
        }
    )[inside].reset_index(drop=True)
    band = None
    drawn = _draws(dec)
    if drawn is not None:  # the same rule as :func:`accessmap.siting.apl_plan_draws`
        draws = drawn + delta[None, :]
        under = (draws < level - tol).astype(np.float64) @ people
        band = siting.PlanBand(
            under=under, median=float(np.median(under)), q10=float(np.quantile(under, 0.1)),
            q90=float(np.quantile(under, 0.9)), threshold=level, fte=float(sum(fte.values())),
        )  # fmt: skip
    return PlanEvaluation(
        plan=fte, communes=communes,
        under_today=float(people[below_today].sum()), under_year=float(people[below_year].sum()),
        communes_under_today=int((below_today & inhabited).sum()),
        communes_under_year=int((below_year & inhabited).sum()),
        under_secondary_today=_under(people, after_today, second),
        under_secondary_year=_under(people, after_year, second),
        apl_today=_weighted(after_today[inside], std[inside]),
        apl_year=_weighted(after_year[inside], std[inside]),
        deficit_year=float((np.maximum(0.0, level - after_year) * people).sum()),
        band=band,
    )  # fmt: skip


def _std_column(demand: pd.DataFrame) -> str:
    return "counted_std" if "counted_std" in demand.columns else "pop_std"


def territory_weights(dec: DecisionInputs) -> pd.Series:
    """Return the weights of the territory APL, by commune id (the published ``pop_std`` if read).

    Parameters
    ----------
    dec
        The decision problem.

    Returns
    -------
    pandas.Series
        Standardised population per commune id (0 outside the territory where published).
    """
    demand = dec.demand
    return demand.set_index("id")[_std_column(demand)].astype(float)


def _under(people: np.ndarray, apl: np.ndarray, level: float) -> float:
    if not np.isfinite(level):
        return float("nan")
    return float(people[apl < level - APL_TOL * max(1.0, level)].sum())


def _weighted(values: np.ndarray, weights: np.ndarray) -> float:
    total = float(weights.sum())
    return float((values * weights).sum() / total) if total > 0 else float("nan")


def decision_years(
    inputs: Inputs,
    od: pd.DataFrame,
    outlook: Outlook,
    *,
    candidates: Sequence[str],
    profession: str = DEFAULT_PROFESSION,
    years: Sequence[int] | None = None,
    threshold: float | None = None,
) -> dict[int, DecisionInputs]:
    """Build the decision problem of a profession for every year a reader may choose.

    The sites, travel times and catchments are the same every year; only the baseline changes
    (published APL plus the modelled change of that year's retirements). No Monte Carlo draw.

    Parameters
    ----------
    inputs, od, outlook, candidates, profession, threshold
        As for :func:`decision_inputs`.
    years
        Years wanted (default: from the outlook's start to the decision year, start + 10).

    Returns
    -------
    dict
        ``year -> DecisionInputs`` in increasing years.

    Raises
    ------
    ValidationError
        A year outside the outlook, a profession without APL.

    References
    ----------
    :func:`decision_inputs`; the simulator of the report (issue 26) reads one baseline a year.
    """
    start = int(outlook.start_year)
    wanted = [
        int(y)
        for y in (range(start, start + OUTLOOK_HORIZON_YEARS + 1) if years is None else years)
    ]
    if not wanted:
        return {}
    # one problem (sites, travel times, catchments, threshold); one baseline per year
    last = decision_inputs(
        inputs, od, outlook, candidates=candidates, profession=profession, year=max(wanted),
        threshold=threshold,
    )  # fmt: skip
    apl = _modelled_apl(outlook, profession)
    known = sorted({int(y) for y in apl["year"]})
    ids = last.demand["id"].tolist()
    modelled_today = apl[apl["year"] == start]
    published = _published(inputs, profession)
    source = published if published is not None else modelled_today[["id", "apl"]]
    out = {}
    for y in sorted(wanted):
        if y not in known:
            raise ValidationError("workforce.year_outside", field="year", year=y, years=known)
        baseline = siting.official_plus_change(
            source, modelled_today=modelled_today, modelled_year=apl[apl["year"] == y], ids=ids
        )
        out[y] = dataclasses.replace(last, year=y, baseline=baseline)
    return out
