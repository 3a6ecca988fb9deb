"""Without a roster the ages are illustrative: ``--seed`` may move the outlook, nothing else.

Issue 22, point 4: no under-65 APL or agreement from one draw of illustrative ages; a change of
seed changes no figure of the verdict except the retirement outlook's.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from accessmap import settings, workforce
from accessmap.diagnostic import Diagnostic, DiagnosticOptions, run_diagnostic
from accessmap.indicators import commune_indicators, compare_with_drees, territory_apl
from accessmap.inputs import InputOptions
from accessmap.report import verdict, verdict_cards
from tests.factories import write_mirror

#: Verdict fields that come from the retirement outlook (they depend on the drawn ages).
OUTLOOK_FIELDS = {"gone_5", "gone_10", "losing", "apl_future", "illustrative_ages"}
#: Verdict cards that show the outlook.
OUTLOOK_CARDS = {"Départs en retraite", "Communes sans médecin"}

TERRITORY = "19001,19002,19003,19004,19005"


@pytest.fixture(scope="module")
def two_seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Diagnostic, Diagnostic]:
    root = tmp_path_factory.mktemp("seeds")
    mirror = write_mirror(root / "mirror")
    runs = []
    for seed in (0, 1):
        with settings.override(mirror=mirror, cache_dir=root / "cache", online=False):
            options = DiagnosticOptions(
                inputs=InputOptions(territory=TERRITORY, buffer_km=5, seed=seed), runs=20
            )
            runs.append(run_diagnostic(options))
    return runs[0], runs[1]


def _published(ids: pd.Series) -> pd.DataFrame:
    """A published APL for the tiny communes (values are arbitrary, the same for both seeds)."""
    values = np.linspace(2.0, 5.0, len(ids))
    return pd.DataFrame(
        {
            "code": ids.to_numpy(),
            "year": 2023,
            "apl": values,
            "apl_u65": values * 0.8,
            "pop_std": 100.0,
        }
    )


def test_the_seeds_draw_different_ages(two_seeds: tuple[Diagnostic, Diagnostic]) -> None:
    a, b = two_seeds
    assert a.outlook.illustrative_ages
    assert b.outlook.illustrative_ages
    births = [d.inputs.roster.practitioners["birth_year"].tolist() for d in two_seeds]
    assert births[0] != births[1]  # otherwise the test below proves nothing
    assert verdict(a).gone_10 != verdict(b).gone_10  # the outlook does move


def test_no_under_65_figure_from_illustrative_ages(
    two_seeds: tuple[Diagnostic, Diagnostic],
) -> None:
    for d in two_seeds:
        assert math.isnan(d.indicators.apl_u65_territory)
        assert d.indicators.communes["apl_u65"].isna().all()
        assert any(n.code == "apl.u65_needs_real_ages" for n in d.indicators.notes)
        ours = d.indicators.communes[["id", "apl", "apl_u65"]]
        comparison = compare_with_drees(ours, _published(ours["id"]), year=2023)
        assert math.isnan(comparison.spearman_u65)
        assert math.isnan(comparison.mean_abs_diff_u65)
        assert not math.isnan(comparison.spearman)


def test_seed_changes_no_verdict_figure_but_the_outlook(
    two_seeds: tuple[Diagnostic, Diagnostic],
) -> None:
    a, b = (verdict(d) for d in two_seeds)
    for item in dataclasses.fields(a):
        if item.name in OUTLOOK_FIELDS:
            continue
        x, y = getattr(a, item.name), getattr(b, item.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=False, rtol=1e-9)
        elif isinstance(x, float):
            assert x == pytest.approx(y, rel=1e-12), item.name
        else:
            assert x == y, item.name
    cards = [verdict_cards(d) for d in two_seeds]
    compared = 0
    for first, second in zip(*cards, strict=True):
        if first.title in OUTLOOK_CARDS or first.title.startswith("En "):
            continue
        assert first == second
        compared += 1
    assert compared >= 2


def test_seed_changes_no_indicator_nor_comparison(
    two_seeds: tuple[Diagnostic, Diagnostic],
) -> None:
    a, b = two_seeds
    pd.testing.assert_frame_equal(a.indicators.communes, b.indicators.communes)
    assert a.indicators.apl_territory == b.indicators.apl_territory
    pub = _published(a.indicators.communes["id"])
    first, second = (
        compare_with_drees(d.indicators.communes[["id", "apl", "apl_u65"]], pub, year=2023)
        for d in two_seeds
    )
    pd.testing.assert_frame_equal(first.table, second.table)
    assert first.spearman == second.spearman
    assert first.apl_mean == second.apl_mean


def test_outlook_and_indicators_share_the_territory_apl(
    two_seeds: tuple[Diagnostic, Diagnostic],
) -> None:
    """One definition (issue 22, point 5): standardised-population weights in both."""
    d = two_seeds[0]
    for factor in (None, np.linspace(0.5, 1.6, len(d.inputs.demand))):
        demand = d.inputs.demand.copy()
        if factor is not None:  # standardised population unlike the population légale
            demand["pop_std"] = demand["population"] * factor
        ind = commune_indicators(
            d.traveltimes.table, communes=demand, roster=d.inputs.roster, params=d.inputs.params
        )
        out = workforce.outlook(
            d.inputs.roster, d.traveltimes.table, demand, start_year=d.outlook.start_year,
            horizon=2, params=d.inputs.params,
        )  # fmt: skip
        access = out.access
        start = access[
            (access["zone"] == "territory")
            & (access["measure"] == "apl_mean")
            & (access["year"] == out.start_year)
        ]
        assert float(start["value"].iloc[0]) == pytest.approx(ind.apl_territory, rel=1e-9)
    by_population = territory_apl(
        ind.communes, demand=demand[["id", "population"]], ids=demand["id"][demand["in_territory"]]
    )
    assert by_population != pytest.approx(ind.apl_territory)  # the weights do matter here
