"""From tables to arrays: everything the outlook engines need, with sparse access operators.

The travel-time table is filtered to the pairs that can matter (``minutes`` below the APL horizon
or the largest "beyond T minutes" threshold, whichever is larger) and coded once as integer
positions (:func:`accessmap.contracts.validate_od`). The access operators (APL, "within T
minutes", "site in commune", practitioner x site) are ``scipy.sparse`` matrices built from those
pairs, so the cost of an outlook grows with the reachable commune-site pairs, not with
communes x sites.

Shapes: P practitioners, S sites (roster sites, then the scenario's new sites), C communes (the
demand table), Y = horizon + 1 years, Z zones (``territory``, ``buffer``, ``outside``), T
thresholds (:data:`accessmap.conventions.BEYOND_MINUTES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from accessmap.contracts import AplParameters, validate_demand, validate_od
from accessmap.conventions import BEYOND_MINUTES, within
from accessmap.indicators import apl_mean_weights, apl_weights, counted_activity
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.supply import Roster
from accessmap.workforce.ages import ages_basis, resolve_year
from accessmap.workforce.retirement import RetirementModel, check_horizon, stop_pmf
from accessmap.workforce.scenario import Scenario, check_scenario

__all__ = ["EPS", "ZONES", "Operator", "Prepared", "access_cutoff", "prepare"]

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.intp]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
#: A linear operator: a ``scipy.sparse`` CSR matrix, or a dense array (the dense reference).
Operator: TypeAlias = "sparse.csr_array | FloatArray"

#: Zones of sites and communes, in the order of every ``Z`` axis.
ZONES: tuple[str, ...] = ("territory", "buffer", "outside")
#: FTE at or below this counts as "nobody practises here".
EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything the engines need, as arrays (shapes in the module docstring).

    Operators named ``*_t`` are stored transposed (rows = what the product returns) so that
    ``values @ op`` is computed as ``op_t @ values.T`` with a CSR matrix on the left.
    """

    start_year: int
    horizon: int
    pids: npt.NDArray[np.object_]
    basis: list[str]
    pmf: FloatArray  # (P, H+1): stop in year index 1..H, then beyond the horizon
    unit_site_t: Operator  # (2S, 2P): [original; replacement] x [fte | acts], transposed
    unit_zone: FloatArray  # (P, Z) primary zone, one-hot
    prac_present: Operator  # (P, S) 0/1: practises at the site (fte > 0)
    rep_fraction: float
    rep_delay: int
    add_site: FloatArray  # (Y, 2S): scenario FTE | acts per site
    add_head: FloatArray  # (Y, Z)
    site_zone: FloatArray  # (S, Z)
    apl_t: Operator  # (C, S): APL = site acts @ apl_t.T
    reach: tuple[Operator, ...]  # T x (S, C) 0/1: minutes < threshold
    site_commune: Operator  # (S, C) 0/1
    presence_t: Operator  # ((T + 1) C, S) float32: [reach_1 | ... | reach_T | site in commune]
    slots: tuple[IntArray, IntArray, FloatArray, FloatArray]  # unit, column, weight, rep weight
    pop_zone: FloatArray  # (C, Z): population in the zone
    pop_zone_t: Operator  # (Z, C): population of the commune in its zone
    mean_zone_t: Operator  # (Z, C): standardised-population share in the zone
    count_zone_t: Operator  # (Z, C): 1 in the commune's zone
    site_zone_t: Operator  # (Z, S): 1 in the site's zone
    communes: npt.NDArray[np.object_]
    commune_zone: npt.NDArray[np.str_]
    had_practitioner: BoolArray  # (C,): a practitioner practises in the commune in the start year
    excluded: tuple[str, ...]
    ages_basis: str
    scenario: str
    profession: str = DEFAULT_PROFESSION
    thresholds: tuple[float, ...] = BEYOND_MINUTES

    @property
    def years(self) -> npt.NDArray[np.int64]:
        """The years of the outlook, start year first."""
        return np.arange(self.start_year, self.start_year + self.horizon + 1, dtype=np.int64)

    @property
    def n_sites(self) -> int:
        """Number of sites (roster and scenario)."""
        return int(self.site_zone.shape[0])

    @property
    def n_communes(self) -> int:
        """Number of demand communes."""
        return len(self.communes)


def access_cutoff(params: AplParameters, thresholds: tuple[float, ...] = BEYOND_MINUTES) -> float:
    """Minutes from which a pair counts for nothing in the outlook.

    Parameters
    ----------
    params
        APL parameters (their decay horizon: weight 0 from 20 minutes on).
    thresholds
        "Beyond T minutes" thresholds reported (default
        :data:`~accessmap.conventions.BEYOND_MINUTES`).

    Returns
    -------
    float
        ``max(params.horizon, max(thresholds))``: a pair with ``minutes >= cutoff`` has APL weight
        0 and is "within" no threshold (half-open bands), so dropping it changes no result.

    References
    ----------
    accessmap band convention (:mod:`accessmap.conventions`); DREES APL workbook, *Paramètres*.
    """
    return max(float(params.horizon), *(float(t) for t in thresholds))


def _csr(
    rows: IntArray, cols: IntArray, values: npt.ArrayLike, shape: tuple[int, int], dtype: type
) -> sparse.csr_array:
    data: npt.NDArray[Any] = np.broadcast_to(np.asarray(values, dtype=dtype), rows.shape)
    out = sparse.csr_array((data, (rows, cols)), shape=shape, dtype=dtype)
    out.sum_duplicates()
    out.eliminate_zeros()
    return out


def site_layout(
    roster: Roster, scenario: Scenario, dem: pd.DataFrame
) -> tuple[pd.Index, FloatArray, sparse.csr_array, npt.NDArray[np.str_]]:
    """Site ids (roster, then scenario sites), site zones, site x commune, commune zones.

    Parameters
    ----------
    roster
        The roster (its ``sites``).
    scenario
        The scenario (its new ``sites``).
    dem
        The validated demand table (``id``, ``in_territory``).

    Returns
    -------
    sites : pandas.Index
    site_zone : numpy.ndarray
        ``(S, Z)`` one-hot.
    site_commune : scipy.sparse.csr_array
        ``(S, C)`` 0/1: the site lies in the commune.
    commune_zone : numpy.ndarray
        Zone of each commune (``territory`` or ``buffer``).

    References
    ----------
    accessmap conventions (``docs/workforce.md``, "Zones").
    """
    communes = pd.Index(dem["id"])
    territory = set(dem.loc[dem["in_territory"], "id"])
    new = pd.DataFrame(
        {
            "site_id": [s.site_id for s in scenario.sites],
            "commune_code": [str(s.commune_code).zfill(5) for s in scenario.sites],
        },
        dtype=object,
    )
    site_frame = pd.concat(
        [roster.sites[["site_id", "commune_code"]].astype(str), new], ignore_index=True
    )
    sites = pd.Index(site_frame["site_id"])
    site_zone_name = np.where(
        site_frame["commune_code"].isin(territory),
        "territory",
        np.where(site_frame["commune_code"].isin(set(communes)), "buffer", "outside"),
    )
    site_zone = (site_zone_name[:, None] == np.array(ZONES)[None, :]).astype(float)
    commune_zone = np.where(dem["in_territory"], "territory", "buffer")
    ci = communes.get_indexer(pd.Index(site_frame["commune_code"]))
    rows = np.flatnonzero(ci >= 0).astype(np.intp)
    site_commune = _csr(rows, ci[rows].astype(np.intp), 1.0, (len(sites), len(communes)), float)
    return sites, site_zone, site_commune, commune_zone


def additions(
    scenario: Scenario,
    *,
    sites: pd.Index,
    site_zone: FloatArray,
    start_year: int,
    horizon: int,
    params: AplParameters,
) -> tuple[FloatArray, FloatArray]:
    """Scenario FTE | acts per year and site ``(Y, 2S)``, and headcount per year and zone.

    Parameters
    ----------
    scenario
        Installations, rotations and volunteer centres (checked by
        :func:`~accessmap.workforce.scenario.check_scenario`).
    sites
        Site ids (roster, then scenario).
    site_zone
        ``(S, Z)`` one-hot zones.
    start_year, horizon
        The outlook's years.
    params
        APL parameters (``new_gp_acts`` per FTE by default).

    Returns
    -------
    add_site : numpy.ndarray
        ``(Y, 2S)``: FTE, then acts, added at each site from each part's first year on.
    add_head : numpy.ndarray
        ``(Y, Z)``: headcount added per zone (volunteers add none).

    References
    ----------
    DREES APL methodology (new GPs count ``new_gp_acts`` per FTE); Médecins Solidaires.
    """
    n_sites = len(sites)
    add_site = np.zeros((horizon + 1, 2 * n_sites))
    add_head = np.zeros((horizon + 1, len(ZONES)))

    def add(site: str, year: int, fte: float, acts_per_fte: float | None, head: float) -> None:
        j = int(sites.get_indexer(pd.Index([str(site)]))[0])
        k = int(year) - start_year
        per_fte = params.new_gp_acts if acts_per_fte is None else float(acts_per_fte)
        add_site[k:, j] += fte
        add_site[k:, n_sites + j] += fte * per_fte
        add_head[k:] += head * site_zone[j]

    for inst in scenario.installations:
        add(inst.site_id, inst.year, float(inst.fte), inst.acts_per_fte, float(inst.headcount))
    for rot in scenario.rotations:
        for site, sh in rot.shares.items():
            add(site, rot.year, float(rot.fte) * sh, rot.acts_per_fte, float(rot.headcount) * sh)
    for vc in scenario.volunteer_centres:
        add(vc.site_id, vc.year, vc.fte, vc.acts_per_fte, 0.0)
    return add_site, add_head


def access_operators(
    od: pd.DataFrame,
    dem: pd.DataFrame,
    *,
    sites: pd.Index,
    params: AplParameters,
    thresholds: tuple[float, ...] = BEYOND_MINUTES,
) -> tuple[sparse.csr_array, tuple[sparse.csr_array, ...]]:
    """Sparse APL operator ``(C, S)`` and "within T minutes" operators ``T x (S, C)``.

    Only pairs with ``minutes < access_cutoff(params, thresholds)`` are kept; a missing pair is
    unreachable. ``APL[c] = sum_s acts[s] * w(c, s) / D[s]`` with ``D[s] = sum_c pop_std[c] *
    w(c, s)`` (DREES two steps), so the operator holds ``w(c, s) / D[s]``.

    Parameters
    ----------
    od
        The long travel-time table (communes to sites).
    dem
        The validated demand table (``id``, ``pop_std``).
    sites
        Site ids.
    params
        APL parameters (decay weights).
    thresholds
        "Within T minutes" thresholds (``t < T``).

    Returns
    -------
    apl_t : scipy.sparse.csr_array
        ``(C, S)``.
    reach : tuple of scipy.sparse.csr_array
        One ``(S, C)`` 0/1 matrix per threshold.

    Raises
    ------
    ValidationError
        Bad travel-time table (missing column, NaN or negative minutes, duplicate pair).

    References
    ----------
    Barlet M. et al., « L'Accessibilité potentielle localisée (APL) », DREES, Document de travail
    n° 124, 2012; Luo W., Qi Y. (2009), *Health & Place* 15(4).
    """
    communes = pd.Index(dem["id"])
    pairs = validate_od(od, origins=communes, dests=sites)
    near = within(pairs.minutes, access_cutoff(params, thresholds))
    origin, dest, minutes = pairs.origin[near], pairs.dest[near], pairs.minutes[near]
    n_c, n_s = len(communes), len(sites)
    weights = apl_weights(minutes, params=params)
    pop_std = dem["pop_std"].to_numpy(dtype=np.float64)
    denom = np.bincount(dest, weights=pop_std[origin] * weights, minlength=n_s)
    share = np.divide(weights, denom[dest], out=np.zeros_like(weights), where=denom[dest] > 0)
    apl_t = _csr(origin, dest, share, (n_c, n_s), float)
    reach = tuple(
        _csr(dest[inside], origin[inside], 1.0, (n_s, n_c), float)
        for inside in (within(minutes, float(t)) for t in thresholds)
    )
    return apl_t, reach


def _shares(roster: Roster, prac: pd.DataFrame, sites: pd.Index) -> sparse.csr_array:
    """Practitioner x site time shares ``(P, S)`` (assignments to unknown sites dropped)."""
    asg = roster.assignments
    pi = pd.Index(prac["practitioner_id"].astype(str)).get_indexer(
        pd.Index(asg["practitioner_id"].astype(str))
    )
    si = sites.get_indexer(pd.Index(asg["site_id"].astype(str)))
    ok = (pi >= 0) & (si >= 0)
    values = asg["share"].to_numpy(dtype=np.float64)[ok]
    rows, cols = pi[ok].astype(np.intp), si[ok].astype(np.intp)
    out = _csr(rows, cols, values, (len(prac), len(sites)), float)
    out.sort_indices()
    return out


def _primary_site(share: sparse.csr_array) -> IntArray:
    """Column of each row's largest share (the first on ties; 0 for a row with no site)."""
    coo = share.tocoo()
    order = np.lexsort((coo.col, -coo.data, coo.row))
    rows, first = np.unique(coo.row[order], return_index=True)
    out = np.zeros(share.shape[0], dtype=np.intp)
    out[rows] = coo.col[order][first]
    return out


def _units(
    share: sparse.csr_array,
    *,
    fte: FloatArray,
    acts: FloatArray,
    rep_fte: FloatArray,
    new_gp_acts: float,
) -> tuple[sparse.csr_array, tuple[IntArray, IntArray, FloatArray, FloatArray]]:
    """Build the unit x site operator ``(2S, 2P)`` (transposed) and the units' non-zero slots.

    Rows of the (untransposed) operator are the practitioners, then their replacements; columns
    are the sites' FTE, then their acts. A slot is a practitioner x column entry where the
    practitioner or their replacement weighs; slots are listed row by row, columns increasing.
    """
    n_prac, n_sites = share.shape
    coo = share.tocoo()
    row = np.concatenate([coo.row, coo.row]).astype(np.intp)
    col = np.concatenate([coo.col, coo.col + n_sites]).astype(np.intp)
    sh = np.concatenate([coo.data, coo.data])
    is_fte = np.arange(len(row)) < coo.nnz
    original = sh * np.where(is_fte, fte[row], acts[row])
    replacement = sh * np.where(is_fte, rep_fte[row], rep_fte[row] * new_gp_acts)
    order = np.lexsort((col, row))
    row, col, original, replacement = row[order], col[order], original[order], replacement[order]
    keep = (original != 0) | (replacement != 0)
    slots = (row[keep], col[keep], original[keep], replacement[keep])
    shape = (2 * n_sites, 2 * n_prac)
    unit_site_t = _csr(
        np.concatenate([col, col]),
        np.concatenate([row, row + n_prac]),
        np.concatenate([original, replacement]),
        shape,
        float,
    )
    return unit_site_t, slots


def _practitioners(
    roster: Roster, *, profession: str, model: RetirementModel, start_year: int, horizon: int
) -> tuple[pd.DataFrame, FloatArray, list[str], tuple[str, ...]]:
    """Select the profession's practitioners kept in the outlook: pmf, basis and exclusions."""
    every = roster.practitioners
    prac_all = every[every["profession"].astype(str) == profession].reset_index(drop=True)
    pmf, basis, keep = stop_pmf(prac_all, model=model, start_year=start_year, horizon=horizon)
    prac = prac_all[keep].reset_index(drop=True)
    kept_basis = [b for b, k in zip(basis, keep, strict=True) if k]
    excluded = tuple(prac_all.loc[~keep, "practitioner_id"].astype(str))
    return prac, pmf[keep], kept_basis, excluded


def prepare(
    roster: Roster,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    scenario: Scenario | None,
    model: RetirementModel,
    start_year: int | None,
    horizon: int,
    params: AplParameters,
    profession: str = DEFAULT_PROFESSION,
) -> Prepared:
    """Validate the inputs and turn them into the arrays and sparse operators of the engines.

    Parameters
    ----------
    roster, od, demand, scenario, model, start_year, horizon, params
        As in :func:`accessmap.workforce.outlook`.
    profession
        Practitioners of this ``profession`` (roster column) make the outlook; the others are
        ignored, so each profession's supply stays separate.

    Returns
    -------
    Prepared

    Raises
    ------
    ValidationError
        Bad roster years, scenario, demand or travel-time table, horizon < 1.

    References
    ----------
    Barlet M. et al., « L'Accessibilité potentielle localisée (APL) », DREES, Document de travail
    n° 124, 2012.
    """
    year0 = resolve_year(start_year)
    check_horizon(horizon)
    horizon = int(horizon)
    scenario = scenario or Scenario()
    site_ids = set(roster.sites["site_id"].astype(str))
    check_scenario(scenario, site_ids=site_ids, start_year=year0, horizon=horizon)
    prac, pmf, basis, excluded = _practitioners(
        roster, profession=profession, model=model, start_year=year0, horizon=horizon
    )
    dem = validate_demand(demand)
    sites, site_zone, site_commune, commune_zone = site_layout(roster, scenario, dem)
    share = _shares(roster, prac, sites)
    fte = prac["fte"].to_numpy(dtype=np.float64)
    rep = scenario.replacement
    rep_fte = fte if rep is None or rep.fte is None else np.full(len(prac), float(rep.fte))
    unit_site_t, slots = _units(
        share,
        fte=fte,
        acts=counted_activity(prac, params=params).to_numpy(dtype=np.float64),
        rep_fte=rep_fte,
        new_gp_acts=params.new_gp_acts,
    )
    add_site, add_head = additions(
        scenario,
        sites=sites,
        site_zone=site_zone,
        start_year=year0,
        horizon=horizon,
        params=params,
    )
    apl_t, reach = access_operators(od, dem, sites=sites, params=params)
    pop = dem["population"].to_numpy(dtype=np.float64)
    start_fte = share.T @ fte + add_site[0, : len(sites)]
    present = share.multiply(fte[:, None]).tocsr()
    return Prepared(
        start_year=year0,
        horizon=horizon,
        pids=prac["practitioner_id"].astype(str).to_numpy(dtype=object),
        basis=basis,
        pmf=pmf,
        unit_site_t=unit_site_t,
        unit_zone=site_zone[_primary_site(share)]
        if len(sites)
        else np.zeros((len(prac), len(ZONES))),
        prac_present=_csr(*_nonzero(present, EPS), 1.0, present.shape, float),
        rep_fraction=0.0 if rep is None else float(rep.fraction),
        rep_delay=1 if rep is None else int(rep.delay_years),
        add_site=add_site,
        add_head=add_head,
        site_zone=site_zone,
        apl_t=apl_t,
        reach=reach,
        site_commune=site_commune,
        presence_t=_presence(reach, site_commune),
        slots=slots,
        **_zone_operators(pop, commune_zone, site_zone, apl_weight=apl_mean_weights(dem)[1]),
        communes=dem["id"].to_numpy(dtype=object),
        commune_zone=commune_zone,
        had_practitioner=(site_commune.T @ start_fte) > EPS,
        excluded=excluded,
        ages_basis=ages_basis(roster),
        scenario=scenario.name,
        profession=profession,
    )


def _zone_operators(
    pop: FloatArray,
    commune_zone: npt.NDArray[np.str_],
    site_zone: FloatArray,
    *,
    apl_weight: FloatArray,
) -> dict[str, Any]:
    """Commune and site to zone sums: ``pop_zone`` (dense) and four ``(Z, .)`` CSR operators.

    Populations are counted in inhabitants; the zone's mean APL weighs communes by
    ``apl_weight`` (:func:`~accessmap.indicators.apl_mean_weights`, as every territory APL).

    Each commune and site lies in one zone, so these operators have one non-zero per column; a
    CSR product costs communes x columns in one thread (a BLAS product with three rows is slow
    when the cores are busy).
    """
    onehot = (commune_zone[:, None] == np.array(ZONES)[None, :]).astype(np.float64)
    pop_zone = pop[:, None] * onehot
    weight_zone = apl_weight[:, None] * onehot
    total = weight_zone.sum(axis=0)
    mean = np.divide(weight_zone, total, out=np.zeros_like(weight_zone), where=total > 0)
    return {
        "pop_zone": pop_zone,
        "pop_zone_t": sparse.csr_array(pop_zone.T),
        "mean_zone_t": sparse.csr_array(mean.T),
        "count_zone_t": sparse.csr_array(onehot.T),
        "site_zone_t": sparse.csr_array(site_zone.T),
    }


def _presence(
    reach: tuple[sparse.csr_array, ...], site_commune: sparse.csr_array
) -> sparse.csr_array:
    """``((T + 1) C, S)`` float32: the reach operators and site-in-commune, stacked, transposed."""
    blocks = [m.T for m in (*reach, site_commune)]
    return sparse.vstack(blocks, format="csr").astype(np.float32)


def _nonzero(matrix: sparse.csr_array, eps: float) -> tuple[IntArray, IntArray]:
    coo = matrix.tocoo()
    big = coo.data > eps
    return coo.row[big].astype(np.intp), coo.col[big].astype(np.intp)
