"""The workforce outlook: the :class:`Outlook` result, its tables, and the public entry points.

:func:`outlook` projects a roster year by year with the expected or the Monte Carlo engine;
:func:`simulate_run` is one run (one draw, or a what-if with given stop years). Conventions are in
the package docstring and ``docs/workforce.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.contracts import AplParameters
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.supply import Roster
from accessmap.workforce.ages import ILLUSTRATIVE
from accessmap.workforce.engine import Arrays, draw, expected, run_summarised, simulate
from accessmap.workforce.prepare import ZONES, Prepared, prepare
from accessmap.workforce.retirement import RetirementModel, retirement_frame
from accessmap.workforce.scenario import Scenario

__all__ = ["QUANTILES", "Engine", "Outlook", "outlook", "simulate_run"]

FloatArray: TypeAlias = npt.NDArray[np.float64]
Engine = Literal["expected", "monte_carlo"]

#: Quantiles reported by the Monte Carlo engine (columns ``q10``, ``q50``, ``q90``).
QUANTILES: tuple[float, float, float] = (0.1, 0.5, 0.9)

_TOLERANCE = 1e-12


@dataclass(frozen=True, slots=True)
class Outlook:
    """Year-by-year workforce outlook of one profession (long-format tables).

    Every table has a ``year`` column and an ``ages_basis`` column (``"illustrative ages"`` when the
    roster's ages were generated). ``value`` is the expected value (mean over runs under Monte
    Carlo); ``q10``/``q50``/``q90`` are the Monte Carlo quantiles (NaN for the expected engine).

    Attributes
    ----------
    workforce
        ``year, zone, measure, value, q10, q50, q90, ages_basis``; zones ``territory``, ``buffer``
        (and ``outside`` for sites outside the demand communes); measures ``headcount``
        (practitioners practising, replacements and installations included, each in the zone of
        their main site), ``fte``, ``headcount_today`` (today's practitioners still practising),
        ``departures`` (today's practitioners stopping that year), ``share_gone`` (share of today's
        practitioners gone by that year).
    access
        ``year, zone, measure, value, q10, q50, q90, ages_basis``; measures ``apl_mean``
        (mean APL weighted by standardised population, as every territory APL:
        :func:`~accessmap.indicators.apl_mean_weights`), ``pop_beyond_20``, ``pop_beyond_30``
        (population with no practitioner practising within 20 / 30 minutes,
        :data:`~accessmap.conventions.BEYOND_MINUTES`), ``communes_without_gp`` (communes with a
        practitioner today and none that year).
    apl
        ``year, commune_code, zone, apl, q10, q50, q90, ages_basis``.
    losses
        ``year, commune_code, zone, p_without_gp, p_lose_last_gp, ages_basis`` for communes with a
        practitioner today: probability of having none that year, and of losing the last one that
        year.
    retirement
        ``practitioner_id, year, p_stopped, p_stop_in_year, basis, ages_basis``.
    engine
        ``"expected"``, ``"monte_carlo"`` or ``"run"`` (:func:`simulate_run`).
    runs
        Number of Monte Carlo runs (1 for a single run, 0 for the expected engine).
    seed
        Seed of the random generator (``None`` for the expected engine).
    start_year
        Today: every roster practitioner practises in it.
    years
        The years of the tables.
    scenario
        Name of the workforce outlook scenario.
    illustrative_ages
        True when the roster's ages were generated: never present the outputs as facts.
    excluded
        Practitioners left out (``unknown_age="exclude"``).
    coverage
        ``year, commune_code, zone, minutes, p_beyond, ages_basis``: probability that no
        practitioner practises within ``minutes`` (``t < minutes``) of the commune that year
        (0/1 for a single run), for every threshold of
        :data:`~accessmap.conventions.BEYOND_MINUTES`.
    profession
        The roster's ``profession`` this outlook is about (by default
        :data:`~accessmap.professions.DEFAULT_PROFESSION`).
    """

    workforce: pd.DataFrame
    access: pd.DataFrame
    apl: pd.DataFrame
    losses: pd.DataFrame
    retirement: pd.DataFrame
    engine: str
    runs: int
    seed: int | None
    start_year: int
    years: tuple[int, ...]
    scenario: str
    illustrative_ages: bool
    excluded: tuple[str, ...] = ()
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)
    profession: str = DEFAULT_PROFESSION

    @property
    def caveat(self) -> Message | None:
        """The caveat to print with every output (``None`` when the ages come from the roster).

        A :class:`~accessmap.messages.Message` whose ``str()`` is the French sentence.
        """
        if not self.illustrative_ages:
            return None
        if self.profession == DEFAULT_PROFESSION:
            return Message("workforce.illustrative_ages")
        return Message("workforce.illustrative_ages_profession", profession=self.profession)

    def communes_losing_last_gp(self, *, min_probability: float = 0.5) -> pd.DataFrame:
        """Communes losing their last GP, with the year and the probability.

        Parameters
        ----------
        min_probability
            Keep (commune, year) rows whose probability of losing the last GP that year is at
            least this.

        Returns
        -------
        pandas.DataFrame
            Rows of :attr:`losses`, sorted by year and commune.

        References
        ----------
        Montagne limousine access-to-care study (2008-2011): "at least six bourgs would lose their
        doctor".
        """
        rows = self.losses[self.losses["p_lose_last_gp"] >= min_probability - _TOLERANCE]
        return rows.sort_values(["year", "commune_code"]).reset_index(drop=True)

    def communes_at_risk(self, *, min_probability: float = 0.5) -> pd.DataFrame:
        """Communes with a GP today whose probability of having none reaches a threshold.

        Parameters
        ----------
        min_probability
            Threshold on ``p_without_gp``.

        Returns
        -------
        pandas.DataFrame
            ``commune_code, zone, year`` (first year the probability of having no GP reaches the
            threshold), ``p_without_gp`` (that year), ``p_without_gp_end`` (last year of the
            horizon), sorted by year.

        References
        ----------
        Montagne limousine access-to-care study (2008-2011): "at least six bourgs would lose their
        doctor".
        """
        losses = self.losses
        hit = losses[losses["p_without_gp"] >= min_probability - _TOLERANCE]
        first = hit.sort_values("year").drop_duplicates("commune_code")
        end = losses[losses["year"] == max(self.years)].set_index("commune_code")["p_without_gp"]
        first = first.assign(p_without_gp_end=first["commune_code"].map(end).to_numpy())
        columns = ["commune_code", "zone", "year", "p_without_gp", "p_without_gp_end"]
        return first[columns].sort_values(["year", "commune_code"]).reset_index(drop=True)


# --- tables --------------------------------------------------------------------------------------


#: Values per block of :func:`_summary`'s quantiles (8 MiB of float64 at a time).
_QUANTILE_BLOCK = 1 << 20


def _summary(values: npt.NDArray[Any], *, monte_carlo: bool) -> tuple[FloatArray, FloatArray]:
    mean = values.mean(axis=0)
    if not monte_carlo:
        return mean, np.full((len(QUANTILES), *mean.shape), np.nan)
    if values.ndim < 2:
        return mean, np.quantile(np.asarray(values, dtype=np.float64), QUANTILES, axis=0)
    # block by block of the last axis (no copy of the whole array, whatever its layout):
    # np.quantile copies its input as float64 and partitions it, and every column's quantiles
    # are its own order statistics (the same numbers, far less memory)
    q = np.empty((len(QUANTILES), *values.shape[1:]))
    step = max(1, _QUANTILE_BLOCK // max(1, math.prod(values.shape[:-1])))
    for start in range(0, values.shape[-1], step):
        block = np.asarray(values[..., start : start + step], dtype=np.float64)
        q[..., start : start + step] = np.quantile(block, QUANTILES, axis=0)
    return mean, q


def _zone_tables(prep: Prepared, arr: Arrays, *, monte_carlo: bool) -> tuple[pd.DataFrame, ...]:
    """Build the ``workforce`` and ``access`` tables (one row per year, zone and measure)."""
    years = prep.years
    zones = np.array(ZONES)
    used = (prep.site_zone.sum(axis=0) > 0) | (prep.pop_zone.sum(axis=0) > 0)
    used[:2] = True  # territory and buffer always reported
    n_z = int(used.sum())

    def zone_rows(measure: str, values: FloatArray) -> pd.DataFrame:
        mean, q = _summary(values[..., used], monte_carlo=monte_carlo)
        return pd.DataFrame(
            {
                "year": np.repeat(years, n_z),
                "zone": np.tile(zones[used], len(years)),
                "measure": measure,
                "value": mean.ravel(),
                "q10": q[0].ravel(),
                "q50": q[1].ravel(),
                "q90": q[2].ravel(),
            }
        )

    workforce = pd.concat(
        [
            zone_rows(name, getattr(arr, name))
            for name in ("headcount", "fte", "headcount_today", "departures", "share_gone")
        ],
        ignore_index=True,
    )
    access = pd.concat(
        [
            zone_rows("apl_mean", arr.apl_mean),
            *(
                zone_rows(f"pop_beyond_{t:g}", arr.beyond[:, :, i])
                for i, t in enumerate(prep.thresholds)
            ),
            zone_rows("communes_without_gp", arr.without_zone),
        ],
        ignore_index=True,
    )
    return workforce, access


def _commune_tables(
    prep: Prepared, arr: Arrays, *, monte_carlo: bool, apl_quantiles: FloatArray | None
) -> tuple[pd.DataFrame, ...]:
    """Build the ``apl``, ``losses`` and ``coverage`` tables (one row per year and commune).

    With ``apl_quantiles`` (:func:`~accessmap.workforce.engine.run_summarised`), ``arr.apl`` is
    already the mean over runs.
    """
    years, n_years = prep.years, len(prep.years)
    n_c, zone = prep.n_communes, prep.commune_zone
    if apl_quantiles is None:
        mean, q = _summary(arr.apl, monte_carlo=monte_carlo)
    else:
        mean, q = arr.apl[0], apl_quantiles
    apl = pd.DataFrame(
        {
            "year": np.repeat(years, n_c),
            "commune_code": np.tile(prep.communes, n_years),
            "zone": np.tile(zone, n_years),
            "apl": mean.ravel(),
            "q10": q[0].ravel(),
            "q50": q[1].ravel(),
            "q90": q[2].ravel(),
        }
    )
    had = np.flatnonzero(prep.had_practitioner)
    losses = pd.DataFrame(
        {
            "year": np.repeat(years, len(had)),
            "commune_code": np.tile(prep.communes[had], n_years),
            "zone": np.tile(zone[had], n_years),
            "p_without_gp": arr.without_gp.mean(axis=0)[:, had].ravel(),
            "p_lose_last_gp": arr.lose_last.mean(axis=0)[:, had].ravel(),
        }
    )
    n_thr = len(prep.thresholds)
    coverage = pd.DataFrame(
        {
            "year": np.repeat(years, n_thr * n_c),
            "commune_code": np.tile(prep.communes, n_years * n_thr),
            "zone": np.tile(zone, n_years * n_thr),
            "minutes": np.tile(np.repeat(np.asarray(prep.thresholds), n_c), n_years),
            "p_beyond": arr.beyond_commune.mean(axis=0).ravel(),
        }
    )
    return apl, losses, coverage


def _result(
    prep: Prepared,
    arr: Arrays,
    *,
    engine: str,
    runs: int,
    seed: int | None,
    apl_quantiles: FloatArray | None = None,
) -> Outlook:
    monte_carlo = engine == "monte_carlo"
    workforce, access = _zone_tables(prep, arr, monte_carlo=monte_carlo)
    apl, losses, coverage = _commune_tables(
        prep, arr, monte_carlo=monte_carlo, apl_quantiles=apl_quantiles
    )
    for frame in (workforce, access, apl, losses, coverage):
        frame["year"] = frame["year"].astype("int64")
        frame["ages_basis"] = prep.ages_basis
    return Outlook(
        workforce=workforce,
        access=access,
        apl=apl,
        losses=losses,
        retirement=retirement_frame(
            prep.pids, prep.pmf, prep.basis, start_year=prep.start_year, basis_label=prep.ages_basis
        ),
        engine=engine,
        runs=runs,
        seed=seed,
        start_year=prep.start_year,
        years=tuple(int(y) for y in prep.years),
        scenario=prep.scenario,
        illustrative_ages=prep.ages_basis == ILLUSTRATIVE,
        excluded=prep.excluded,
        coverage=coverage,
        profession=prep.profession,
    )


def _check_options(engine: str, runs: object) -> None:
    if engine not in ("expected", "monte_carlo"):
        raise ValidationError("workforce.unknown_engine", field="engine", engine=engine)
    if engine == "monte_carlo" and (not isinstance(runs, int | np.integer) or int(runs) <= 0):
        raise ValidationError("workforce.runs_invalid", field="runs", runs=runs)


def _prepare_default(
    roster: Roster,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    scenario: Scenario | None,
    model: RetirementModel | None,
    start_year: int | None,
    horizon: int,
    params: AplParameters | None,
    profession: str,
) -> Prepared:
    """:func:`prepare` with the default retirement model and APL parameters filled in."""
    return prepare(
        roster,
        od,
        demand,
        scenario=scenario,
        model=model or RetirementModel(),
        start_year=start_year,
        horizon=horizon,
        params=params or AplParameters(),
        profession=profession,
    )


# --- public entry points -------------------------------------------------------------------------


def outlook(
    roster: Roster,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    scenario: Scenario | None = None,
    model: RetirementModel | None = None,
    engine: Engine = "expected",
    runs: int = 1000,
    seed: int = 0,
    start_year: int | None = None,
    horizon: int = 15,
    params: AplParameters | None = None,
    progress: Callable[[int, int], None] | None = None,
    profession: str = DEFAULT_PROFESSION,
) -> Outlook:
    """Project the workforce of one profession and access to it, year by year.

    Parameters
    ----------
    roster
        Today's practitioners, sites and time shares (:class:`~accessmap.supply.Roster`).
    od
        Long travel-time table ``origin_id`` (commune code), ``dest_id`` (site id), ``minutes``;
        a missing pair is unreachable. Must hold times to the scenario's new sites. Only pairs
        under the APL horizon or the largest "beyond" threshold are used (sparse operators).
    demand
        Communes: ``id``, ``population``, optionally ``pop_std`` (DREES standardised population,
        the APL demand; defaults to ``population``) and ``in_territory`` (bool; default True: the
        others form the buffer).
    scenario
        Workforce outlook scenario (default: none).
    model
        Retirement model (default :class:`RetirementModel`).
    engine
        ``"expected"`` (deterministic expected values) or ``"monte_carlo"`` (``runs`` seeded draws,
        vectorised over runs, with 10/50/90 % quantiles).
    runs
        Monte Carlo runs.
    seed
        Seed of :func:`numpy.random.default_rng` (same seed, identical output).
    start_year
        Today (default: the current year).
    horizon
        Projected years after the start year (default 15).
    params
        APL parameters (default: DREES 2023 for GPs; pass the profession's own decay and
        activity rules for another profession).
    progress
        Called as ``progress(runs_done, runs)`` after each chunk of Monte Carlo runs (the CLI's
        progress bar); never called by the expected engine.
    profession
        The roster's ``profession`` to project (default
        :data:`~accessmap.professions.DEFAULT_PROFESSION`); other practitioners are ignored, so
        each profession's supply stays separate.

    Returns
    -------
    Outlook
        Long-format tables per year.

    Raises
    ------
    ValidationError
        Bad roster years, scenario naming an unknown site or a year outside the horizon, runs <= 0,
        unknown engine, bad demand or travel-time table.

    References
    ----------
    Barlet M. et al., « L'Accessibilité potentielle localisée (APL) », DREES, Document de travail
    n° 124, 2012 (APL two-step computation); CARMF, *Statistiques démographiques* (retirement ages);
    Metropolis N., Ulam S., « The Monte Carlo method », JASA 44 (1949).
    """
    _check_options(engine, runs)
    prep = _prepare_default(
        roster, od, demand, scenario, model, start_year, horizon, params, profession
    )
    if engine == "expected":
        return _result(prep, expected(prep), engine="expected", runs=0, seed=None)
    stop, replaced = draw(prep, np.random.default_rng(seed), int(runs))
    arrays, quantiles = run_summarised(prep, stop, replaced, quantiles=QUANTILES, progress=progress)
    return _result(
        prep, arrays, engine="monte_carlo", runs=int(runs), seed=seed, apl_quantiles=quantiles
    )


def _fix_stop_years(prep: Prepared, stop: npt.NDArray[np.int64], given: Mapping[str, int]) -> None:
    """Write given stop years into the first run's draws (in place), after checking them."""
    index = pd.Index(prep.pids)
    unknown = [p for p in given if str(p) not in index]
    early = [p for p, y in given.items() if int(y) <= prep.start_year]
    if unknown or early:
        raise ValidationError(
            "workforce.stop_years_invalid",
            field="stop_years",
            unknown=unknown,
            early=early,
            year=prep.start_year,
        )
    for pid, year in given.items():
        stop[0, index.get_loc(str(pid))] = min(int(year) - prep.start_year, prep.horizon + 1)


def simulate_run(
    roster: Roster,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    scenario: Scenario | None = None,
    model: RetirementModel | None = None,
    seed: int | np.random.Generator = 0,
    stop_years: Mapping[str, int] | None = None,
    start_year: int | None = None,
    horizon: int = 15,
    params: AplParameters | None = None,
    profession: str = DEFAULT_PROFESSION,
) -> Outlook:
    """One run: one draw of retirement years (or given ones), and its year-by-year outcome.

    With ``stop_years`` this is a what-if ("Dr X stops in 2028"): given practitioners stop in the
    given year, the others are drawn from the model. With the same seed and no ``stop_years`` it
    equals the Monte Carlo engine with ``runs=1``.

    Parameters
    ----------
    roster, od, demand, scenario, model, start_year, horizon, params, profession
        As in :func:`outlook`.
    seed
        Seed, or a :class:`numpy.random.Generator` to continue.
    stop_years
        Practitioner id → year in which they stop (no longer practise); later than the horizon
        means they practise through it.

    Returns
    -------
    Outlook
        ``engine == "run"``, ``runs == 1``; quantile columns are NaN, probabilities are 0 or 1.

    Raises
    ------
    ValidationError
        As :func:`outlook`, and ``stop_years`` naming an unknown practitioner or a year not after
        the start year.

    References
    ----------
    Barlet M. et al., « L'Accessibilité potentielle localisée (APL) », DREES, Document de travail
    n° 124, 2012.
    """
    prep = _prepare_default(
        roster, od, demand, scenario, model, start_year, horizon, params, profession
    )
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    stop, replaced = draw(prep, rng, 1)
    if stop_years:
        _fix_stop_years(prep, stop, stop_years)
    seed_out = None if isinstance(seed, np.random.Generator) else int(seed)
    return _result(prep, simulate(prep, stop, replaced), engine="run", runs=1, seed=seed_out)
