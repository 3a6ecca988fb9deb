"""One definition of "communes losing their last practitioner", and the APL draws of a year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from accessmap import workforce as wf
from accessmap.errors import ValidationError
from tests.test_workforce import DEMAND, OD, START, fixed, roster, run


def test_a_commune_is_lost_when_its_median_draw_has_no_practitioner():
    out = run(model=fixed(65))
    table = wf.communes_losing_last(out, year=START + 3)
    rows = table.set_index("commune_code")
    # fixed age 65: c (19002, alone) stops in 2026; d and f's half share keep 19003? d stops in
    # 2026 but f (1985) still practises half-time at s3: 19003 keeps a GP
    assert bool(rows.loc["19002", "lost"])
    assert rows.loc["19002", "p_without"] == pytest.approx(1.0)
    assert rows.loc["19002", "first_year"] == START + 1
    assert not bool(rows.loc["19003", "lost"])
    assert not bool(rows.loc["19001", "lost"])
    assert set(table["commune_code"]) == set(out.losses["commune_code"])
    # the definition: p_without >= 0.5, nothing else
    losses = out.losses[out.losses["year"] == START + 3].set_index("commune_code")
    assert (rows["lost"] == (losses["p_without_gp"].reindex(rows.index) >= 0.5)).all()


def test_the_probability_is_alongside_and_the_year_defaults_to_the_last():
    out = run(engine="monte_carlo", runs=200, seed=1)
    table = wf.communes_losing_last(out)
    assert (table["year"] == max(out.years)).all()
    assert table["p_without"].between(0, 1).all()
    assert table["p_none_within_20"].between(0, 1).all()
    lost = table[table["lost"]]
    assert (lost["p_without"] >= 0.5).all()
    assert lost["first_year"].notna().all()
    assert (lost["first_year"] <= max(out.years)).all()
    with pytest.raises(ValidationError) as info:
        wf.communes_losing_last(out, year=START + 40)
    assert info.value.code == "workforce.year_outside"


def test_apl_draws_are_the_draws_the_monte_carlo_outlook_summarises():
    out = run(engine="monte_carlo", runs=150, seed=4)
    draws = wf.apl_draws(
        roster(), OD, DEMAND, year=START + 6, runs=150, seed=4, start_year=START, horizon=10
    )
    assert draws.shape == (150, len(DEMAND))
    apl = out.apl[out.apl["year"] == START + 6].set_index("commune_code")
    mean = draws.mean(axis=0)
    assert np.allclose(mean.reindex(apl.index).to_numpy(), apl["apl"].to_numpy())
    q50 = draws.quantile(0.5, axis=0)
    assert np.allclose(q50.reindex(apl.index).to_numpy(), apl["q50"].to_numpy())
    with pytest.raises(ValidationError):
        wf.apl_draws(roster(), OD, DEMAND, year=START + 30, runs=5, start_year=START)
    assert isinstance(draws, pd.DataFrame)
