"""The two outlook engines: expected values, and Monte Carlo vectorised over runs.

Both work on a :class:`~accessmap.workforce.prepare.Prepared` (arrays and sparse operators) and
return :class:`Arrays` whose leading axis is the run (1 for the expected engine). Every product
with a commune x site operator goes through :func:`apply`, a CSR matrix times a dense block, so
its cost is (reachable pairs) x (runs x years), never communes x sites. :func:`densify` turns the
operators into dense arrays: the dense reference (the engine as it was before issue 15), kept
for the equality test and the benchmark.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
from scipy import sparse

from accessmap.workforce.prepare import EPS, ZONES, Operator, Prepared

__all__ = [
    "CHUNK_ELEMENTS",
    "MEAN_ONLY",
    "Arrays",
    "apply",
    "columns",
    "densify",
    "draw",
    "expected",
    "run_apl_year",
    "run_chunks",
    "run_summarised",
    "simulate",
    "simulate_apl",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

#: :class:`Arrays` fields that :func:`run_chunks` returns as their mean over runs (leading axis 1).
MEAN_ONLY: tuple[str, ...] = ("beyond_commune", "without_gp", "lose_last")

#: Elements of the largest intermediate array of one chunk of Monte Carlo runs: bounds memory and
#: keeps a chunk's arrays near the CPU caches (1 M was faster than 0.25 M and 4 M on the
#: benchmark's workloads, ``benchmarks/bench_workforce.py``).
CHUNK_ELEMENTS = 1_000_000


@dataclass(frozen=True, slots=True)
class Arrays:
    """Per-run (or expected) results: leading axis = runs (1 for the expected engine)."""

    headcount: FloatArray  # (R, Y, Z)
    headcount_today: FloatArray  # (R, Y, Z)
    fte: FloatArray  # (R, Y, Z)
    departures: FloatArray  # (R, Y, Z)
    share_gone: FloatArray  # (R, Y, Z)
    apl: FloatArray  # (R, Y, C)
    apl_mean: FloatArray  # (R, Y, Z)
    beyond: FloatArray  # (R, Y, T, Z): population beyond each threshold
    beyond_commune: npt.NDArray[np.float64] | BoolArray  # (R, Y, T, C): none within threshold
    without_gp: npt.NDArray[np.float64] | BoolArray  # (R, Y, C) probability or 0/1
    without_zone: FloatArray  # (R, Y, Z): communes with a practitioner today and none that year
    lose_last: npt.NDArray[np.float64] | BoolArray  # (R, Y, C)


# --- operators -----------------------------------------------------------------------------------


def apply(values: npt.NDArray[Any], op_t: Operator) -> npt.NDArray[Any]:
    """``values @ op`` for an operator stored transposed (``op_t = op.T``), sparse or dense.

    Parameters
    ----------
    values
        ``(..., S)`` dense block (runs x years x sites...).
    op_t
        ``(C, S)``: a CSR matrix (cost: non-zeros x rows of ``values``) or a dense array.

    Returns
    -------
    numpy.ndarray
        ``(..., C)``.

    References
    ----------
    SciPy sparse CSR matrix-dense products (``scipy.sparse.csr_array``).
    """
    flat = values.reshape(math.prod(values.shape[:-1]), values.shape[-1])
    out = flat @ op_t.T if isinstance(op_t, np.ndarray) else (op_t @ flat.T).T
    return np.ascontiguousarray(out).reshape(*values.shape[:-1], op_t.shape[0])


def columns(op_t: Operator, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``op_t @ values`` for a block of columns (one column per run and year), sparse or dense.

    Parameters
    ----------
    op_t
        ``(C, S)`` operator: a CSR matrix (cost: non-zeros x columns) or a dense array.
    values
        ``(S, N)`` C-contiguous block.

    Returns
    -------
    numpy.ndarray
        ``(C, N)``.

    References
    ----------
    SciPy sparse CSR matrix-dense products (``scipy.sparse.csr_array``).
    """
    return np.asarray(op_t @ values)


def _transpose(op: Operator) -> Operator:
    return op.T if isinstance(op, np.ndarray) else op.T.tocsr()


def _incidence(left: Operator, right: Operator) -> Operator:
    """0/1 operator ``(left @ right) > 0`` (e.g. practitioner x commune "some site of theirs")."""
    product = left @ right
    if isinstance(product, np.ndarray):
        return (product > 0).astype(np.float64)
    out = sparse.csr_array(product)
    out.data = (out.data > 0).astype(np.float64)
    out.eliminate_zeros()
    return out


def densify(prep: Prepared) -> Prepared:
    """Return the same preparation with dense operators: the dense reference engine.

    Parameters
    ----------
    prep
        A preparation with sparse operators.

    Returns
    -------
    Prepared
        Every operator as a dense array (communes x sites): what the engine multiplied before
        sparse operators; results equal the sparse ones up to rounding.

    References
    ----------
    accessmap issue 15 ("Workforce on sparse operators").
    """

    def dense(op: Operator) -> FloatArray:
        return op if isinstance(op, np.ndarray) else np.asarray(op.toarray())

    return dataclasses.replace(
        prep,
        unit_site_t=dense(prep.unit_site_t),
        prac_present=dense(prep.prac_present),
        apl_t=dense(prep.apl_t),
        reach=tuple(dense(r) for r in prep.reach),
        site_commune=dense(prep.site_commune),
        presence_t=dense(prep.presence_t),
    )


# --- Monte Carlo ---------------------------------------------------------------------------------


def _by_zone(op_t: Operator, values: npt.NDArray[Any]) -> FloatArray:
    """Zone sums ``op_t @ values`` of ``(..., C, N)`` column blocks (``op_t``: ``(Z, C)``)."""
    right = values.astype(np.float64, copy=False)
    if right.ndim == 2:
        return columns(op_t, right)
    return np.stack([columns(op_t, block) for block in right])


def _by_year(
    year: IntArray,
    cols: npt.NDArray[np.intp],
    weights: FloatArray,
    mask: BoolArray | None,
    *,
    n_bins: int,
    width: int,
) -> FloatArray:
    """Scatter-add ``weights`` into (runs, year bin, column): one bincount for all runs."""
    n_runs = year.shape[0]
    flat = (np.arange(n_runs)[:, None] * n_bins + year) * width + cols[None, :]
    w = np.broadcast_to(weights, flat.shape)
    if mask is not None:
        flat, w = flat[mask], w[mask]
    counts = np.bincount(flat.ravel(), weights=w.ravel(), minlength=n_runs * n_bins * width)
    return counts.astype(np.float64, copy=False).reshape(n_runs, n_bins, width)


def _site_supply(
    prep: Prepared, stop: IntArray, arrive: IntArray, on_time: BoolArray
) -> FloatArray:
    """FTE | acts per site, run and year ``(2S, R x Y)`` from stop and arrival events.

    One ``bincount`` scatters every slot's weight at its stop year and, when replaced in time, at
    the replacement's arrival year, into (run, site column, event bin); cumulative sums over the
    bins turn the events into what is practised each year: the departing practitioner in every
    year before their stop year, the replacement from its arrival year on (sums of the same terms
    as a direct count, so an empty site is exactly 0). Sites come first (rows) in the result so
    that the sparse operators multiply it in place.
    """
    n_runs = stop.shape[0]
    n_years = prep.horizon + 1
    n_bins, width = n_years + 1, 2 * prep.n_sites
    slot_unit, slot_col, slot_w, slot_rep_w = prep.slots
    base = (np.arange(n_runs)[:, None] * width + slot_col[None, :]) * (2 * n_bins)
    on = on_time[:, slot_unit]
    index = np.concatenate(
        [(base + stop[:, slot_unit]).ravel(), (base + n_bins + arrive[:, slot_unit])[on]]
    )
    weights = np.concatenate(
        [np.broadcast_to(slot_w, base.shape).ravel(), np.broadcast_to(slot_rep_w, base.shape)[on]]
    )
    events = np.bincount(index, weights=weights, minlength=n_runs * width * 2 * n_bins)
    events = events.reshape(n_runs, width, 2, n_bins)
    # Practising in year y: stopped in a later bin (b > y), or replaced in bin b <= y.
    still = np.cumsum(events[..., 0, ::-1], axis=-1)[..., ::-1][..., 1:]
    arrived = np.cumsum(events[..., 1, :], axis=-1)[..., :n_years]
    out = np.empty((width, n_runs, n_years))
    np.add((still + arrived).transpose(1, 0, 2), prep.add_site.T[:, None], out=out)
    return out.reshape(width, n_runs * n_years)


def _events(
    prep: Prepared, stop: IntArray, replaced: BoolArray
) -> tuple[IntArray, BoolArray, FloatArray]:
    """Return the arrival years, the replacements in time and :func:`_site_supply` of the draws."""
    arrive = stop + prep.rep_delay
    on_time = replaced & (arrive <= prep.horizon)
    return arrive, on_time, _site_supply(prep, stop, arrive, on_time)


def _chunk(prep: Prepared, width: int) -> int:
    """Return the runs per chunk: :data:`CHUNK_ELEMENTS` over ``years x width`` (at least 1)."""
    return max(1, CHUNK_ELEMENTS // ((prep.horizon + 1) * width))


def _runs_first(values: npt.NDArray[Any], n_runs: int) -> npt.NDArray[Any]:
    """View ``(K..., R x Y)`` column blocks as ``(R, Y, K...)`` (no copy)."""
    shaped = values.reshape(*values.shape[:-1], n_runs, -1)
    lead = values.ndim - 1
    return shaped.transpose(lead, lead + 1, *range(lead))


def simulate(prep: Prepared, stop: IntArray, replaced: BoolArray) -> Arrays:
    """Vectorised engine: ``stop`` (R, P) stop-year indices (1..H+1), ``replaced`` (R, P) bool.

    Works on events rather than on a runs x years x practitioners tensor (see
    :func:`_site_supply`): FTE and acts per site, run and year; APL, coverage and zone totals are
    then sparse products over all runs and years at once, one column per (run, year).

    Parameters
    ----------
    prep
        The preparation.
    stop
        Stop-year index of every practitioner in every run (``H + 1``: beyond the horizon).
    replaced
        Whether each departure is replaced (drawn with the scenario's fraction).

    Returns
    -------
    Arrays
        One row per run (commune arrays are views on the column blocks).

    References
    ----------
    Metropolis N., Ulam S., « The Monte Carlo method », JASA 44 (1949); Barlet M. et al., DREES
    Document de travail n° 124, 2012 (APL).
    """
    return _simulate(prep, stop, replaced)[0]


def _simulate(prep: Prepared, stop: IntArray, replaced: BoolArray) -> tuple[Arrays, FloatArray]:
    """:func:`simulate`, with the sites' acts of every run and year, ``(S, R x Y)``."""
    n_runs, n_years, n_sites = stop.shape[0], prep.horizon + 1, prep.n_sites
    n_bins, n_zones, n_thr = n_years + 1, len(ZONES), len(prep.thresholds)
    n_communes = prep.n_communes
    arrive, on_time, supply = _events(prep, stop, replaced)  # supply: (2S, N)
    site_fte, site_acts = supply[:n_sites], supply[n_sites:]
    apl = columns(prep.apl_t, site_acts)  # (C, N)
    # Sites with a practitioner within each threshold | in the commune, per commune and column.
    hits = columns(prep.presence_t, (site_fte > EPS).astype(np.float32))  # ((T + 1) C, N)
    uncovered = hits[: n_thr * n_communes] == 0
    beyond = _by_zone(prep.pop_zone_t, uncovered.reshape(n_thr, n_communes, -1))  # (T, Z, N)
    without = (hits[n_thr * n_communes :] == 0) & prep.had_practitioner[:, None]  # (C, N)
    steps = without.reshape(n_communes, n_runs, n_years)
    lose = np.zeros_like(steps)
    lose[:, :, 1:] = steps[:, :, 1:] & ~steps[:, :, :-1]
    ones = np.ones(len(prep.pids))
    zone_idx = prep.unit_zone.argmax(axis=1)
    dz = _by_year(stop, zone_idx, ones, None, n_bins=n_bins, width=n_zones)
    az = _by_year(arrive, zone_idx, ones, on_time, n_bins=n_bins, width=n_zones)
    today = prep.unit_zone.sum(axis=0)
    gone = np.cumsum(dz, axis=1)[:, :n_years]
    practising = today - gone
    arrays = Arrays(
        headcount=practising + np.cumsum(az, axis=1)[:, :n_years] + prep.add_head,
        headcount_today=practising,
        fte=_runs_first(_by_zone(prep.site_zone_t, site_fte), n_runs),
        departures=dz[:, :n_years],
        share_gone=np.divide(gone, today, out=np.zeros_like(gone), where=today > 0),
        apl=_runs_first(apl, n_runs),
        apl_mean=_runs_first(_by_zone(prep.mean_zone_t, apl), n_runs),
        beyond=_runs_first(beyond, n_runs),
        beyond_commune=_runs_first(uncovered.reshape(n_thr, n_communes, -1), n_runs),
        without_gp=_runs_first(without, n_runs),
        without_zone=_runs_first(_by_zone(prep.count_zone_t, without), n_runs),
        lose_last=_runs_first(lose.reshape(n_communes, -1), n_runs),
    )
    return arrays, site_acts


def simulate_apl(
    prep: Prepared, stop: IntArray, replaced: BoolArray, *, year_index: int
) -> FloatArray:
    """APL of every commune in one year of every run, ``(R, C)``: :func:`simulate`'s ``apl`` alone.

    Only the sites' acts of that year are multiplied by the APL operator; coverage, zone totals
    and the other years are not computed (what the robust siting model's draws need).

    Parameters
    ----------
    prep
        The preparation.
    stop, replaced
        As in :func:`simulate`.
    year_index
        Index of the year in ``prep.years`` (0: the start year).

    Returns
    -------
    numpy.ndarray
        ``(R, C)``: equal to ``simulate(prep, stop, replaced).apl[:, year_index, :]``.

    References
    ----------
    Barlet M. et al., DREES Document de travail n° 124, 2012 (APL).
    """
    _, _, supply = _events(prep, stop, replaced)  # (2S, R x Y), run-major columns
    acts = np.ascontiguousarray(supply[prep.n_sites :, year_index :: prep.horizon + 1])  # (S, R)
    return np.ascontiguousarray(columns(prep.apl_t, acts).T)


def draw(prep: Prepared, rng: np.random.Generator, runs: int) -> tuple[IntArray, BoolArray]:
    """Stop-year indices and replacement draws for ``runs`` x practitioners, all at once.

    Parameters
    ----------
    prep
        The preparation (its ``pmf`` and replacement fraction).
    rng
        The random generator (consumed: two uniform arrays runs x practitioners).
    runs
        Number of runs.

    Returns
    -------
    stop : numpy.ndarray
        ``(R, P)`` stop-year indices, 1..H+1 (inverse-CDF sampling of each row of ``pmf``).
    replaced : numpy.ndarray
        ``(R, P)`` bool.

    References
    ----------
    Devroye L., *Non-Uniform Random Variate Generation*, Springer, 1986 (inversion method).
    """
    n_prac = len(prep.pids)
    u = rng.random((runs, n_prac))
    r = rng.random((runs, n_prac))
    cdf = np.cumsum(prep.pmf, axis=1)
    cdf[:, -1] = 1.0
    stop = np.empty((runs, n_prac), dtype=np.int64)
    step = max(1, CHUNK_ELEMENTS // max(1, n_prac * cdf.shape[1]))
    for a in range(0, runs, step):
        stop[a : a + step] = (u[a : a + step, :, None] >= cdf[None]).sum(axis=2) + 1
    return stop, r < prep.rep_fraction


def run_chunks(
    prep: Prepared,
    stop: IntArray,
    replaced: BoolArray,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Arrays:
    """Run :func:`simulate` over chunks of runs (bounded memory), filling preallocated arrays.

    Parameters
    ----------
    prep
        The preparation.
    stop, replaced
        Draws from :func:`draw`.
    progress
        Called as ``progress(runs_done, runs)`` after each chunk.

    Returns
    -------
    Arrays
        One row per run, except the fields of :data:`MEAN_ONLY` (0/1 per commune, run and year,
        only ever averaged): one row holding their mean over runs, so that memory does not grow
        with runs x years x communes for them. Chunking does not change the results.

    References
    ----------
    NumPy documentation, "Broadcasting" and memory layout (chunked vectorisation).
    """
    return _run_chunks(prep, stop, replaced, keep_apl=True, progress=progress)[0]


def run_summarised(
    prep: Prepared,
    stop: IntArray,
    replaced: BoolArray,
    *,
    quantiles: Sequence[float],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Arrays, FloatArray]:
    """:func:`run_chunks` for an outlook: every commune's APL summarised, never kept per run.

    The runs x years x communes APL is the largest array of a Monte Carlo outlook (1,000 runs
    and 16 years: 122 MiB per thousand communes). Its summary needs every run of a commune at once
    (quantiles are order statistics), so the chunks keep the sites' acts instead (``(S, R x Y)``:
    sites are fewer than communes), and the APL is then made and summarised block of communes by
    block of communes: the same products, row by row, as :func:`simulate`'s, so the same numbers
    as ``run_chunks(...).apl``'s mean and quantiles over runs.

    Parameters
    ----------
    prep
        The preparation.
    stop, replaced
        Draws from :func:`draw`.
    quantiles
        Quantiles of every commune's APL over the runs, each year (e.g. ``(0.1, 0.5, 0.9)``).
    progress
        Called as ``progress(runs_done, runs)`` after each chunk.

    Returns
    -------
    tuple
        :class:`Arrays` as :func:`run_chunks` returns them, except ``apl``: its mean over runs
        (leading axis 1, like the fields of :data:`MEAN_ONLY`); and the quantiles,
        ``(Q, Y, C)``.

    References
    ----------
    Hyndman R. J., Fan Y., "Sample quantiles in statistical packages", The American
    Statistician 50 (1996) 361-365 (NumPy's default quantile, their definition 7).
    """
    arrays, acts = _run_chunks(prep, stop, replaced, keep_apl=False, progress=progress)
    n_runs, n_communes = stop.shape[0], prep.n_communes
    shape = (prep.horizon + 1, n_communes)
    mean, q = np.empty(shape), np.empty((len(quantiles), *shape))
    step = max(1, CHUNK_ELEMENTS // max(1, acts.shape[1]))
    for a in range(0, n_communes, step):
        rows = slice(a, a + step)
        # (R, Y, b) laid out as simulate's APL (communes outermost): the same reductions
        block = _runs_first(columns(prep.apl_t[rows], acts), n_runs)
        mean[:, rows] = block.mean(axis=0)
        q[:, :, rows] = np.quantile(block, list(quantiles), axis=0)
    return dataclasses.replace(arrays, apl=mean[None]), q


def _run_chunks(
    prep: Prepared,
    stop: IntArray,
    replaced: BoolArray,
    *,
    keep_apl: bool,
    progress: Callable[[int, int], None] | None,
) -> tuple[Arrays, FloatArray]:
    """Run the chunks of :func:`run_chunks`; without ``keep_apl``, keep the sites' acts instead.

    Without ``keep_apl`` the returned ``apl`` is empty (``(0, Y, C)``) and the second item holds
    every run's and year's acts per site, ``(S, R x Y)`` (run-major columns); with it, the second
    item is empty (``(S, 0)``).
    """
    runs, n_cols = stop.shape[0], prep.horizon + 1
    step = _chunk(prep, max(2 * len(prep.pids), 2 * prep.n_sites, 2 * prep.n_communes, 1))
    out: dict[str, npt.NDArray[Any]] = {}
    acts = np.empty((prep.n_sites, 0 if keep_apl else runs * n_cols))
    for a in range(0, runs, step):
        chunk, site_acts = _simulate(prep, stop[a : a + step], replaced[a : a + step])
        if not keep_apl:
            acts[:, a * n_cols : (a + step) * n_cols] = site_acts
        for f in dataclasses.fields(Arrays):
            part = getattr(chunk, f.name)
            if f.name in MEAN_ONLY:
                total = part.sum(axis=0, dtype=np.float64)
                out[f.name] = total if a == 0 else out[f.name] + total
                continue
            if f.name == "apl" and not keep_apl:
                out[f.name] = part[:0]
                continue
            if a == 0:  # same layout as the chunk (commune-major): plain block copies
                out[f.name] = np.empty_like(part, shape=(runs, *part.shape[1:]))
            out[f.name][a : a + step] = part
        if progress is not None:
            progress(min(a + step, runs), runs)
    for name in MEAN_ONLY:
        out[name] = (out[name] / runs)[None]
    return Arrays(**out), acts


def run_apl_year(
    prep: Prepared,
    stop: IntArray,
    replaced: BoolArray,
    *,
    year_index: int,
    progress: Callable[[int, int], None] | None = None,
) -> FloatArray:
    """Run :func:`simulate_apl` over chunks of runs: the APL of one year, ``(R, C)``.

    Memory holds that year's runs x communes, not every field of every year (:func:`run_chunks`).

    Parameters
    ----------
    prep
        The preparation.
    stop, replaced
        Draws from :func:`draw`.
    year_index
        Index of the year in ``prep.years``.
    progress
        Called as ``progress(runs_done, runs)`` after each chunk.

    Returns
    -------
    numpy.ndarray
        ``(R, C)``: equal to ``run_chunks(prep, stop, replaced).apl[:, year_index, :]``.

    References
    ----------
    NumPy documentation, "Broadcasting" and memory layout (chunked vectorisation).
    """
    runs = stop.shape[0]
    step = _chunk(prep, max(2 * prep.n_sites, prep.n_communes, 1))
    out = np.empty((runs, prep.n_communes))
    for a in range(0, runs, step):
        out[a : a + step] = simulate_apl(
            prep, stop[a : a + step], replaced[a : a + step], year_index=year_index
        )
        if progress is not None:
            progress(min(a + step, runs), runs)
    return out


# --- expected values -----------------------------------------------------------------------------


def _none_present(absent: FloatArray, incidence: Operator) -> FloatArray:
    """Probability that no unit is present: product of ``absent`` (Y, P) over ``incidence``."""
    inc_t = _transpose(incidence)
    zero = absent <= 0
    log_sum = apply(np.log(np.where(zero, 1.0, absent)), inc_t)
    zeros = apply(zero.astype(np.float64), inc_t)
    return np.where(zeros > 0, 0.0, np.exp(log_sum))


def _stopped(prep: Prepared) -> FloatArray:
    """Return ``stopped[:, k]`` = P(stop index <= k), k = 0..H (no longer practising)."""
    zero = np.zeros((len(prep.pids), 1))
    cumulative = np.cumsum(prep.pmf, axis=1)[:, : prep.horizon]
    return np.concatenate([zero, cumulative], axis=1).clip(0.0, 1.0)


def expected(prep: Prepared) -> Arrays:
    """Deterministic engine: expected values, exact under independence of practitioners.

    Parameters
    ----------
    prep
        The preparation.

    Returns
    -------
    Arrays
        One row (the expectation); ``without_gp``, ``lose_last`` and ``beyond_commune`` are
        probabilities (product of independent absences over the practitioners concerned).

    References
    ----------
    Feller W., *An Introduction to Probability Theory and Its Applications*, vol. 1 (independent
    events); Barlet M. et al., DREES Document de travail n° 124, 2012 (APL, linear in supply).
    """
    horizon = prep.horizon
    n_years, n_sites = horizon + 1, prep.n_sites
    f, d = prep.rep_fraction, prep.rep_delay
    stopped = _stopped(prep)

    def shifted(lag: int) -> FloatArray:
        """P(stop index <= k - lag) per year (0 when k - lag < 1)."""
        idx = np.arange(n_years) - lag
        return np.where(idx >= 0, stopped[:, np.clip(idx, 0, horizon)], 0.0)

    p_active = 1.0 - stopped  # (P, Y)
    p_rep = f * shifted(d)
    supply = apply(np.concatenate([p_active, p_rep], axis=0).T, prep.unit_site_t) + prep.add_site
    site_fte, site_acts = supply[:, :n_sites], supply[:, n_sites:]
    apl = apply(site_acts, prep.apl_t)

    absent = (stopped - p_rep).T  # (Y, P): neither the practitioner nor a replacement practises
    absent_both = (shifted(1) - f * shifted(max(1, d))).T  # min(k-1, k-d) = k - max(1, d)
    absent_both[0] = 0.0
    add_present = (prep.add_site[:, :n_sites] > EPS).astype(np.float64)  # (Y, S)
    beyond_commune = np.stack(
        [
            _none_present(absent, _incidence(prep.prac_present, reach))
            * (apply(add_present, _transpose(reach)) == 0)
            for reach in prep.reach
        ],
        axis=1,
    )  # (Y, T, C)
    unit_commune = _incidence(prep.prac_present, prep.site_commune)
    no_add = apply(add_present, _transpose(prep.site_commune)) == 0  # (Y, C)
    without = _none_present(absent, unit_commune) * no_add * prep.had_practitioner
    both = _none_present(absent_both, unit_commune) * no_add * prep.had_practitioner
    lose = np.clip(without - both, 0.0, 1.0)
    lose[0] = 0.0
    today = prep.unit_zone.sum(axis=0)
    gone = stopped.T @ prep.unit_zone
    in_year = np.where(np.arange(n_years)[None, :] >= 1, np.diff(stopped, axis=1, prepend=0.0), 0.0)
    return Arrays(
        headcount=((p_active + p_rep).T @ prep.unit_zone + prep.add_head)[None],
        headcount_today=(p_active.T @ prep.unit_zone)[None],
        fte=apply(site_fte, prep.site_zone_t)[None],
        departures=(in_year.T @ prep.unit_zone)[None],
        share_gone=np.divide(gone, today, out=np.zeros_like(gone), where=today > 0)[None],
        apl=apl[None],
        apl_mean=apply(apl, prep.mean_zone_t)[None],
        beyond=apply(beyond_commune, prep.pop_zone_t)[None],
        beyond_commune=beyond_commune[None],
        without_gp=without[None],
        without_zone=apply(without, prep.count_zone_t)[None],
        lose_last=lose[None],
    )
