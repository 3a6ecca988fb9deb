"""Several professions: one outlook per profession, and the communes losing several at once.

A roster's practitioners carry a ``profession`` (a key of the registry
:mod:`accessmap.professions`: ``infirmier``, ``sage_femme``...). Each profession gets its own
outlook, with its own supply and its own retirement curve: a nurse never stands in for a GP.
Ages are the roster's; a roster whose ages were generated
(:func:`~accessmap.workforce.illustrative_roster`) flags every profession's outlook
``illustrative ages`` exactly as for GPs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from accessmap.contracts import AplParameters
from accessmap.conventions import BEYOND_MINUTES
from accessmap.errors import ValidationError
from accessmap.professions import PROFESSIONS
from accessmap.supply import Roster
from accessmap.workforce.outlook import Engine, Outlook, outlook
from accessmap.workforce.retirement import RetirementModel
from accessmap.workforce.scenario import Scenario

__all__ = ["communes_losing_professions", "outlook_by_profession", "professions_in"]

_TOLERANCE = 1e-12


def professions_in(roster: Roster) -> tuple[str, ...]:
    """Professions present on a roster, sorted.

    Parameters
    ----------
    roster
        A roster (its practitioners' ``profession`` column).

    Returns
    -------
    tuple of str

    References
    ----------
    INSEE, Base permanente des équipements (BPE), codes D201-D233 (health professionals).
    """
    return tuple(sorted(set(roster.practitioners["profession"].astype(str))))


def outlook_by_profession(
    roster: Roster,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    professions: Sequence[str] | None = None,
    scenarios: Mapping[str, Scenario] | None = None,
    params: Mapping[str, AplParameters] | None = None,
    model: RetirementModel | None = None,
    engine: Engine = "expected",
    runs: int = 1000,
    seed: int = 0,
    start_year: int | None = None,
    horizon: int = 15,
    progress: Callable[[str], Callable[[int, int], None] | None] | None = None,
) -> dict[str, Outlook]:
    """One outlook per profession, each on its own practitioners only.

    Parameters
    ----------
    roster
        Practitioners of several professions (``profession`` column), their sites and shares.
    od, demand
        As in :func:`~accessmap.workforce.outlook` (the same travel times and communes for all).
    professions
        Professions to project (default: every profession on the roster, :func:`professions_in`).
    scenarios
        Profession → workforce outlook scenario (default: none for every profession).
    params
        Profession → accessibility parameters (decay and activity rules of that profession's
        APL); a profession not listed takes the DREES GP defaults.
    model
        Retirement model shared by the professions (default: each registered profession's own
        curve, :meth:`RetirementModel.for_profession`; :class:`RetirementModel` for a profession
        the registry does not know).
    engine, runs, seed, start_year, horizon
        As in :func:`~accessmap.workforce.outlook`; every profession uses the same seed.
    progress
        Called with a profession's name, returns the progress callback of its Monte Carlo runs.

    Returns
    -------
    dict of str to Outlook
        In the order of ``professions``; ``Outlook.profession`` names each.

    Raises
    ------
    ValidationError
        A profession absent from the roster, or as :func:`~accessmap.workforce.outlook`.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) » aux infirmiers,
    masseurs-kinésithérapeutes, sages-femmes et chirurgiens-dentistes (methodological notes,
    2019-2023); CARMF and CARPIMKO, *Statistiques démographiques*.
    """
    present = professions_in(roster)
    wanted = tuple(present if professions is None else professions)
    missing = sorted(set(wanted) - set(present))
    if missing or not wanted:
        raise ValidationError(
            "workforce.professions_not_on_roster",
            field="professions",
            missing=missing,
            present=list(present),
        )
    scenarios = scenarios or {}
    params = params or {}
    return {
        name: outlook(
            roster,
            od,
            demand,
            scenario=scenarios.get(name),
            model=model if model is not None else _model(name),
            engine=engine,
            runs=runs,
            seed=seed,
            start_year=start_year,
            horizon=horizon,
            params=params.get(name),
            progress=progress(name) if progress is not None else None,
            profession=name,
        )
        for name in wanted
    }


def _model(name: str) -> RetirementModel:
    """Return the registered retirement curve of a profession (the default one if unknown)."""
    return RetirementModel.for_profession(name) if name in PROFESSIONS else RetirementModel()


def _lost(result: Outlook, *, minutes: float, min_probability: float) -> pd.DataFrame:
    """Communes of one outlook that lose the profession within ``minutes`` (rule: see caller)."""
    cov = result.coverage
    rows = cov[np.isclose(cov["minutes"].to_numpy(dtype=float), minutes)]
    first, last = min(result.years), max(result.years)
    start = rows[rows["year"] == first].set_index("commune_code")["p_beyond"]
    end = rows[rows["year"] == last].set_index("commune_code")
    had = start[start <= _TOLERANCE].index
    end = end.loc[end.index.isin(had)]
    end = end[end["p_beyond"] >= min_probability - _TOLERANCE]
    return pd.DataFrame(
        {
            "commune_code": end.index.to_numpy(dtype=object),
            "zone": end["zone"].to_numpy(dtype=object),
            "profession": result.profession,
            "p_beyond": end["p_beyond"].to_numpy(dtype=float),
        }
    )


def _check_outlooks(outlooks: Mapping[str, Outlook], minutes: float) -> None:
    years = {o.years for o in outlooks.values()}
    if len(years) > 1:
        raise ValidationError("workforce.outlook_years_differ", field="outlooks")
    for name, result in outlooks.items():
        if result.coverage.empty or not np.isclose(result.coverage["minutes"], minutes).any():
            raise ValidationError(
                "workforce.no_coverage_band",
                field="minutes",
                profession=name,
                minutes=minutes,
                bands=list(BEYOND_MINUTES),
            )


def communes_losing_professions(
    outlooks: Mapping[str, Outlook],
    *,
    minutes: float = 30.0,
    min_professions: int = 2,
    min_probability: float = 0.5,
) -> pd.DataFrame:
    """Communes that lose access to ``min_professions`` professions or more over the outlook.

    Rule: a commune **loses access** to a profession when, in the start year, some practitioner of
    that profession practises within ``minutes`` of it (``t < minutes``, half-open convention) and,
    in the last year of the outlook, the probability that none does is at least
    ``min_probability`` (1 or 0 under a single run; the expected engine gives the exact probability
    under independent retirements). Only the outlook's own practitioners count (a profession's
    supply is never replaced by another's); replacements and installations of each profession's
    scenario are included.

    Parameters
    ----------
    outlooks
        Profession → outlook (e.g. :func:`outlook_by_profession`), all over the same years.
    minutes
        Access threshold, one of :data:`~accessmap.conventions.BEYOND_MINUTES` (default 30).
    min_professions
        Keep communes losing at least this many professions (default 2: "two or more at once").
    min_probability
        Probability, in the last year, of having no practitioner within ``minutes``.

    Returns
    -------
    pandas.DataFrame
        ``commune_code, zone, n_professions, professions`` (sorted names joined by ", "),
        ``p_min`` (smallest of the per-profession probabilities), ``year`` (the last year);
        sorted by ``n_professions`` (descending) then commune. Empty (same columns) when no
        commune qualifies.

    Raises
    ------
    ValidationError
        Outlooks over different years, or a threshold the outlooks do not report.

    References
    ----------
    Montagne limousine access-to-care diagnosis (pôle de santé MilleSoins): the outlook for
    physiotherapists and dentists is as bad as for GPs.
    """
    columns = ["commune_code", "zone", "n_professions", "professions", "p_min", "year"]
    if not outlooks:
        return pd.DataFrame(columns=columns)
    _check_outlooks(outlooks, minutes)
    last = max(next(iter(outlooks.values())).years)
    lost = pd.concat(
        [
            _lost(result, minutes=minutes, min_probability=min_probability)
            for result in outlooks.values()
        ],
        ignore_index=True,
    )
    grouped = lost.groupby(["commune_code", "zone"], sort=True).agg(
        n_professions=("profession", "nunique"),
        professions=("profession", lambda s: ", ".join(sorted(set(s)))),
        p_min=("p_beyond", "min"),
    )
    out = grouped[grouped["n_professions"] >= int(min_professions)].reset_index()
    out["year"] = np.int64(last)
    out = out.sort_values(["n_professions", "commune_code"], ascending=[False, True])
    return out[columns].reset_index(drop=True)
