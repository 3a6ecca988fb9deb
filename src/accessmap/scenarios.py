"""Siting options side by side: status quo, model answers, volunteer centres, rotas, future years.

An option is a supply of GP activity per site (``site_id, acts``): today's supply (the status quo),
the supply expected in an outlook year, plus new sites with their FTE (a new MSP, a Médecins
Solidaires centre, the days of a MilleSoins rota). :func:`compare` measures every option the same
way, in one table:

- population within 10 / 20 / 30 minutes of a site with a GP (``t < T``, the project's half-open
  band convention, ``docs/architecture.md``), mean (population-weighted) and worst time;
- territory APL (DREES, population-standardised mean), communes and population with APL < 2.5;
- communes losing their last GP (relative to today), and how many of those losses the option's
  new sites avoid;

plus one row per option and commune (time, band, APL, GP present) for a map.

Options are built by hand (:class:`ScenarioOption`), from a model's answer
(:func:`option_from_result`), or from a small TOML/JSON file (:func:`options_from_spec`; format in
``docs/siting.md``). Supply in an outlook year is an *input* (``ScenarioOption.supply``), e.g.
:func:`expected_supply` from the roster and the retirement model.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError, format_rows

if TYPE_CHECKING:
    from accessmap.indicators import AplParameters
    from accessmap.siting import SitingResult, SolverOptions
    from accessmap.supply import Roster
    from accessmap.workforce import RetirementModel

__all__ = [
    "Comparison",
    "ScenarioOption",
    "compare",
    "expected_supply",
    "option_from_result",
    "options_from_spec",
    "staffed_sites",
    "status_quo",
]

#: Acts per year of one FTE added by an option (DREES imputes 5,400 to a newly installed GP).
NEW_GP_ACTS = 5400.0


@dataclass(frozen=True, slots=True)
class ScenarioOption:
    """One option to compare.

    Attributes
    ----------
    name
        Label shown in tables and maps.
    new_sites
        FTE added per site id (``{"23001": 1.0}``); added to the site's acts when it already
        exists. New site ids must be destinations of the travel-time table.
    supply
        GP supply per site (``site_id, acts``) before the new sites; ``None``: the status quo
        supply given to :func:`compare`. Pass the outlook-year supply here for a future year.
    year
        The year the option describes (``None``: today), for labels.
    description
        Free text for reports (which model, which parameters).
    site_communes
        Commune of each new site when its id is not a commune code.
    """

    name: str
    new_sites: Mapping[str, float] = field(default_factory=dict)
    supply: pd.DataFrame | None = None
    year: int | None = None
    description: str = ""
    site_communes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise ValidationError("an option needs a name.", field="name", fix="name it.")
        for site, fte in self.new_sites.items():
            if not (math.isfinite(float(fte)) and float(fte) > 0):
                raise ValidationError(
                    f"FTE of new site {site} must be > 0, got {fte}.",
                    field=f"{self.name}.new_sites",
                    fix="give the full-time equivalents added (e.g. 1.0).",
                )


@dataclass(frozen=True, slots=True)
class Comparison:
    """The options side by side.

    Attributes
    ----------
    summary
        One row per option: ``option``, ``year``, ``new_sites`` (ids, comma-separated),
        ``new_fte``, ``population``, ``pop_within_10``/``20``/``30`` (``t < T``) and their
        shares ``share_within_*``, ``mean_minutes`` (population-weighted, reachable
        population), ``max_minutes``, ``pop_unreachable``, ``apl_territory``,
        ``communes_apl_below``, ``pop_apl_below`` (APL < ``apl_threshold``), ``communes_with_gp``,
        ``communes_losing_last_gp`` (GP today, none in the option), ``losing_last_gp_avoided``
        (communes whose GP the option's supply loses but a new site restores).
    communes
        One row per option and commune (for maps): ``option``, ``id``, ``population``,
        ``pop_std``, ``minutes`` (to the nearest site with a GP), ``site_id``, ``band``, ``apl``,
        ``apl_below``, ``has_gp``, ``had_gp``.
    parameters
        Bands, APL threshold, acts per FTE.
    """

    summary: pd.DataFrame
    communes: pd.DataFrame
    parameters: Mapping[str, Any] = field(default_factory=dict)


def status_quo(*, name: str = "Statu quo", year: int | None = None) -> ScenarioOption:
    """Build the option that changes nothing (today's supply, or pass ``supply`` for a year).

    Parameters
    ----------
    name
        Label.
    year
        Year label.

    Returns
    -------
    ScenarioOption
        No new site.
    """
    return ScenarioOption(name=name, year=year, description="no new site")


def option_from_result(
    result: SitingResult,
    *,
    name: str | None = None,
    fte: float | None = None,
    supply: pd.DataFrame | None = None,
    year: int | None = None,
) -> ScenarioOption:
    """Turn a siting model's answer into an option.

    Parameters
    ----------
    result
        A :class:`~accessmap.siting.SitingResult`.
    name
        Label (default: model and parameters).
    fte
        FTE per new site. Default: 1 for MSP models (one full-time GP), the centre's FTE for
        volunteer centres (volunteer-weeks / weeks per FTE); rotation results use each site's
        days / days per FTE.
    supply
        Base supply for the option (outlook year), see :class:`ScenarioOption`.
    year
        Year label.

    Returns
    -------
    ScenarioOption
        The new sites with their FTE.

    References
    ----------
    Church R. L., ReVelle C., "The maximal covering location problem" (1974).
    """
    params = dict(result.parameters)
    if result.model == "rotation":
        days_per_fte = float(params.get("days_per_fte", 5.0))
        table = result.site_table
        new_sites = {
            str(s): float(d) / days_per_fte
            for s, d in zip(table["site_id"], table["days_per_week"], strict=True)
            if d > 0
        }
    else:
        per_site = fte if fte is not None else float(params.get("fte", 1.0))
        new_sites = dict.fromkeys(result.sites, per_site)
    label = name or _default_name(result)
    description = f"{result.model} ({result.status}), objective {result.objective:,.6g}"
    return ScenarioOption(
        name=label, new_sites=new_sites, supply=supply, year=year, description=description
    )


def _default_name(result: SitingResult) -> str:
    params = result.parameters
    bits = [result.model]
    if "p" in params:
        bits.append(f"p={params['p']}")
    if "minutes" in params and result.model != "p_median":
        bits.append(f"T={params['minutes']:g}")
    return " ".join(bits)


def _supply_table(supply: pd.DataFrame, *, field_name: str) -> pd.Series:
    missing = [c for c in ("site_id", "acts") if c not in supply.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field=field_name,
            fix="pass the supply per site: site_id, acts (e.g. indicators.site_activity).",
        )
    acts = pd.to_numeric(supply["acts"], errors="coerce").astype("float64")
    if acts.isna().any() or (acts < 0).any():
        raise ValidationError(
            "acts must be numbers >= 0.", field=f"{field_name}.acts", fix="fill or fix the acts."
        )
    return acts.groupby(supply["site_id"].astype(str).to_numpy()).sum()


def _demand_table(demand: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("id", "population") if c not in demand.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field="demand",
            fix="pass id, population and optionally pop_std (DREES standardised population).",
        )
    table = pd.DataFrame(
        {
            "id": demand["id"].astype(str).to_numpy(dtype=object),
            "population": pd.to_numeric(demand["population"], errors="coerce").to_numpy(
                dtype=np.float64
            ),
        }
    )
    table["pop_std"] = (
        pd.to_numeric(demand["pop_std"], errors="coerce").to_numpy(dtype=np.float64)
        if "pop_std" in demand.columns
        else table["population"]
    )
    if table["id"].duplicated().any():
        raise ValidationError(
            f"duplicate ids ({format_rows(table.loc[table['id'].duplicated(), 'id'])}).",
            field="demand.id",
            fix="one row per commune.",
        )
    bad = ~np.isfinite(table[["population", "pop_std"]].to_numpy()).all(axis=1) | (
        table[["population", "pop_std"]].to_numpy() < 0
    ).any(axis=1)
    if bad.any():
        raise ValidationError(
            f"population must be finite and >= 0 ({format_rows(table.loc[bad, 'id'])}).",
            field="demand.population",
            fix="fill missing populations and remove negative counts.",
        )
    return table


def _commune_of(
    sites: Iterable[str], *, demand_ids: set[str], mapping: Mapping[str, str]
) -> dict[str, str]:
    return {s: mapping.get(s, s) for s in sites if s in mapping or s in demand_ids}


def compare(
    options: Sequence[ScenarioOption],
    *,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    params: AplParameters | None = None,
    site_communes: Mapping[str, str] | pd.DataFrame | None = None,
    territory: Iterable[str] | None = None,
    bands: Sequence[float] = (10.0, 20.0, 30.0),
    apl_threshold: float = 2.5,
    acts_per_fte: float = NEW_GP_ACTS,
) -> Comparison:
    """Compare options in one table, with the per-commune data for a map.

    Parameters
    ----------
    options
        The options (names must be unique). Include :func:`status_quo` to show today.
    od
        Long travel-time table ``origin_id`` (commune), ``dest_id`` (sites, existing and new:
        candidates are commune town halls, so it holds commune x commune times), ``minutes``.
    demand
        ``id``, ``population`` and, for the APL, ``pop_std`` (default: ``population``). Include
        the buffer communes: they compete for the same GPs in the APL.
    supply
        Today's GP supply per site: ``site_id, acts`` (e.g.
        :func:`accessmap.indicators.site_activity`).
    params
        APL parameters (default: DREES 2023).
    site_communes
        Commune of each site (``{site_id: code}`` or a table ``site_id, commune_code`` such as
        ``roster.sites``). Default: the site id when it is a commune code, else the commune with
        the shortest travel time to the site.
    territory
        Commune ids the summary covers (default: every demand id); the APL still uses all demand.
    bands
        Time thresholds ``T`` for "population within T minutes" (``t < T``).
    apl_threshold
        APL under which a commune counts as under-served (2.5).
    acts_per_fte
        Acts per year of one new FTE (5,400, the DREES figure for a newly installed GP).

    Returns
    -------
    Comparison
        ``summary`` (one row per option) and ``communes`` (one row per option and commune).

    Raises
    ------
    ValidationError
        Duplicate option names, a new site with no travel time, bad tables.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes », Document de
    travail n° 124 (2012) and APL workbook 2023; Church & ReVelle (1974) for coverage.
    """
    from accessmap.indicators import apl as apl_of
    from accessmap.indicators import band_of, nearest_site, territory_apl

    names = [o.name for o in options]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValidationError(
            f"duplicate option names ({format_rows(dup)}).", field="options", fix="rename them."
        )
    if not options:
        raise ValidationError("no option to compare.", field="options", fix="pass options.")
    edges = sorted(float(b) for b in bands)
    dem = _demand_table(demand)
    scope = set(dem["id"]) if territory is None else {str(t) for t in territory}
    in_scope = dem["id"].isin(scope).to_numpy()
    mapping = {**_nearest_commune(od, demand_ids=set(dem["id"])), **_site_mapping(site_communes)}
    demand_ids = set(dem["id"])
    dests = set(od["dest_id"].astype(str).unique()) if "dest_id" in od.columns else set()
    today = _supply_table(supply, field_name="supply")
    today_gp = set(
        _commune_of(today.index[today > 0], demand_ids=demand_ids, mapping=mapping).values()
    )
    rows: list[dict[str, Any]] = []
    maps: list[pd.DataFrame] = []
    for option in options:
        base = (
            today
            if option.supply is None
            else _supply_table(option.supply, field_name=f"{option.name}.supply")
        )
        unknown = sorted(s for s in option.new_sites if str(s) not in dests)
        if unknown:
            raise ValidationError(
                f"option {option.name!r}: new site(s) without travel times "
                f"({format_rows(unknown)}).",
                field="od",
                fix="compute travel times from every commune to the candidate sites.",
            )
        added = pd.Series({str(k): float(v) * acts_per_fte for k, v in option.new_sites.items()})
        final = base.add(added, fill_value=0.0) if len(added) else base
        open_sites = [str(s) for s in final.index[final > 0]]
        local = {**mapping, **{str(k): str(v) for k, v in option.site_communes.items()}}
        base_gp = set(
            _commune_of(base.index[base > 0], demand_ids=demand_ids, mapping=local).values()
        )
        final_gp = set(_commune_of(open_sites, demand_ids=demand_ids, mapping=local).values())
        near = nearest_site(od, origins=dem["id"], sites=open_sites)
        access = apl_of(
            od,
            demand=dem[["id", "pop_std"]],
            supply=pd.DataFrame({"site_id": final.index.astype(str), "acts": final.to_numpy()}),
            params=params,
        )
        minutes = near["minutes"].to_numpy(dtype=np.float64)
        apl_values = access.set_index("id")["apl"].reindex(dem["id"]).to_numpy(dtype=np.float64)
        frame = pd.DataFrame(
            {
                "option": option.name,
                "id": dem["id"].to_numpy(),
                "population": dem["population"].to_numpy(),
                "pop_std": dem["pop_std"].to_numpy(),
                "minutes": minutes,
                "site_id": near["site_id"].to_numpy(dtype=object),
                "band": band_of(minutes, edges=edges),
                "apl": apl_values,
                "apl_below": apl_values < apl_threshold,
                "has_gp": dem["id"].isin(final_gp).to_numpy(),
                "had_gp": dem["id"].isin(today_gp).to_numpy(),
                "in_territory": in_scope,
            }
        )
        maps.append(frame)
        row = _summary_row(
            option, frame[in_scope], edges=edges,
            apl_territory=territory_apl(access, demand=dem[["id", "pop_std"]], ids=sorted(scope)),
        )  # fmt: skip
        row["communes_with_gp"] = len(final_gp & scope)
        row["communes_losing_last_gp"] = len((today_gp - final_gp) & scope)
        row["losing_last_gp_avoided"] = len(((today_gp - base_gp) & final_gp) & scope)
        rows.append(row)
    summary = pd.DataFrame(rows)
    summary["year"] = summary["year"].astype("Int64")
    return Comparison(
        summary=summary,
        communes=pd.concat(maps, ignore_index=True),
        parameters={
            "bands": tuple(edges),
            "apl_threshold": apl_threshold,
            "acts_per_fte": acts_per_fte,
            "convention": "within T minutes means t < T",
        },
    )


def _summary_row(
    option: ScenarioOption, scoped: pd.DataFrame, *, edges: Sequence[float], apl_territory: float
) -> dict[str, Any]:
    pop = scoped["population"].to_numpy(dtype=np.float64)
    t = scoped["minutes"].to_numpy(dtype=np.float64)
    reach = np.isfinite(t)
    row: dict[str, Any] = {
        "option": option.name,
        "year": option.year,
        "new_sites": ", ".join(sorted(option.new_sites)),
        "new_fte": float(sum(option.new_sites.values())),
        "population": float(pop.sum()),
    }
    for edge in edges:
        within = float(pop[t < edge].sum())
        row[f"pop_within_{edge:g}"] = within
        row[f"share_within_{edge:g}"] = within / pop.sum() if pop.sum() > 0 else math.nan
    row["mean_minutes"] = (
        float((pop[reach] * t[reach]).sum() / pop[reach].sum())
        if pop[reach].sum() > 0
        else math.nan
    )
    row["max_minutes"] = float(t[pop > 0].max()) if (pop > 0).any() else math.nan
    row["pop_unreachable"] = float(pop[~reach].sum())
    row["apl_territory"] = apl_territory
    below = scoped["apl_below"].to_numpy(dtype=bool)
    row["communes_apl_below"] = int(below.sum())
    row["pop_apl_below"] = float(pop[below].sum())
    return row


def _nearest_commune(od: pd.DataFrame, *, demand_ids: set[str]) -> dict[str, str]:
    """Commune of each site that is not a commune: the commune with the shortest time to it."""
    if not {"origin_id", "dest_id", "minutes"} <= set(od.columns):
        return {}
    table = pd.DataFrame(
        {
            "origin_id": od["origin_id"].astype(str).to_numpy(dtype=object),
            "dest_id": od["dest_id"].astype(str).to_numpy(dtype=object),
            "minutes": pd.to_numeric(od["minutes"], errors="coerce").to_numpy(dtype=np.float64),
        }
    )
    table = table[~table["dest_id"].isin(demand_ids) & np.isfinite(table["minutes"])]
    if table.empty:
        return {}
    best = table.sort_values(["minutes", "origin_id"]).drop_duplicates("dest_id")
    return dict(zip(best["dest_id"], best["origin_id"], strict=True))


def _site_mapping(site_communes: Mapping[str, str] | pd.DataFrame | None) -> dict[str, str]:
    if site_communes is None:
        return {}
    if isinstance(site_communes, pd.DataFrame):
        missing = [c for c in ("site_id", "commune_code") if c not in site_communes.columns]
        if missing:
            raise ValidationError(
                f"missing column(s) {', '.join(missing)}.",
                field="site_communes",
                fix="pass site_id, commune_code (e.g. roster.sites).",
            )
        return dict(
            zip(
                site_communes["site_id"].astype(str),
                site_communes["commune_code"].astype(str),
                strict=True,
            )
        )
    return {str(k): str(v) for k, v in site_communes.items()}


def expected_supply(
    roster: Roster,
    *,
    year: int,
    params: AplParameters | None = None,
    model: RetirementModel | None = None,
    start_year: int | None = None,
) -> pd.DataFrame:
    """Compute the expected GP supply per site in an outlook year, without replacements.

    Each GP's counted activity (DREES rules) times their probability of still practising in
    ``year`` (the retirement model of :mod:`accessmap.workforce`) times their share at the site.

    Parameters
    ----------
    roster
        Today's practitioners, sites and assignments.
    year
        Outlook year (``start_year`` gives today's supply).
    params
        APL parameters (default: DREES 2023).
    model
        Retirement model (default: :class:`accessmap.workforce.RetirementModel`).
    start_year
        Today (default: the current calendar year).

    Returns
    -------
    pandas.DataFrame
        ``site_id``, ``acts`` (expected counted acts per year), ``fte`` (expected FTE).

    Raises
    ------
    ValidationError
        A year before the start year.

    References
    ----------
    DREES, APL workbook 2023 (activity rules); CARMF, *Statistiques démographiques* (retirement
    ages), as used by :func:`accessmap.workforce.retirement_probabilities`.
    """
    from accessmap.indicators import counted_activity
    from accessmap.workforce import retirement_probabilities

    first = start_year if start_year is not None else datetime.datetime.now(tz=datetime.UTC).year
    if year < first:
        raise ValidationError(
            f"year {year} is before the start year {first}.",
            field="year",
            fix=f"choose a year from {first} on.",
        )
    probs = retirement_probabilities(
        roster, model=model, start_year=first, horizon=max(1, year - first)
    )
    stopped = probs[probs["year"] == year].set_index("practitioner_id")["p_stopped"]
    prac = roster.practitioners
    acts = counted_activity(prac, params=params)
    ids = prac["practitioner_id"].astype(str).to_numpy()
    present = 1.0 - stopped.reindex(ids).fillna(0.0).to_numpy(dtype=np.float64)
    per_prac = pd.DataFrame(
        {
            "practitioner_id": ids,
            "acts": acts.to_numpy(dtype=np.float64) * present,
            "fte": prac["fte"].to_numpy(dtype=np.float64) * present,
        }
    )
    merged = roster.assignments.assign(
        practitioner_id=roster.assignments["practitioner_id"].astype(str)
    ).merge(per_prac, on="practitioner_id", how="inner")
    merged["acts"] *= merged["share"]
    merged["fte"] *= merged["share"]
    out = merged.groupby(merged["site_id"].astype(str))[["acts", "fte"]].sum()
    out = out.reindex(roster.sites["site_id"].astype(str), fill_value=0.0)
    out.index.name = "site_id"
    return out.reset_index()


def staffed_sites(supply: pd.DataFrame, *, min_fte: float = 0.5) -> list[str]:
    """Sites that count as open: expected FTE at least ``min_fte`` (or acts > 0 without FTE).

    In an outlook year a site's expected FTE is fractional (a sum of probabilities); a site
    counts as still staffed when it is more likely staffed than not (``min_fte = 0.5``).

    Parameters
    ----------
    supply
        ``site_id``, ``acts`` and optionally ``fte`` (e.g. :func:`expected_supply`).
    min_fte
        Threshold on the expected FTE.

    Returns
    -------
    list of str
        Sorted site ids.
    """
    if "fte" in supply.columns:
        keep = pd.to_numeric(supply["fte"], errors="coerce").fillna(0.0) >= min_fte
    else:
        keep = pd.to_numeric(supply["acts"], errors="coerce").fillna(0.0) > 0
    return sorted(str(s) for s in supply.loc[keep.to_numpy(), "site_id"])


# --- scenario files ---------------------------------------------------------------------------

_MODEL_KEYS = {
    "mclp": ("p", "minutes"),
    "lscp": ("minutes",),
    "p_median": ("p",),
    "p_center": ("p",),
    "volunteer_centres": ("p", "minutes"),
    "rotation": ("team",),
}
_PASS_THROUGH = (
    "candidates", "exclude", "fixed", "weight", "method", "must_serve", "objective", "minutes",
)  # fmt: skip


def options_from_spec(
    spec: Mapping[str, Any],
    *,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    supply_for_year: Callable[[int], pd.DataFrame] | None = None,
    existing_sites: Sequence[str] = (),
    solver: SolverOptions | None = None,
) -> list[ScenarioOption]:
    """Build options from a parsed scenario file (TOML or JSON; format in ``docs/siting.md``).

    Each ``[[option]]`` has a ``name`` and either ``sites`` (``{site_id: fte}``: new sites by
    hand), or ``model`` (``mclp``, ``lscp``, ``p_median``, ``p_center``, ``volunteer_centres``,
    ``rotation``) with that model's keys (``p``, ``minutes``, ``team``, ``candidates``,
    ``exclude``, ``fixed``...), or neither (status quo). An optional ``year`` takes the supply of
    that year from ``supply_for_year``; ``fte`` sets the FTE per new site; models run with the
    ``existing_sites`` fixed open unless ``fixed`` is given (for a ``year``: the sites still
    staffed that year, :func:`staffed_sites`).

    Parameters
    ----------
    spec
        The parsed file: ``{"option": [{...}, ...]}``.
    od
        Long travel-time table (communes x sites and candidates).
    demand
        ``id``, ``population`` (and ``pop_std``).
    supply_for_year
        Called with a year, returns ``site_id, acts`` for that year (e.g.
        :func:`expected_supply`); needed when an option has a ``year``.
    existing_sites
        Today's GP sites, fixed open in the models by default.
    solver
        HiGHS options for the models.

    Returns
    -------
    list of ScenarioOption
        In file order.

    Raises
    ------
    ValidationError
        Unknown keys or models, missing model parameters, a year without ``supply_for_year``.

    References
    ----------
    See :mod:`accessmap.siting` for each model's references.
    """
    from accessmap import siting

    raw = spec.get("option", spec.get("options"))
    if not isinstance(raw, list) or not raw:
        raise ValidationError(
            "the scenario file has no [[option]] entries.",
            field="option",
            fix="add [[option]] tables with at least a name (see docs/siting.md).",
        )
    options: list[ScenarioOption] = []
    for k, entry in enumerate(raw):
        if not isinstance(entry, Mapping) or "name" not in entry:
            raise ValidationError(
                f"option #{k + 1} has no name.", field="option", fix="give each option a name."
            )
        name = str(entry["name"])
        known = {"name", "sites", "model", "year", "fte", "description", "team", "p", "params"}
        unknown = sorted(set(entry) - known - set(_PASS_THROUGH))
        if unknown:
            raise ValidationError(
                f"option {name!r}: unknown key(s) {', '.join(unknown)}.",
                field="option",
                fix="see docs/siting.md for the scenario file format.",
            )
        year = int(entry["year"]) if entry.get("year") is not None else None
        supply = None
        if year is not None:
            if supply_for_year is None:
                raise ValidationError(
                    f"option {name!r} asks for year {year} but no outlook supply is available.",
                    field="year",
                    fix="pass supply_for_year (a roster and its outlook) or drop the year.",
                )
            supply = supply_for_year(year)
        if "sites" in entry and "model" in entry:
            raise ValidationError(
                f"option {name!r} has both sites and model.", field="option", fix="keep one."
            )
        if "sites" in entry:
            sites = entry["sites"]
            new_sites = (
                {str(s): float(entry.get("fte", 1.0)) for s in sites}
                if isinstance(sites, list)
                else {str(s): float(v) for s, v in dict(sites).items()}
            )
            options.append(
                ScenarioOption(
                    name=name,
                    new_sites=new_sites,
                    supply=supply,
                    year=year,
                    description=str(entry.get("description", "sites chosen by hand")),
                )
            )
            continue
        if "model" not in entry:
            options.append(
                ScenarioOption(
                    name=name,
                    supply=supply,
                    year=year,
                    description=str(entry.get("description", "no new site")),
                )
            )
            continue
        existing = existing_sites if supply is None else staffed_sites(supply)
        result = _run_spec_model(
            entry, name=name, od=od, demand=demand, existing_sites=existing, solver=solver,
            siting=siting,
        )  # fmt: skip
        fte = entry.get("fte")
        options.append(
            option_from_result(
                result, name=name, fte=None if fte is None else float(fte), supply=supply, year=year
            )
        )
    return options


def _run_spec_model(
    entry: Mapping[str, Any],
    *,
    name: str,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    existing_sites: Sequence[str],
    solver: SolverOptions | None,
    siting: Any,
) -> SitingResult:
    model = str(entry["model"]).strip().lower().replace("-", "_")
    if model not in _MODEL_KEYS:
        raise ValidationError(
            f"option {name!r}: unknown model {entry['model']!r}.",
            field="model",
            fix=f"use one of {', '.join(_MODEL_KEYS)}.",
        )
    missing = [k for k in _MODEL_KEYS[model] if k not in entry]
    if missing:
        raise ValidationError(
            f"option {name!r}: model {model} needs {', '.join(missing)}.",
            field="option",
            fix="add them to the option (see docs/siting.md).",
        )
    kwargs: dict[str, Any] = {k: entry[k] for k in _PASS_THROUGH if k in entry}
    kwargs.setdefault("fixed", list(existing_sites))
    kwargs["solver"] = solver
    dests = set(od["dest_id"].astype(str).unique())
    kwargs["fixed"] = [s for s in kwargs["fixed"] if str(s) in dests]
    if model == "rotation":
        team = entry["team"]
        kwargs["team"] = float(team) if isinstance(team, int | float) else dict(team)
        if "fixed" not in entry:
            kwargs["fixed"] = []  # a rota spreads the team's days; today's sites stay as they are
        return siting.rotation(od, demand, **kwargs)
    p = entry.get("p")
    return siting.run_model(model, od, demand, p=None if p is None else int(p), **kwargs)
