"""Options and their comparison: :class:`SitingOption`, :class:`Comparison`, :func:`compare`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.contracts import validate_demand, validate_supply
from accessmap.conventions import APL_PRIORITY, ISOCHRONE_BANDS, SITING_MINUTES
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.siting.instance import model_name, status_name
from accessmap.siting.registry import find_model

if TYPE_CHECKING:
    from accessmap.contracts import AplParameters
    from accessmap.siting import SitingResult

__all__ = [
    "DEFAULT_BANDS",
    "NEW_GP_ACTS",
    "Comparison",
    "ScenarioOption",
    "SitingOption",
    "compare",
    "option_from_result",
    "status_quo",
]

#: Acts per year of one FTE added by an option (DREES imputes 5,400 to a newly installed GP).
NEW_GP_ACTS = 5400.0

#: Default "population within T minutes" bands: the isochrone bands and the siting threshold.
DEFAULT_BANDS: tuple[float, ...] = tuple(sorted({*ISOCHRONE_BANDS, SITING_MINUTES}))


@dataclass(frozen=True, slots=True)
class SitingOption:
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
    kind
        What the new sites are: ``msp`` (a health centre with salaried or liberal GPs),
        ``volunteer_centre`` (Médecins Solidaires), ``rotation`` (MilleSoins rota days) or ``""``
        (no new site), for :func:`describe_option`.
    """

    name: str
    new_sites: Mapping[str, float] = field(default_factory=dict)
    supply: pd.DataFrame | None = None
    year: int | None = None
    description: str = ""
    site_communes: Mapping[str, str] = field(default_factory=dict)
    kind: str = "msp"

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise ValidationError("options.no_name", field="name")
        for site, fte in self.new_sites.items():
            if not (math.isfinite(float(fte)) and float(fte) > 0):
                raise ValidationError(
                    "options.fte_invalid", field=f"{self.name}.new_sites", site=site, fte=fte
                )


#: Deprecated name of :class:`SitingOption` ("scenario" now means a workforce outlook scenario).
ScenarioOption = SitingOption


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
        ``apl_below``, ``has_gp``, ``had_gp``, ``in_territory``.
    parameters
        Bands, APL threshold, acts per FTE.
    """

    summary: pd.DataFrame
    communes: pd.DataFrame
    parameters: Mapping[str, Any] = field(default_factory=dict)


def status_quo(*, name: str = "Statu quo", year: int | None = None) -> SitingOption:
    """Build the option that changes nothing (today's supply, or pass ``supply`` for a year).

    Parameters
    ----------
    name
        Label.
    year
        Year label.

    Returns
    -------
    SitingOption
        No new site.
    """
    return SitingOption(
        name=name, year=year, description=str(Message("options.no_new_site")), kind=""
    )


def option_from_result(
    result: SitingResult,
    *,
    name: str | None = None,
    fte: float | None = None,
    supply: pd.DataFrame | None = None,
    year: int | None = None,
) -> SitingOption:
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
        Base supply for the option (outlook year), see :class:`SitingOption`.
    year
        Year label.

    Returns
    -------
    SitingOption
        The new sites with their FTE.

    References
    ----------
    Church R. L., ReVelle C., "The maximal covering location problem" (1974).
    """
    params = dict(result.parameters)
    spec = find_model(result.model)
    if spec is not None and spec.fte_from_days:
        days_per_fte = float(params.get("days_per_fte", 5.0))
        table = result.site_table
        new_sites = {
            str(s): float(d) / days_per_fte
            for s, d in zip(table["site_id"], table["days_per_week"], strict=True)
            if d > 0
        }
    elif "fte" in result.site_table.columns:  # the APL models: FTE per site (teams)
        table = result.site_table
        new_sites = {
            str(s): float(f) for s, f in zip(table["site_id"], table["fte"], strict=True) if f > 0
        }
    else:
        per_site = fte if fte is not None else float(params.get("fte", 1.0))
        new_sites = dict.fromkeys(result.sites, per_site)
    label = name or _default_name(result)
    description = str(
        Message(
            "options.from_result",
            model=model_name(result.model),
            status=status_name(result.status),
            objective=result.objective,
        )
    )
    kind = spec.option_kind if spec is not None else "msp"
    return SitingOption(
        name=label, new_sites=new_sites, supply=supply, year=year, description=description,
        kind=kind,
    )  # fmt: skip


def _default_name(result: SitingResult) -> str:
    params = result.parameters
    bits = [result.model]
    if "p" in params:
        bits.append(f"p={params['p']}")
    spec = find_model(result.model)
    if "minutes" in params and (spec is None or spec.has_threshold):
        bits.append(f"T={params['minutes']:g}")
    return " ".join(bits)


def _commune_of(
    sites: Iterable[str], *, demand_ids: set[str], mapping: Mapping[str, str]
) -> dict[str, str]:
    return {s: mapping.get(s, s) for s in sites if s in mapping or s in demand_ids}


@dataclass(frozen=True, slots=True)
class _Context:
    """What every option of one comparison shares."""

    dem: pd.DataFrame
    scope: set[str]
    in_scope: npt.NDArray[np.bool_]
    mapping: dict[str, str]
    dests: set[str]
    today: pd.Series
    today_gp: set[str]


def _context(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    *,
    site_communes: Mapping[str, str] | pd.DataFrame | None,
    territory: Iterable[str] | None,
) -> _Context:
    dem = validate_demand(demand)
    demand_ids = set(dem["id"])
    scope = demand_ids if territory is None else {str(t) for t in territory}
    mapping = {**_nearest_commune(od, demand_ids=demand_ids), **_site_mapping(site_communes)}
    today = validate_supply(supply, aggregate=True)
    today_gp = set(
        _commune_of(today.index[today > 0], demand_ids=demand_ids, mapping=mapping).values()
    )
    dests = set(od["dest_id"].astype(str).unique()) if "dest_id" in od.columns else set()
    return _Context(
        dem=dem, scope=scope, in_scope=dem["id"].isin(scope).to_numpy(), mapping=mapping,
        dests=dests, today=today, today_gp=today_gp,
    )  # fmt: skip


def _check_options(options: Sequence[SitingOption]) -> None:
    names = [o.name for o in options]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValidationError("options.duplicate_names", field="options", names=dup)
    if not options:
        raise ValidationError("options.none", field="options")


def compare(
    options: Sequence[SitingOption],
    *,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    params: AplParameters | None = None,
    site_communes: Mapping[str, str] | pd.DataFrame | None = None,
    territory: Iterable[str] | None = None,
    bands: Sequence[float] = DEFAULT_BANDS,
    apl_threshold: float = APL_PRIORITY,
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
        :func:`accessmap.indicators.site_activity`); rows of one site are summed.
    params
        APL parameters (default: DREES 2023).
    site_communes
        Commune of each site (``{site_id: code}`` or a table ``site_id, commune_code`` such as
        ``roster.sites``). Default: the site id when it is a commune code, else the commune with
        the shortest travel time to the site.
    territory
        Commune ids the summary covers (default: every demand id); the APL still uses all demand.
    bands
        Time thresholds ``T`` for "population within T minutes" (``t < T``); default
        :data:`accessmap.conventions.ISOCHRONE_BANDS` and
        :data:`accessmap.conventions.SITING_MINUTES` (10, 15, 20, 30).
    apl_threshold
        APL under which a commune counts as under-served
        (:data:`accessmap.conventions.APL_PRIORITY`).
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
    _check_options(options)
    edges = sorted(float(b) for b in bands)
    ctx = _context(od, demand, supply, site_communes=site_communes, territory=territory)
    rows: list[dict[str, Any]] = []
    maps: list[pd.DataFrame] = []
    for option in options:
        frame, row = _evaluate(
            option, ctx, od=od, params=params, edges=edges, apl_threshold=apl_threshold,
            acts_per_fte=acts_per_fte,
        )  # fmt: skip
        maps.append(frame)
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


def _evaluate(
    option: SitingOption,
    ctx: _Context,
    *,
    od: pd.DataFrame,
    params: AplParameters | None,
    edges: Sequence[float],
    apl_threshold: float,
    acts_per_fte: float,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One option: the per-commune frame and the summary row."""
    from accessmap.indicators import apl as apl_of
    from accessmap.indicators import band_of, nearest_site, territory_apl

    base = (
        ctx.today
        if option.supply is None
        else validate_supply(option.supply, name=f"{option.name}.supply", aggregate=True)
    )
    unknown = sorted(s for s in option.new_sites if str(s) not in ctx.dests)
    if unknown:
        raise ValidationError(
            "options.sites_without_times", field="od", option=option.name, ids=unknown
        )
    added = pd.Series({str(k): float(v) * acts_per_fte for k, v in option.new_sites.items()})
    final = base.add(added, fill_value=0.0) if len(added) else base
    open_sites = [str(s) for s in final.index[final > 0]]
    local = {**ctx.mapping, **{str(k): str(v) for k, v in option.site_communes.items()}}
    ids = set(ctx.dem["id"])
    base_gp = set(_commune_of(base.index[base > 0], demand_ids=ids, mapping=local).values())
    final_gp = set(_commune_of(open_sites, demand_ids=ids, mapping=local).values())
    dem = ctx.dem
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
            "had_gp": dem["id"].isin(ctx.today_gp).to_numpy(),
            "in_territory": ctx.in_scope,
        }
    )
    row = _summary_row(
        option, frame[ctx.in_scope], edges=edges,
        apl_territory=territory_apl(access, demand=dem[["id", "pop_std"]], ids=sorted(ctx.scope)),
    )  # fmt: skip
    row["communes_with_gp"] = len(final_gp & ctx.scope)
    row["communes_losing_last_gp"] = len((ctx.today_gp - final_gp) & ctx.scope)
    row["losing_last_gp_avoided"] = len(((ctx.today_gp - base_gp) & final_gp) & ctx.scope)
    return frame, row


def _summary_row(
    option: SitingOption, scoped: pd.DataFrame, *, edges: Sequence[float], apl_territory: float
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
                "options.site_communes_columns", field="site_communes", columns=missing
            )
        return dict(
            zip(
                site_communes["site_id"].astype(str),
                site_communes["commune_code"].astype(str),
                strict=True,
            )
        )
    return {str(k): str(v) for k, v in site_communes.items()}
