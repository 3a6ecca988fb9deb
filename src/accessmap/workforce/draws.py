"""The Monte Carlo draws of the APL per commune in one year: the input of the robust siting."""

from __future__ import annotations

import numpy as np
import pandas as pd

from accessmap.contracts import AplParameters
from accessmap.errors import ValidationError
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.supply import Roster
from accessmap.workforce.engine import draw, run_apl_year
from accessmap.workforce.outlook import _prepare_default
from accessmap.workforce.retirement import RetirementModel
from accessmap.workforce.scenario import Scenario

__all__ = ["apl_draws"]


def apl_draws(
    roster: Roster,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    year: int,
    runs: int = 200,
    seed: int = 0,
    scenario: Scenario | None = None,
    model: RetirementModel | None = None,
    start_year: int | None = None,
    horizon: int = 15,
    params: AplParameters | None = None,
    profession: str = DEFAULT_PROFESSION,
) -> pd.DataFrame:
    """Return the modelled APL of every commune in ``year`` for each Monte Carlo draw.

    The same draws as :func:`accessmap.workforce.outlook` with ``engine="monte_carlo"`` and the
    same ``runs`` and ``seed`` (its ``apl`` quantiles summarise these rows).

    Parameters
    ----------
    roster, od, demand, scenario, model, start_year, horizon, params, profession
        As in :func:`accessmap.workforce.outlook`.
    year
        The year (within the horizon).
    runs
        Draws.
    seed
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    pandas.DataFrame
        One row per draw, one column per commune code (the demand's ``id``): the modelled APL.
        Subtract today's modelled APL and add the published one to get the baselines of
        :func:`accessmap.siting.apl_robust` (:func:`accessmap.siting.official_plus_change`
        applied row by row, or ``draws - today + published`` on aligned arrays).

    Raises
    ------
    ValidationError
        A year outside the horizon, runs <= 0, bad inputs (see :func:`outlook`).
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or runs <= 0:
        raise ValidationError("workforce.runs_invalid", field="runs", runs=runs)
    prep = _prepare_default(
        roster, od, demand, scenario, model, start_year, horizon, params, profession
    )
    years = [int(y) for y in prep.years]
    if int(year) not in years:
        raise ValidationError("workforce.year_outside", field="year", year=int(year), years=years)
    stop, replaced = draw(prep, np.random.default_rng(seed), int(runs))
    values = run_apl_year(prep, stop, replaced, year_index=years.index(int(year)))
    return pd.DataFrame(values, columns=pd.Index([str(c) for c in prep.communes]))
