"""Vectorised floating catchment (numpy.bincount) against pandas groupby baselines.

The 2SFCA baseline follows the IPEA ``accessibility`` implementation (data.table ``by`` groups),
written with pandas ``groupby().transform``: the way most Python code computes 2SFCA. The 3SFCA
baseline follows PySAL ``access`` ``three_stage_fca`` (merge, groupby, merge). Both sides run in
this process on the same random sparse travel-time tables; the script checks they agree and
prints the times and the ratio.

Run: ``.venv/bin/python benchmarks/bench_indicators.py``
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from accessmap import indicators as ind


def instance(n_origins: int, n_sites: int, density: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    pairs = int(n_origins * n_sites * density)
    code = rng.choice(n_origins * n_sites, size=pairs, replace=False)
    od = pd.DataFrame(
        {
            "origin_id": (code // n_sites).astype(str),
            "dest_id": "s" + (code % n_sites).astype(str),
            "minutes": rng.uniform(0, 40, size=pairs),
            "method": "osm",
        }
    )
    demand = pd.DataFrame(
        {"id": np.arange(n_origins).astype(str), "population": rng.integers(1, 5000, n_origins)}
    )
    supply = pd.DataFrame(
        {"site_id": "s" + np.arange(n_sites).astype(str), "capacity": rng.integers(0, 30, n_sites)}
    )
    return od, demand, supply


def pandas_2sfca(od, demand, supply, weights):
    data = od.merge(demand, left_on="origin_id", right_on="id").merge(
        supply, left_on="dest_id", right_on="site_id"
    )
    data["w"] = weights(data["minutes"].to_numpy())
    data["pw"] = data["population"] * data["w"]
    data["served"] = data.groupby("dest_id")["pw"].transform("sum")
    data["ratio"] = np.where(data["served"] > 0, data["capacity"] / data["served"], 0.0)
    data["rw"] = data["ratio"] * data["w"]
    access = data.groupby("origin_id")["rw"].sum()
    return access.reindex(demand["id"], fill_value=0.0).to_numpy()


def pandas_3sfca(od, demand, supply, weights):
    data = od.assign(w=weights(od["minutes"].to_numpy()))
    data["g"] = data["w"] / data.groupby("origin_id")["w"].transform("sum")
    data = data.merge(demand, left_on="origin_id", right_on="id").merge(
        supply, left_on="dest_id", right_on="site_id"
    )
    data["gw"] = data["g"].fillna(0.0) * data["w"]
    data["served"] = (data["population"] * data["gw"]).groupby(data["dest_id"]).transform("sum")
    data["ratio"] = np.where(data["served"] > 0, data["capacity"] / data["served"], 0.0)
    access = (data["ratio"] * data["gw"]).groupby(data["origin_id"]).sum()
    return access.reindex(demand["id"], fill_value=0.0).to_numpy()


def best_of(fn, repeat=5):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    weights = ind.step_weights(ind.LUO_QI_BANDS)
    for n_o, n_s, density in [(600, 200, 0.5), (5000, 1500, 0.05), (35000, 6000, 0.002)]:
        od, demand, supply = instance(n_o, n_s, density)
        t_vec, ours = best_of(
            lambda od=od, demand=demand, supply=supply: ind.floating_catchment(
                od, demand=demand, supply=supply, weights=weights
            )
        )
        t_pd, theirs = best_of(
            lambda od=od, demand=demand, supply=supply: pandas_2sfca(od, demand, supply, weights)
        )
        np.testing.assert_allclose(ours["access"].to_numpy(), theirs, rtol=1e-9, atol=1e-12)
        print(
            f"{n_o:>6} origins x {n_s:>5} sites, {len(od):>8} pairs: "
            f"accessmap {t_vec * 1000:8.1f} ms, pandas groupby {t_pd * 1000:8.1f} ms, "
            f"ratio {t_pd / t_vec:5.2f}x"
        )


def main_3sfca() -> None:
    weights = ind.step_weights(ind.LUO_QI_BANDS)
    for n_o, n_s, density in [(600, 200, 0.5), (5000, 1500, 0.05)]:
        od, demand, supply = instance(n_o, n_s, density)
        t_vec, ours = best_of(
            lambda od=od, demand=demand, supply=supply: ind.three_step_fca(
                od, demand=demand, supply=supply, weights=weights
            ),
            repeat=3,
        )
        t_pd, theirs = best_of(
            lambda od=od, demand=demand, supply=supply: pandas_3sfca(od, demand, supply, weights),
            repeat=3,
        )
        np.testing.assert_allclose(ours["access"].to_numpy(), theirs, rtol=1e-9, atol=1e-12)
        print(
            f"3SFCA {n_o:>5} origins x {n_s:>5} sites, {len(od):>7} pairs: "
            f"accessmap {t_vec * 1000:8.1f} ms, pandas (PySAL-style) {t_pd * 1000:8.1f} ms, "
            f"ratio {t_pd / t_vec:5.2f}x"
        )


if __name__ == "__main__":
    main()
    main_3sfca()
