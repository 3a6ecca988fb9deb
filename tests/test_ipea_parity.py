"""Decay, inequality, poverty and constrained measures against IPEA ``accessibility``'s own tests.

Every expected value is copied from a test file of the IPEA ``accessibility`` R package
(github.com/ipeaGIT/accessibility, ``tests/testthat/test-*.R``, commit dfde37a2df04), named at
each test. The decay and constrained tests use inline inputs, rebuilt here as they are written.
The inequality tests compute their inputs from the package's Belo Horizonte example data:
``tests/fixtures/ipea_bh/`` holds the rows of it those tests read (see its README), and the
accessibility is rebuilt the same way (``cumulative_cutoff`` at 30 minutes, the cutoff included,
duplicated into two identical modes ``transit`` and ``transit2``).

Tolerances: IPEA's decay expectations are exact numbers, compared here to 1e-12. Its inequality
expectations are values rounded to 4 decimals, compared after the same rounding with
``expect_identical``: the same check is made here (``round(value, 4) == expected``), and each
value is also checked to 1e-12 against an independent closed form (Gini's mean difference,
Theil's definition, the covariance form of the concentration index, FGT's sum).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accessmap import indicators as ind
from accessmap.errors import ValidationError
from accessmap.messages import CATALOGUE

FIXTURES = Path(__file__).parent / "fixtures" / "ipea_bh"
#: Hexagons selected by test-gini_index.R, test-palma_ratio.R, test-concentration_index.R and
#: test-fgt_poverty.R ("... is correctly calculated").
SELECTED = ["89a88cd909bffff", "89a88cdb57bffff", "89a88cdb597ffff", "89a88cdb5b3ffff",
            "89a88cdb5cfffff"]  # fmt: skip
#: Hexagons selected by test-theil_t.R.
SELECTED_THEIL = ["89a88cd900bffff", "89a88cdb57bffff", "89a88cdb597ffff", "89a88cdb5b3ffff",
                  "89a88cdb5cfffff"]  # fmt: skip
MODES = ["transit", "transit2"]


def assert_code(err: pytest.ExceptionInfo[ValidationError], code: str) -> None:
    assert err.value.code == code
    assert code in CATALOGUE
    assert err.value.message != code  # rendered in French from the catalogue


# --- decays: test-decay_*.R ---------------------------------------------------------------------


def weights(fn: ind.WeightFunction, minutes: Sequence[float]) -> np.ndarray:
    return fn(np.asarray(minutes, dtype=np.float64))


def test_binary_decay_as_ipea() -> None:
    """tests/testthat/test-decay_binary.R: the cutoff is included."""
    m = [10, 20, 40, 60]
    np.testing.assert_allclose(weights(ind.binary_decay(cutoff=20, include_cutoff=True), m),
                               [1, 1, 0, 0], atol=1e-12)  # fmt: skip
    np.testing.assert_allclose(weights(ind.binary_decay(cutoff=40, include_cutoff=True), m),
                               [1, 1, 1, 0], atol=1e-12)  # fmt: skip
    # the project convention (t < T) differs exactly at the cutoff
    np.testing.assert_allclose(weights(ind.binary_decay(cutoff=20), m), [1, 0, 0, 0])


def test_exponential_decay_as_ipea() -> None:
    """tests/testthat/test-decay_exponential.R."""
    expected = [1, 1 / math.e, 1 / math.e**2, 1 / math.e**6]
    np.testing.assert_allclose(weights(ind.exponential_decay(rate=0.1), [0, 10, 20, 60]),
                               expected, rtol=0, atol=1e-12)  # fmt: skip
    np.testing.assert_allclose(weights(ind.exponential_decay(rate=0.05), [0, 20, 40, 120]),
                               expected, rtol=0, atol=1e-12)  # fmt: skip


def test_linear_decay_as_ipea() -> None:
    """tests/testthat/test-decay_linear.R."""
    np.testing.assert_allclose(weights(ind.linear_decay(cutoff=20), [0, 5, 10, 20, 60]),
                               [1, 0.75, 0.5, 0, 0], atol=1e-12)  # fmt: skip
    out = weights(ind.linear_decay(cutoff=30), [0, 10, 15, 30, 60])
    np.testing.assert_array_equal(np.round(out, 4), [1, 0.6667, 0.5, 0, 0])
    np.testing.assert_allclose(out, [1, 2 / 3, 0.5, 0, 0], atol=1e-12)


def test_power_decay_as_ipea() -> None:
    """tests/testthat/test-decay_power.R."""
    np.testing.assert_allclose(weights(ind.power_decay(exponent=0.5), [0, 0.5, 1, 16, 64]),
                               [1, 1, 1, 0.25, 0.125], atol=1e-12)  # fmt: skip
    np.testing.assert_allclose(weights(ind.power_decay(exponent=0.25), [0, 0.5, 1, 16, 256]),
                               [1, 1, 1, 0.5, 0.25], atol=1e-12)  # fmt: skip


def test_logistic_decay_as_ipea() -> None:
    """tests/testthat/test-decay_logistic.R (c20;sd2 and c30;sd10)."""
    out = weights(ind.logistic_decay(median=20, sd=2), [0, 20])
    np.testing.assert_allclose(out, [1, 0.5], atol=1e-6)
    out = weights(ind.logistic_decay(median=30, sd=10), [0, 30])
    np.testing.assert_allclose(out, [1, 0.502], atol=1e-3)  # the R test's own tolerance
    scale = 10 * math.sqrt(3) / math.pi  # closed form of g(0) / g(30)
    np.testing.assert_allclose(out[1], (1 + math.exp(-30 / scale)) / 2, rtol=0, atol=1e-12)


def test_stepped_decay_as_ipea() -> None:
    """tests/testthat/test-decay_stepped.R, including "steps intervals are open on the right"."""
    np.testing.assert_allclose(
        weights(ind.stepped_decay(steps=[25, 50], weights=[0.5, 0]), [5, 30, 55]), [1, 0.5, 0]
    )
    np.testing.assert_allclose(
        weights(ind.stepped_decay(steps=[25, 50], weights=[0.6, 0]), [5, 30, 55]), [1, 0.6, 0]
    )
    fn = ind.stepped_decay(steps=[10, 20, 30, 40], weights=[0.75, 0.5, 0.25, 0])
    np.testing.assert_array_equal(weights(fn, [0, 10, 20, 30, 40]), [1, 0.75, 0.5, 0.25, 0])
    # the last weight holds beyond the last step
    np.testing.assert_array_equal(
        weights(ind.stepped_decay(steps=[10], weights=[0.3]), [100]), [0.3]
    )


@pytest.mark.parametrize(
    ("factory", "params", "code"),
    [  # the "adequately raises errors" blocks of test-decay_*.R
        (ind.binary_decay, {"cutoff": -1}, "measures.decay_non_negative"),
        (ind.binary_decay, {"cutoff": math.inf}, "measures.decay_non_negative"),
        (ind.binary_decay, {"cutoff": math.nan}, "measures.decay_non_negative"),
        (ind.binary_decay, {"cutoff": "banana"}, "measures.decay_non_negative"),
        (ind.exponential_decay, {"rate": -0.1}, "measures.decay_non_negative"),
        (ind.exponential_decay, {"rate": math.inf}, "measures.decay_non_negative"),
        (ind.power_decay, {"exponent": -0.1}, "measures.decay_non_negative"),
        (ind.power_decay, {"exponent": math.nan}, "measures.decay_non_negative"),
        (ind.linear_decay, {"cutoff": -1}, "measures.decay_positive"),
        (ind.linear_decay, {"cutoff": math.inf}, "measures.decay_positive"),
        (ind.logistic_decay, {"median": 0, "sd": 2}, "measures.decay_positive"),
        (ind.logistic_decay, {"median": math.inf, "sd": 2}, "measures.decay_positive"),
        (ind.logistic_decay, {"median": 20, "sd": math.nan}, "measures.decay_positive"),
        (ind.stepped_decay, {"steps": [0], "weights": [0.5]}, "measures.decay_positive"),
        (
            ind.stepped_decay,
            {"steps": [25, math.inf], "weights": [0.5, 0]},
            "measures.decay_positive",
        ),
        (
            ind.stepped_decay,
            {"steps": [25, math.nan], "weights": [0.5, 0]},
            "measures.decay_positive",
        ),
        (ind.stepped_decay, {"steps": [], "weights": []}, "measures.decay_steps"),
        (ind.stepped_decay, {"steps": [25, 25], "weights": [0.5, 0]}, "measures.decay_steps"),
        (ind.stepped_decay, {"steps": [25, 20], "weights": [0.5, 0]}, "measures.decay_steps"),
        (
            ind.stepped_decay,
            {"steps": [25, 50], "weights": [0.7, -1]},
            "measures.decay_non_negative",
        ),
        (ind.stepped_decay, {"steps": [25, 50], "weights": [1.5, 0]}, "measures.decay_steps"),
        (
            ind.stepped_decay,
            {"steps": [25, 50], "weights": [0.7, math.nan]},
            "measures.decay_non_negative",
        ),
        (ind.stepped_decay, {"steps": [25, 50], "weights": [1]}, "measures.decay_steps"),
    ],
)
def test_decays_refuse_bad_parameters(
    factory: object, params: dict[str, object], code: str
) -> None:
    with pytest.raises(ValidationError) as err:
        factory(**params)  # type: ignore[operator]
    assert_code(err, code)


@pytest.mark.parametrize("name", sorted(ind.DECAYS))
def test_named_decays_match_their_factories_and_ignore_unreachable(name: str) -> None:
    params: dict[str, dict[str, object]] = {
        "binary": {"cutoff": 30}, "linear": {"cutoff": 30}, "exponential": {"rate": 0.1},
        "power": {"exponent": 1.5}, "logistic": {"median": 30, "sd": 5},
        "stepped": {"steps": [10, 20], "weights": [0.5, 0.1]},
    }  # fmt: skip
    m = np.array([0.0, 5.0, 10.0, 29.0, 45.0, np.inf])
    named = ind.decay_function(name, **params[name])(m)
    direct = ind.DECAYS[name].factory(**params[name])(m)
    np.testing.assert_array_equal(named, direct)
    assert named[-1] == 0.0  # unreachable weighs nothing
    assert named[0] == 1.0
    assert bool((np.diff(named[:-1]) <= 0).all())  # every decay is non-increasing
    assert weights(ind.DECAYS[name].factory(**params[name]), []).shape == (0,)


def test_decay_function_refuses_unknown_names_and_options() -> None:
    with pytest.raises(ValidationError) as err:
        ind.decay_function("gaussian", sigma=3)
    assert_code(err, "measures.unknown_decay")
    with pytest.raises(ValidationError) as err:
        ind.decay_function("linear", rate=0.1)
    assert_code(err, "measures.decay_options")


# --- inequality and poverty: test-gini_index.R, test-palma_ratio.R, ... -------------------------


@pytest.fixture(scope="module")
def land_use() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "land_use.csv", dtype={"id": "str", "income_decile": "Int64"})


@pytest.fixture(scope="module")
def travel_matrix() -> pd.DataFrame:
    tm = pd.read_csv(FIXTURES / "travel_matrix.csv", dtype={"from_id": str, "to_id": str})
    return tm.rename(columns={"from_id": "origin_id", "to_id": "dest_id", "travel_time": "minutes"})


def ipea_access(
    travel_matrix: pd.DataFrame, land_use: pd.DataFrame, ids: list[str]
) -> pd.DataFrame:
    """``cumulative_cutoff(travel_matrix[from_id %in% ids], land_use_data, "jobs", cutoff = 30,
    group_by = "mode")`` on setup.R's two identical modes."""
    od = travel_matrix[travel_matrix["origin_id"].isin(ids)]
    one = ind.cumulative_cutoff(od, opportunities=land_use, column="jobs", cutoff=30,
                                include_cutoff=True, name="jobs")  # fmt: skip
    return pd.concat([one.assign(mode=m) for m in MODES], ignore_index=True)


def without(access: pd.DataFrame, hexagon: str, mode: str = "transit2") -> pd.DataFrame:
    return access[~((access["id"] == hexagon) & (access["mode"] == mode))].reset_index(drop=True)


def rounded(frame: pd.DataFrame, column: str) -> list[float]:
    return [round(float(v), 4) for v in frame[column]]


def joined(access: pd.DataFrame, land_use: pd.DataFrame, mode: str) -> pd.DataFrame:
    return access[access["mode"] == mode].merge(land_use, on="id", suffixes=("_acc", ""))


def test_cumulative_access_of_the_selected_hexagons(
    travel_matrix: pd.DataFrame, land_use: pd.DataFrame
) -> None:
    """The inputs the inequality tests build (30-minute cutoff included: 32 rows sit at 30)."""
    access = ipea_access(travel_matrix, land_use, SELECTED)
    assert len(access) == 10
    assert (access["jobs"] > 0).all()
    assert (travel_matrix["minutes"] == 30).sum() == 32


def gini_by_mean_difference(x: np.ndarray, w: np.ndarray) -> float:
    """Gini as the population-weighted mean absolute difference over twice the mean."""
    n, mean = w.sum(), (w * x).sum() / w.sum()
    return float(
        (w[:, None] * w[None, :] * np.abs(x[:, None] - x[None, :])).sum() / (2 * n * n * mean)
    )


def test_gini_index_as_ipea(travel_matrix: pd.DataFrame, land_use: pd.DataFrame) -> None:
    """tests/testthat/test-gini_index.R, "gini index is correctly calculated"."""
    access = ipea_access(travel_matrix, land_use, SELECTED)
    out = ind.gini_index(access, demand=land_use, column="jobs", group_by=["mode"])
    assert list(out.columns) == ["mode", "gini_index"]
    assert out["mode"].tolist() == MODES
    assert rounded(out, "gini_index") == [0.1386, 0.1386]
    out = ind.gini_index(without(access, "89a88cdb5cfffff"), demand=land_use, column="jobs",
                         group_by=["mode"])  # fmt: skip
    assert rounded(out, "gini_index") == [0.1386, 0.1148]
    for mode, value in zip(MODES, out["gini_index"], strict=True):
        rows = joined(without(access, "89a88cdb5cfffff"), land_use, mode)
        expected = gini_by_mean_difference(rows["jobs_acc"].to_numpy(float),
                                           rows["population"].to_numpy(float))  # fmt: skip
        assert value == pytest.approx(expected, abs=1e-12)


def test_palma_ratio_as_ipea(travel_matrix: pd.DataFrame, land_use: pd.DataFrame) -> None:
    """tests/testthat/test-palma_ratio.R, "palma ratio is correctly calculated"."""
    access = ipea_access(travel_matrix, land_use, SELECTED)
    kw = {"demand": land_use, "column": "jobs", "income": "income_per_capita", "group_by": ["mode"]}
    out = ind.palma_ratio(access, **kw)  # type: ignore[arg-type]
    assert rounded(out, "palma_ratio") == [1.0911, 1.0911]
    out = ind.palma_ratio(without(access, "89a88cdb5cfffff"), **kw)  # type: ignore[arg-type]
    assert rounded(out, "palma_ratio") == [1.0911, 0.5249]


def test_palma_ratio_missing_sides_as_ipea(
    travel_matrix: pd.DataFrame, land_use: pd.DataFrame
) -> None:
    """tests/testthat/test-palma_ratio.R, "handles missing data correctly"."""
    custom = ipea_access(travel_matrix, land_use, ["89a88cdb57bffff", "89a88cdb5b3ffff"])
    kw = {"demand": land_use, "column": "jobs", "income": "income_per_capita"}
    for hexagon in ("89a88cdb5b3ffff", "89a88cdb57bffff"):
        out = ind.palma_ratio(without(custom, hexagon), group_by=["mode"], **kw)  # type: ignore[arg-type]
        assert out["mode"].tolist() == MODES
        assert round(out["palma_ratio"].iloc[0], 4) == 0.5249
        assert math.isnan(out["palma_ratio"].iloc[1])
    transit = custom[custom["mode"] == "transit"]
    for row in range(2):  # one wealthy hexagon, one poor one: the ratio is undefined
        one = transit.iloc[[row]]
        assert math.isnan(ind.palma_ratio(one, group_by=["mode"], **kw)["palma_ratio"].iloc[0])  # type: ignore[arg-type]
        assert math.isnan(ind.palma_ratio(one, **kw)["palma_ratio"].iloc[0])  # type: ignore[arg-type]
    empty = pd.DataFrame({"id": pd.Series(dtype=str), "mode": pd.Series(dtype=str),
                          "jobs": pd.Series(dtype=int)})  # fmt: skip
    out = ind.palma_ratio(empty, group_by=["mode"], **kw)  # type: ignore[arg-type]
    assert out.empty
    assert list(out.columns) == ["mode", "palma_ratio"]
    assert list(ind.palma_ratio(empty, **kw).columns) == ["palma_ratio"]  # type: ignore[arg-type]


def test_weighted_quantile_as_hmisc() -> None:
    """``Hmisc::wtd.quantile`` (IPEA's palma_ratio): weights are frequencies, type 7 between."""
    x, w = [3.0, 1.0, 2.0, 10.0], [1, 1, 1, 1]
    np.testing.assert_allclose(ind.weighted_quantile(x, w, [0.4, 0.9]),
                               np.quantile(x, [0.4, 0.9]))  # fmt: skip
    # integer weights equal repeated values; zero weights are dropped
    np.testing.assert_allclose(
        ind.weighted_quantile([1.0, 2.0, 99.0], [2, 3, 0], [0.25, 0.5, 0.75]),
        np.quantile([1.0, 1.0, 2.0, 2.0, 2.0], [0.25, 0.5, 0.75]),
    )


def theil_direct(x: np.ndarray, w: np.ndarray) -> float:
    r = x / ((w * x).sum() / w.sum())
    return float((w * np.where(r > 0, r * np.log(np.where(r > 0, r, 1)), 0)).sum() / w.sum())


def test_theil_t_as_ipea(travel_matrix: pd.DataFrame, land_use: pd.DataFrame) -> None:
    """tests/testthat/test-theil_t.R, "theil t is correctly calculated" (without groups)."""
    access = ipea_access(travel_matrix, land_use, SELECTED_THEIL)
    out = ind.theil_t(access, demand=land_use, column="jobs", group_by=["mode"])
    assert isinstance(out, pd.DataFrame)
    assert rounded(out, "theil_t") == [0.0852, 0.0852]
    cut = without(access, "89a88cdb5cfffff")
    out = ind.theil_t(cut, demand=land_use, column="jobs", group_by=["mode"])
    assert isinstance(out, pd.DataFrame)
    assert rounded(out, "theil_t") == [0.0852, 0.0839]
    rows = joined(cut, land_use, "transit2")
    expected = theil_direct(rows["jobs_acc"].to_numpy(float), rows["population"].to_numpy(float))
    assert out["theil_t"].iloc[1] == pytest.approx(expected, abs=1e-12)


def test_theil_t_decomposition_as_ipea(travel_matrix: pd.DataFrame, land_use: pd.DataFrame) -> None:
    """tests/testthat/test-theil_t.R, "theil t is correctly calculated" (income deciles)."""
    access = ipea_access(travel_matrix, land_use, SELECTED_THEIL)
    sociodem = land_use.dropna(subset=["income_decile"])  # as the R test (na_decile_ids)
    kw = {"demand": sociodem, "column": "jobs", "socioeconomic_groups": "income_decile",
          "group_by": ["mode"]}  # fmt: skip
    out = ind.theil_t(access, **kw)  # type: ignore[arg-type]
    assert isinstance(out, ind.TheilDecomposition)
    assert out.summary["mode"].tolist() == MODES * 3
    assert (
        out.summary["component"].tolist()
        == ["between_group"] * 2 + ["within_group"] * 2 + ["total"] * 2
    )
    assert rounded(out.summary, "value") == [0.0515, 0.0515, 0.0337, 0.0337, 0.0852, 0.0852]
    assert rounded(out.summary, "share_of_total") == [0.6044, 0.6044, 0.3956, 0.3956, 1, 1]
    assert out.within_group["income_decile"].tolist() == [1, 3, 6, 10] * 2
    assert rounded(out.within_group, "value") == [0, 0, 0, 0.0337] * 2
    assert rounded(out.within_group, "share_of_component") == [0, 0, 0, 1] * 2
    assert rounded(out.between_group, "value") == [0.0243, -0.0579, -0.0042, 0.0894] * 2
    # the decomposition adds up to the index computed without groups
    plain = ind.theil_t(access, demand=sociodem, column="jobs", group_by=["mode"])
    assert isinstance(plain, pd.DataFrame)
    total = out.summary[out.summary["component"] == "total"]["value"].to_numpy()
    np.testing.assert_allclose(total, plain["theil_t"].to_numpy(), rtol=0, atol=1e-12)

    out = ind.theil_t(without(access, "89a88cd900bffff"), **kw)  # type: ignore[arg-type]
    assert isinstance(out, ind.TheilDecomposition)
    assert rounded(out.summary, "value") == [0.0515, 0.0021, 0.0337, 0.0357, 0.0852, 0.0378]
    assert rounded(out.summary, "share_of_total") == [0.6044, 0.0545, 0.3956, 0.9455, 1, 1]
    assert out.within_group["mode"].tolist() == ["transit"] * 4 + ["transit2"] * 3
    assert out.within_group["income_decile"].tolist() == [1, 3, 6, 10, 1, 6, 10]
    assert rounded(out.within_group, "value") == [0, 0, 0, 0.0337, 0, 0, 0.0357]
    assert rounded(out.within_group, "share_of_component") == [0, 0, 0, 1, 0, 0, 1]
    assert rounded(out.between_group, "value") == [0.0243, -0.0579, -0.0042, 0.0894, -0.0142,
                                                   -0.0113, 0.0276]  # fmt: skip


def concentration_by_covariance(x: np.ndarray, w: np.ndarray, income: np.ndarray) -> float:
    """C = 2 cov(x, R) / mean, R the weighted fractional income rank (Kakwani et al. 1997)."""
    order = np.argsort(income, kind="stable")
    share = (w / w.sum())[order]
    rank = np.empty_like(share)
    rank[order] = np.cumsum(share) - share / 2
    p, mean = w / w.sum(), (w * x).sum() / w.sum()
    return float(2 * (p * (x - mean) * (rank - (p * rank).sum())).sum() / mean)


def test_concentration_index_as_ipea(travel_matrix: pd.DataFrame, land_use: pd.DataFrame) -> None:
    """tests/testthat/test-concentration_index.R, "concentration index is correctly calculated"."""
    access = ipea_access(travel_matrix, land_use, SELECTED)
    kw = {"demand": land_use, "column": "jobs", "income": "income_per_capita", "group_by": ["mode"]}
    standard = ind.concentration_index(access, kind="standard", **kw)  # type: ignore[arg-type]
    assert rounded(standard, "concentration_index") == [-0.0248, -0.0248]
    corrected = ind.concentration_index(access, kind="corrected", **kw)  # type: ignore[arg-type]
    assert rounded(corrected, "concentration_index") == [-0.1314, -0.1314]
    cut = without(access, "89a88cdb5cfffff")
    standard = ind.concentration_index(cut, **kw)  # type: ignore[arg-type]
    assert rounded(standard, "concentration_index") == [-0.0248, -0.1148]
    corrected = ind.concentration_index(cut, kind="corrected", **kw)  # type: ignore[arg-type]
    assert rounded(corrected, "concentration_index") == [-0.1314, -0.8282]
    rows = joined(cut, land_use, "transit2")
    x, w = rows["jobs_acc"].to_numpy(float), rows["population"].to_numpy(float)
    # the hexagon without inhabitants has no income: it weighs nothing, whatever its rank
    income = rows["income_per_capita"].fillna(0).to_numpy(float)
    expected = concentration_by_covariance(x, w, income)
    assert standard["concentration_index"].iloc[1] == pytest.approx(expected, abs=1e-12)
    erreygers = expected * 4 * (w * x).sum() / w.sum() / (x.max() - x.min())
    assert corrected["concentration_index"].iloc[1] == pytest.approx(erreygers, abs=1e-12)


def test_fgt_poverty_as_ipea(travel_matrix: pd.DataFrame, land_use: pd.DataFrame) -> None:
    """tests/testthat/test-fgt_poverty.R, "poverty levels are correctly calculated"."""
    access = ipea_access(travel_matrix, land_use, SELECTED)
    kw = {"demand": land_use, "column": "jobs", "group_by": ["mode"]}
    out = ind.fgt_poverty(access, poverty_line=10000, **kw)  # type: ignore[arg-type]
    assert list(out.columns) == ["mode", "fgt0", "fgt1", "fgt2"]
    assert out[["fgt0", "fgt1", "fgt2"]].to_numpy().tolist() == [[0, 0, 0], [0, 0, 0]]
    out = ind.fgt_poverty(access, poverty_line=100000, **kw)  # type: ignore[arg-type]
    assert out["fgt0"].tolist() == [1, 1]
    assert rounded(out, "fgt1") == [0.5588, 0.5588]
    assert rounded(out, "fgt2") == [0.3256, 0.3256]
    cut = without(access, "89a88cdb5cfffff")
    out = ind.fgt_poverty(cut, poverty_line=100000, **kw)  # type: ignore[arg-type]
    assert out["fgt0"].tolist() == [1, 1]
    assert rounded(out, "fgt1") == [0.5588, 0.6367]
    assert rounded(out, "fgt2") == [0.3256, 0.4129]
    rows = joined(cut, land_use, "transit2")
    gap = (100000 - rows["jobs_acc"]) / 100000
    w = rows["population"]
    assert out["fgt1"].iloc[1] == pytest.approx((w * gap).sum() / w.sum(), abs=1e-12)
    assert out["fgt2"].iloc[1] == pytest.approx((w * gap**2).sum() / w.sum(), abs=1e-12)


@pytest.mark.parametrize("extra", ["opportunity", "group_by"])
def test_inequality_ignores_stray_columns_as_ipea(
    travel_matrix: pd.DataFrame, land_use: pd.DataFrame, extra: str
) -> None:
    """ "works even if access_data and sociodem_data has specific colnames" (every test file);
    "input data sets remain unchanged"."""
    access = ipea_access(travel_matrix, land_use, ["89a88cdb57bffff", "89a88cdb5b3ffff"])
    before, land_before = access.copy(), land_use.copy()
    expected = ind.gini_index(access, demand=land_use, column="jobs", group_by=["mode"])
    odd = access.assign(**{extra: "oi"})
    pd.testing.assert_frame_equal(
        ind.gini_index(odd, demand=land_use, column="jobs", group_by=["mode"]), expected
    )
    renamed = land_use.assign(population_temp=land_use["population"], population=1)
    pd.testing.assert_frame_equal(
        ind.gini_index(access, demand=renamed, column="jobs", population="population_temp",
                       group_by=["mode"]),
        expected,
    )  # fmt: skip
    pd.testing.assert_frame_equal(access, before)
    pd.testing.assert_frame_equal(land_use, land_before)


def test_inequality_structure_without_groups_and_when_empty(
    travel_matrix: pd.DataFrame, land_use: pd.DataFrame
) -> None:
    """ "result has correct structure" (test-gini_index.R, test-concentration_index.R...)."""
    access = ipea_access(travel_matrix, land_use, SELECTED)
    one = access[access["mode"] == "transit"].drop(columns="mode")
    assert list(ind.gini_index(one, demand=land_use, column="jobs").columns) == ["gini_index"]
    empty = access.iloc[0:0]
    for kind in ("standard", "corrected"):
        out = ind.concentration_index(
            empty,
            demand=land_use,
            column="jobs",
            income="income_per_capita",
            kind=kind,
            group_by=["mode"],
        )
        assert out.empty
        assert list(out.columns) == ["mode", "concentration_index"]
    out = ind.fgt_poverty(empty.drop(columns="mode"), demand=land_use, column="jobs",
                          poverty_line=1.0)  # fmt: skip
    assert out.empty
    assert list(out.columns) == ["fgt0", "fgt1", "fgt2"]
    theil = ind.theil_t(empty, demand=land_use.dropna(), column="jobs",
                        socioeconomic_groups="income_decile", group_by=["mode"])  # fmt: skip
    assert isinstance(theil, ind.TheilDecomposition)
    assert theil.summary.empty
    assert theil.within_group.empty
    assert theil.between_group.empty


# --- constrained: test-constrained-essentials.R -------------------------------------------------


def tm_3x3() -> pd.DataFrame:
    """``make_tm_3x3()``: expand.grid(from_id, to_id), from_id varying fastest."""
    times = [10, 30, 15, 30, 10, 25, 15, 25, 10]
    pairs = [(o, d) for d in "123" for o in "123"]
    return pd.DataFrame([(o, d, float(t)) for (o, d), t in zip(pairs, times, strict=True)],
                        columns=["origin_id", "dest_id", "minutes"])  # fmt: skip


def land(population: Sequence[float], jobs: Sequence[float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    demand = pd.DataFrame({"id": ["1", "2", "3"], "population": population})
    supply = pd.DataFrame({"site_id": ["1", "2", "3"], "jobs": jobs})
    return demand, supply


LU_LARGE = ([4, 10, 6], [160, 150, 180])  # make_lu_large()
LU_MATCH20 = ([4, 10, 6], [7, 5, 8])  # make_lu_match20()


@pytest.mark.parametrize("detailed", [True, False])
def test_total_constrained_preserves_totals_as_ipea(detailed: bool) -> None:
    """test-constrained-essentials.R, "total-constrained: preserves totals on supply/demand"."""
    demand, supply = land(*LU_LARGE)
    kw = {"demand": demand, "supply": supply, "supply_col": "jobs", "detailed": detailed,
          "weights": ind.exponential_decay(rate=0.1)}  # fmt: skip
    active = ind.total_constrained(tm_3x3(), active=True, **kw)  # type: ignore[arg-type]
    passive = ind.total_constrained(tm_3x3(), active=False, **kw)  # type: ignore[arg-type]
    assert active["access"].sum() == pytest.approx(490, abs=1e-9)
    assert passive["access"].sum() == pytest.approx(20, abs=1e-9)
    if detailed:
        assert len(active) == 9
        assert active["kappa"].sum() == pytest.approx(1, abs=1e-12)


def test_singly_constrained_preserves_totals_and_kappa_as_ipea() -> None:
    """test-constrained-essentials.R, "singly-constrained: preserves totals and kappa"."""
    demand, supply = land(*LU_LARGE)
    kw = {"demand": demand, "supply": supply, "supply_col": "jobs",
          "weights": ind.exponential_decay(rate=0.1)}  # fmt: skip
    det_supply = ind.singly_constrained(tm_3x3(), active=True, detailed=True, **kw)  # type: ignore[arg-type]
    agg_supply = ind.singly_constrained(tm_3x3(), active=True, **kw)  # type: ignore[arg-type]
    det_demand = ind.singly_constrained(tm_3x3(), active=False, detailed=True, **kw)  # type: ignore[arg-type]
    agg_demand = ind.singly_constrained(tm_3x3(), active=False, **kw)  # type: ignore[arg-type]
    assert det_supply["access"].sum() == pytest.approx(490, abs=1e-9)
    assert agg_supply["access"].sum() == pytest.approx(490, abs=1e-9)
    assert det_demand["access"].sum() == pytest.approx(20, abs=1e-9)
    assert agg_demand["access"].sum() == pytest.approx(20, abs=1e-9)
    np.testing.assert_allclose(det_supply.groupby("dest_id")["kappa"].sum(), 1, atol=1e-8)
    np.testing.assert_allclose(det_demand.groupby("origin_id")["kappa"].sum(), 1, atol=1e-8)
    assert det_supply["kappa"].sum() == pytest.approx(3)
    assert det_demand["kappa"].sum() == pytest.approx(3)


def test_singly_constrained_is_spatial_availability_and_a_2sfca() -> None:
    """Active singly constrained = spatial availability (alpha 1) = 2SFCA times population."""
    demand, supply = land(*LU_LARGE)
    decay = ind.exponential_decay(rate=0.1)
    singly = ind.singly_constrained(tm_3x3(), demand=demand, supply=supply, supply_col="jobs",
                                    weights=decay)  # fmt: skip
    availability = ind.spatial_availability(tm_3x3(), demand=demand, supply=supply,
                                            supply_col="jobs", weights=decay)  # fmt: skip
    fca = ind.floating_catchment(tm_3x3(), demand=demand, supply=supply, supply_col="jobs",
                                 weights=decay)  # fmt: skip
    np.testing.assert_allclose(singly["access"], availability["access"], rtol=1e-12)
    np.testing.assert_allclose(singly["access"], fca["access"] * demand["population"], rtol=1e-12)


def test_doubly_constrained_refuses_unequal_totals_as_ipea() -> None:
    """test-constrained-essentials.R, "doubly-constrained: errors when totals mismatch"."""
    demand, supply = land(LU_MATCH20[0], [7, 5, 9])
    with pytest.raises(ValidationError) as err:
        ind.doubly_constrained(tm_3x3(), demand=demand, supply=supply, supply_col="jobs",
                               weights=ind.exponential_decay(rate=0.1))  # fmt: skip
    assert_code(err, "measures.doubly_totals")


def test_doubly_constrained_flows_match_marginals_as_ipea() -> None:
    """test-constrained-essentials.R, "doubly-constrained: OD flows match marginals" (1e-3)."""
    demand, supply = land(*LU_MATCH20)
    kw = {"demand": demand, "supply": supply, "supply_col": "jobs",
          "weights": ind.power_decay(exponent=3)}  # fmt: skip
    fit = ind.doubly_constrained(tm_3x3(), **kw)  # type: ignore[arg-type]
    by_origin = fit.flows.groupby("origin_id")["flow"].sum()
    by_dest = fit.flows.groupby("dest_id")["flow"].sum()
    np.testing.assert_allclose(by_origin.to_numpy(), LU_MATCH20[0], rtol=1e-3)
    np.testing.assert_allclose(by_dest.to_numpy(), LU_MATCH20[1], rtol=1e-3)
    assert fit.stop == "converged"
    assert fit.error < 1e-3
    # tighter thresholds: the fitting converges to the marginals
    tight = ind.doubly_constrained(tm_3x3(), error_threshold=1e-12, improvement_threshold=0, **kw)  # type: ignore[arg-type]
    np.testing.assert_allclose(tight.flows.groupby("origin_id")["flow"].sum(), LU_MATCH20[0],
                               rtol=1e-9)  # fmt: skip
    np.testing.assert_allclose(tight.flows.groupby("dest_id")["flow"].sum(), LU_MATCH20[1],
                               rtol=1e-9)  # fmt: skip
    # kappa: the share of each site's supply going to each origin
    np.testing.assert_allclose(tight.flows.groupby("dest_id")["kappa"].sum(), 1, rtol=1e-9)


@pytest.mark.parametrize(
    "option", [{"error_threshold": -1}, {"max_iterations": 0}, {"max_iterations": 2.5}]
)
def test_doubly_constrained_refuses_bad_fitting_options(option: dict[str, float]) -> None:
    demand, supply = land(*LU_MATCH20)
    with pytest.raises(ValidationError) as err:
        ind.doubly_constrained(tm_3x3(), demand=demand, supply=supply, supply_col="jobs",
                               weights=ind.power_decay(exponent=3), **option)  # type: ignore[arg-type]  # fmt: skip
    assert_code(err, "measures.fitting_option")


# --- edge cases -----------------------------------------------------------------------------------

PLACES = pd.DataFrame({"id": ["a", "b", "c", "d"], "population": [100, 50, 0, 25],
                       "income": [900.0, 1500.0, math.nan, 1500.0]})  # fmt: skip


def access_of(values: list[float], ids: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame({"id": ids or ["a", "b", "c", "d"][: len(values)], "access": values})


def test_zero_incomes_and_equal_incomes() -> None:
    poor = PLACES.assign(income=0.0)
    # every income is 0: everyone is among the poorest 40 %, nobody above the 90th percentile
    assert math.isnan(ind.palma_ratio(access_of([1, 2, 3, 4]), demand=poor)["palma_ratio"][0])
    # equal incomes share one rank: no income gradient at all, whatever the values
    out = ind.concentration_index(access_of([1, 9, 3, 4]), demand=poor)
    assert out["concentration_index"][0] == pytest.approx(0.0, abs=1e-15)


def test_ties_do_not_depend_on_row_order() -> None:
    values = access_of([2.0, 5.0, 5.0, 2.0])
    shuffled = values.iloc[[2, 0, 3, 1]]
    for fn in (ind.gini_index, ind.concentration_index, ind.palma_ratio):
        first = fn(values, demand=PLACES)
        second = fn(shuffled, demand=PLACES)
        np.testing.assert_allclose(first.to_numpy(float), second.to_numpy(float), atol=1e-15)
    # b and d tie on income (1500): they share one fractional rank
    gradient = ind.concentration_index(access_of([1.0, 4.0, 0.0, 4.0]), demand=PLACES)
    assert gradient["concentration_index"][0] > 0


def test_empty_groups_and_groups_without_people() -> None:
    grouped = pd.DataFrame({"id": ["a", "c", "b"], "access": [1.0, 2.0, 3.0],
                            "scenario": ["s1", "s2", "s1"]})  # fmt: skip
    out = ind.gini_index(grouped, demand=PLACES, group_by=["scenario"])
    assert out["scenario"].tolist() == ["s1", "s2"]
    assert math.isnan(out["gini_index"][1])  # s2 holds only a place without inhabitants
    fgt = ind.fgt_poverty(grouped, demand=PLACES, poverty_line=2.0, group_by="scenario")
    assert fgt["fgt0"][0] == pytest.approx(100 / 150)
    assert math.isnan(fgt["fgt0"][1])
    # nothing below a zero poverty line
    zero = ind.fgt_poverty(grouped, demand=PLACES, poverty_line=0.0, group_by=["scenario"])
    assert zero["fgt0"][0] == 0.0
    # no accessibility at all: Gini, Theil and the concentration index are undefined
    nothing = access_of([0.0, 0.0])
    assert math.isnan(ind.gini_index(nothing, demand=PLACES)["gini_index"][0])
    theil = ind.theil_t(nothing, demand=PLACES)
    assert isinstance(theil, pd.DataFrame)
    assert math.isnan(theil["theil_t"][0])
    assert math.isnan(ind.concentration_index(nothing, demand=PLACES)["concentration_index"][0])


def test_theil_counts_places_without_access() -> None:
    out = ind.theil_t(access_of([0.0, 4.0]), demand=PLACES)
    assert isinstance(out, pd.DataFrame)
    # 0 ln 0 = 0: a third of the people hold everything, T = ln(3)
    assert out["theil_t"][0] == pytest.approx(math.log(3), abs=1e-12)


@pytest.mark.parametrize(
    ("access", "demand", "code", "field"),
    [
        (access_of([1.0, math.nan]), PLACES, "measures.invalid_counts", "access.access"),
        (access_of([1.0, -2.0]), PLACES, "measures.invalid_counts", "access.access"),
        (access_of([1.0, math.inf]), PLACES, "measures.invalid_counts", "access.access"),
        (access_of([1.0]), PLACES.assign(population=[math.nan, 1, 1, 1]),
         "measures.invalid_counts", "demand.population"),
        (access_of([1.0]), PLACES.assign(income=[math.nan, 1, 1, 1]),
         "measures.invalid_values", "demand.income"),
        (access_of([1.0], ids=["zz"]), PLACES, "measures.unknown_ids", "access.id"),
        (access_of([1.0, 2.0], ids=["a", "a"]), PLACES, "measures.duplicate_ids", "access.id"),
        (access_of([1.0]).drop(columns="access"), PLACES, "measures.missing_columns",
         "access.access"),
        (access_of([1.0]), PLACES.drop(columns="income"), "measures.missing_columns",
         "demand.income"),
    ],
)  # fmt: skip
def test_bad_inputs_are_refused_with_a_catalogued_error(
    access: pd.DataFrame, demand: pd.DataFrame, code: str, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        ind.palma_ratio(access, demand=demand)
    assert_code(err, code)
    assert err.value.field == field


def test_missing_income_is_accepted_where_nobody_lives() -> None:
    """IPEA's data leave the income of empty hexagons missing; they weigh nothing."""
    out = ind.concentration_index(access_of([1.0, 2.0, 50.0, 3.0]), demand=PLACES)
    assert math.isfinite(out["concentration_index"][0])


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: ind.gini_index(access_of([1.0]), demand=PLACES, group_by=["id"]),
         "measures.group_by"),
        (lambda: ind.gini_index(access_of([1.0]), demand=PLACES, group_by=["g", "g"]),
         "measures.group_by"),
        (lambda: ind.gini_index([1.0], demand=PLACES), "measures.not_a_table"),  # type: ignore[arg-type]
        (lambda: ind.concentration_index(access_of([1.0]), demand=PLACES, kind="other"),  # type: ignore[arg-type]
         "measures.concentration_kind"),
        (lambda: ind.fgt_poverty(access_of([1.0]), demand=PLACES, poverty_line=-1),
         "measures.poverty_line"),
        (lambda: ind.fgt_poverty(access_of([1.0]), demand=PLACES, poverty_line=math.nan),
         "measures.poverty_line"),
        (lambda: ind.gini_index(access_of([1.0]),
                                demand=pd.concat([PLACES, PLACES.iloc[[0]]])),
         "measures.duplicate_ids"),
    ],
)  # fmt: skip
def test_bad_options_are_refused_with_a_catalogued_error(call: object, code: str) -> None:
    with pytest.raises(ValidationError) as err:
        call()  # type: ignore[operator]
    assert_code(err, code)


# --- one unit for the FCA family, and the registry ------------------------------------------------


def small_inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    od = tm_3x3()
    demand = pd.DataFrame({"id": ["1", "2", "3"], "population": [400.0, 1000.0, 60.0],
                           "income": [1200.0, 900.0, 2000.0]})  # fmt: skip
    supply = pd.DataFrame({"site_id": ["1", "2", "3"], "capacity": [1.0, 2.0, 0.5]})
    return od, demand, supply


@pytest.mark.parametrize("name", ["2sfca", "e2sfca", "bfca", "3sfca"])
def test_fca_unit_is_per_inhabitant_with_an_explicit_per(name: str) -> None:
    od, demand, supply = small_inputs()
    per_inhabitant = ind.compute_measure(name, od, demand=demand, supply=supply, per=1.0)
    labelled = ind.compute_measure(name, od, demand=demand, supply=supply)  # per 1,000
    np.testing.assert_allclose(labelled["value"], per_inhabitant["value"] * 1000, rtol=1e-12)
    if name == "2sfca":
        direct = ind.floating_catchment(od, demand=demand, supply=supply,
                                        weights=ind.binary_weights(30.0))  # fmt: skip
        np.testing.assert_allclose(per_inhabitant["value"], direct["access"], rtol=1e-12)
        scaled = ind.floating_catchment(od, demand=demand, supply=supply,
                                        weights=ind.binary_weights(30.0), per=1000)  # fmt: skip
        np.testing.assert_allclose(labelled["value"], scaled["access"], rtol=1e-12)


@pytest.mark.parametrize(
    "name", ["gravity_linear", "gravity_power", "gravity_logistic", "total_constrained"]
)
def test_new_registry_measures_run(name: str) -> None:
    od, demand, supply = small_inputs()
    out = ind.compute_measure(name, od, demand=demand, supply=supply)
    assert out["id"].tolist() == ["1", "2", "3"]
    assert bool((out["value"] > 0).all())
    assert ind.MEASURES[name].higher_is_better


def test_registry_gravity_decays_match_the_functions() -> None:
    od, demand, supply = small_inputs()
    out = ind.compute_measure("gravity_linear", od, demand=demand, supply=supply, cutoff=20.0)
    direct = ind.gravity_access(od, opportunities=supply.rename(columns={"site_id": "id",
                                "capacity": "opportunities"}),
                                weights=ind.linear_decay(cutoff=20.0))  # fmt: skip
    np.testing.assert_allclose(out["value"], direct["access"], rtol=1e-12)
    # total constrained per 1,000 inhabitants shares exactly the supply present
    total = ind.compute_measure("total_constrained", od, demand=demand, supply=supply, per=1.0)
    assert (total["value"] * demand["population"]).sum() == pytest.approx(3.5, abs=1e-12)


@pytest.mark.parametrize("name", sorted(ind.SUMMARIES))
def test_summaries_run_on_a_measure(name: str) -> None:
    od, demand, supply = small_inputs()
    values = ind.compute_measure("2sfca", od, demand=demand, supply=supply)
    options = {"poverty_line": 1.0} if name == "fgt" else {}
    out = ind.summarise(name, values, demand=demand, **options)
    assert len(out) == 1
    assert bool(np.isfinite(out.to_numpy(float)).all())


def test_summaries_refuse_unknown_names_and_options() -> None:
    od, demand, supply = small_inputs()
    values = ind.compute_measure("2sfca", od, demand=demand, supply=supply)
    with pytest.raises(ValidationError) as err:
        ind.summarise("atkinson", values, demand=demand)
    assert_code(err, "measures.unknown_summary")
    with pytest.raises(ValidationError) as err:
        ind.summarise("gini", values, demand=demand, epsilon=1.0)
    assert_code(err, "measures.unknown_options")
    with pytest.raises(ValidationError) as err:  # the poverty line has no default
        ind.summarise("fgt", values, demand=demand)
    assert_code(err, "measures.poverty_line")
