"""Lighter ways of computing the same numbers give exactly the same numbers."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from accessmap.indicators.drees import _spearman

outlook_module = importlib.import_module("accessmap.workforce.outlook")


@pytest.mark.parametrize("seed", range(40))
def test_spearman_is_scipy_spearmanr_to_the_last_bit(seed: int) -> None:
    from scipy import stats

    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 400))
    a = pd.Series(np.round(rng.gamma(2.0, 2.0, n), int(rng.integers(0, 3))))  # ties
    b = pd.Series(np.round(a * rng.normal(1.0, 0.5, n), int(rng.integers(0, 3))))
    a[rng.random(n) < 0.1] = np.nan
    ok = a.notna() & b.notna()
    if int(ok.sum()) < 3 or a[ok].nunique() < 2 or b[ok].nunique() < 2:
        assert np.isnan(_spearman(a, b))
        return
    assert _spearman(a, b) == float(stats.spearmanr(a[ok], b[ok]).statistic)


@pytest.mark.parametrize("shape", [(1000, 11, 700), (300, 11, 7, 3), (5, 3), (1000, 11, 1), (50,)])
def test_quantiles_block_by_block_are_numpy_quantiles(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(len(shape))
    values = rng.gamma(2.0, 2.0, shape).astype(np.float32)
    values[values < 0.5] = 0.0  # many ties at zero, as for communes losing their last GP
    strided = np.moveaxis(np.ascontiguousarray(np.moveaxis(values, -1, 0)), 0, -1)
    for array in (values, strided):
        mean, q = outlook_module._summary(array, monte_carlo=True)
        expected = np.quantile(
            np.asarray(array, dtype=np.float64), outlook_module.QUANTILES, axis=0
        )
        assert q.shape == expected.shape
        assert np.array_equal(q, expected)
        assert np.array_equal(mean, array.mean(axis=0))
