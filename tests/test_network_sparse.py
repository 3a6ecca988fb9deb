"""Sparse travel times (``horizon``), nearest searches, identical points and road islands.

The sparse tables must hold exactly the pairs of the dense table that are under the horizon, with
the same minutes; the nearest search must agree with the dense table's row minimum. Identical
points (same id, or same coordinates) are 0 minutes apart whatever the network.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accessmap.network import (
    RoadNetwork,
    build_network,
    crowfly_times,
    network_from_frames,
    snap_points,
    travel_times,
    traveltimes_key,
)
from accessmap.sources.osm import read_osm_graph
from osm_fixtures import NODES, write_osm

# --- helpers -------------------------------------------------------------------------------------


def grid_network(seed: int, side: int = 12, *, keep_largest: bool = True) -> RoadNetwork:
    """A jittered grid (about 1 km spacing) with random one-way and missing streets."""
    rng = np.random.default_rng(seed)
    n = side * side
    lon = 1.9 + 0.013 * (np.arange(n) % side) + rng.uniform(-0.002, 0.002, n)
    lat = 45.6 + 0.009 * (np.arange(n) // side) + rng.uniform(-0.002, 0.002, n)
    nodes = pd.DataFrame({"node_id": np.arange(n) + 1000, "lon": lon, "lat": lat})
    u, v = [], []
    for i in range(n):
        for j in (i + 1 if (i + 1) % side else -1, i + side if i + side < n else -1):
            if j < 0 or rng.random() < 0.1:
                continue
            u.append(i)
            v.append(j)
            if rng.random() > 0.1:
                u.append(j)
                v.append(i)
    minutes = rng.uniform(0.5, 3.0, len(u))
    edges = pd.DataFrame({"u": np.array(u) + 1000, "v": np.array(v) + 1000, "minutes": minutes})
    return network_from_frames(nodes, edges, keep_largest=keep_largest)


def random_points(seed: int, n: int, prefix: str) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "id": [f"{prefix}{k}" for k in range(n)],
            "lon": 1.9 + rng.uniform(0, 0.013 * 12, n),
            "lat": 45.6 + rng.uniform(0, 0.009 * 12, n),
        }
    )


def filtered(dense: pd.DataFrame, horizon: float) -> pd.DataFrame:
    kept = dense.loc[dense["minutes"] < horizon]
    return kept.sort_values(["origin_id", "dest_id"]).reset_index(drop=True)


def assert_same_pairs(sparse: pd.DataFrame, expected: pd.DataFrame) -> None:
    got = sparse.sort_values(["origin_id", "dest_id"]).reset_index(drop=True)
    assert list(got.columns) == ["origin_id", "dest_id", "minutes", "method"]
    assert got["origin_id"].tolist() == expected["origin_id"].tolist()
    assert got["dest_id"].tolist() == expected["dest_id"].tolist()
    np.testing.assert_allclose(got["minutes"], expected["minutes"], rtol=0, atol=1e-9)


# --- sparse == dense filtered --------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("horizon", [6.0, 12.0, 25.0])
@pytest.mark.parametrize(("n_o", "n_d"), [(30, 8), (6, 25)])
def test_road_sparse_equals_dense_filtered(seed: int, horizon: float, n_o: int, n_d: int) -> None:
    network = grid_network(seed, keep_largest=seed != 3)
    origins = random_points(seed, n_o, "o")
    dests = random_points(seed + 100, n_d, "d")
    dense = travel_times(network, origins, dests).table
    sparse = travel_times(network, origins, dests, horizon=horizon)
    expected = filtered(dense, horizon)
    assert 0 < len(expected) < len(dense)
    assert_same_pairs(sparse.table, expected)
    assert sparse.unreachable.empty
    assert sparse.parameters["horizon"] == horizon


def test_sparse_table_is_origin_major_and_pairs_match_the_table() -> None:
    network = grid_network(4)
    origins, dests = random_points(4, 20, "o"), random_points(5, 10, "d")
    result = travel_times(network, origins, dests, horizon=10.0)
    pairs = result.pairs
    assert pairs is not None
    assert (np.diff(pairs.origin) >= 0).all()
    assert pairs.origins[pairs.origin].tolist() == result.table["origin_id"].tolist()
    assert pairs.dests[pairs.dest].tolist() == result.table["dest_id"].tolist()
    np.testing.assert_array_equal(pairs.minutes, result.table["minutes"].to_numpy())


def test_horizon_and_cutoff_together_keep_the_tighter() -> None:
    network = grid_network(6)
    origins, dests = random_points(6, 15, "o"), random_points(7, 15, "d")
    dense = travel_times(network, origins, dests).table
    both = travel_times(network, origins, dests, horizon=12.0, cutoff=6.0).table
    assert_same_pairs(both, filtered(dense, 6.0))


@pytest.mark.parametrize("seed", [11, 12])
@pytest.mark.parametrize("horizon", [2.0, 10.0, 40.0])
def test_crowfly_sparse_equals_dense_filtered(seed: int, horizon: float) -> None:
    origins, dests = random_points(seed, 60, "o"), random_points(seed + 1, 40, "d")
    dense = crowfly_times(origins, dests).table
    sparse = crowfly_times(origins, dests, horizon=horizon)
    assert_same_pairs(sparse.table, filtered(dense, horizon))
    assert (sparse.table["method"] == "crowfly").all()


def test_crowfly_sparse_over_france_scale_distances() -> None:
    rng = np.random.default_rng(9)
    pts = pd.DataFrame(
        {
            "id": [f"p{k}" for k in range(300)],
            "lon": rng.uniform(-4.5, 8.0, 300),
            "lat": rng.uniform(42.5, 51.0, 300),
        }
    )
    dense = crowfly_times(pts, pts).table
    sparse = crowfly_times(pts, pts, horizon=60.0).table
    assert_same_pairs(sparse, filtered(dense, 60.0))


@pytest.mark.parametrize("limit", [None, 4.0])
def test_nearest_equals_the_dense_row_minimum(limit: float | None) -> None:
    network = grid_network(8)
    origins, dests = random_points(8, 40, "o"), random_points(9, 12, "d")
    dense = travel_times(network, origins, dests).table
    best = dense.loc[dense.groupby("origin_id", sort=False)["minutes"].idxmin()]
    for kwargs in ({"cutoff": limit}, {"horizon": limit}):
        nearest = travel_times(network, origins, dests, min_only=True, **kwargs).table
        expected = best["minutes"].to_numpy()
        if limit is not None:
            expected = np.where(expected < limit, expected, np.inf)
        np.testing.assert_allclose(nearest["minutes"], expected, rtol=0, atol=1e-9)
        assert nearest["origin_id"].tolist() == origins["id"].tolist()


def test_crowfly_nearest_equals_dense_argmin_with_ties() -> None:
    origins = random_points(21, 50, "o")
    dests = random_points(22, 20, "d")
    # two sites at the same place: the dense argmin keeps the first, so must the KD-tree
    dests = pd.concat([dests, dests.iloc[[3]].assign(id="d3bis")], ignore_index=True)
    dense = crowfly_times(origins, dests).table
    best = dense.loc[dense.groupby("origin_id", sort=False)["minutes"].idxmin()]
    nearest = crowfly_times(origins, dests, min_only=True).table
    assert nearest["dest_id"].tolist() == best["dest_id"].tolist()
    np.testing.assert_allclose(nearest["minutes"], best["minutes"], rtol=0, atol=1e-12)
    limited = crowfly_times(origins, dests, min_only=True, horizon=3.0).table
    beyond = best["minutes"].to_numpy() >= 3.0
    assert np.isinf(limited["minutes"].to_numpy()[beyond]).all()
    assert limited["dest_id"].isna().to_numpy()[beyond].all()


def test_horizon_must_be_positive() -> None:
    from accessmap.errors import ValidationError

    pts = random_points(1, 3, "p")
    with pytest.raises(ValidationError) as info:
        crowfly_times(pts, pts, horizon=0.0)
    assert (info.value.code, info.value.field) == ("network.not_positive", "horizon")
    with pytest.raises(ValidationError) as info:
        travel_times(grid_network(1), pts, pts, horizon=-5.0)
    assert (info.value.code, info.value.field) == ("network.not_positive", "horizon")
    assert info.value.params["value"] == -5.0


def test_traveltimes_key_covers_the_horizon() -> None:
    pts = random_points(1, 3, "p")
    assert traveltimes_key(pts, pts) != traveltimes_key(pts, pts, horizon=20.0)
    assert traveltimes_key(pts, pts, horizon=20.0) != traveltimes_key(pts, pts, horizon=40.0)


# --- identical points ----------------------------------------------------------------------------


def line_network() -> RoadNetwork:
    lons = [1.9 + 0.0128 * i for i in range(5)]
    nodes = pd.DataFrame({"node_id": range(5), "lon": lons, "lat": [45.6] * 5})
    u = [0, 1, 2, 3, 1, 2, 3, 4]
    v = [1, 2, 3, 4, 0, 1, 2, 3]
    return network_from_frames(nodes, pd.DataFrame({"u": u, "v": v, "minutes": [2.0] * 8}))


def test_a_point_off_the_road_is_zero_minutes_from_itself() -> None:
    network = line_network()
    # 500 m north of node 0: two connector legs would make 4.0 minutes
    point = pd.DataFrame({"id": ["19031"], "lon": [network.lon[0]], "lat": [45.6045]})
    assert snap_points(network, point)["connector_minutes"].iloc[0] == pytest.approx(2.0, rel=0.02)
    for kwargs in ({}, {"horizon": 30.0}, {"min_only": True}, {"cutoff": 1.0}):
        table = travel_times(network, point, point, **kwargs).table  # type: ignore[arg-type]
        assert table["minutes"].tolist() == [0.0], kwargs
        assert table["dest_id"].tolist() == ["19031"]


def test_same_id_or_same_coordinates_is_zero_minutes() -> None:
    network = line_network()
    origins = pd.DataFrame(
        {"id": ["a", "b"], "lon": [network.lon[0], network.lon[2]], "lat": [45.6045, 45.605]}
    )
    dests = pd.DataFrame(
        {
            # "a" again (same id, a few metres away: the town hall of the same commune), and a
            # site at b's exact coordinates under another id
            "id": ["a", "site-b", "far"],
            "lon": [network.lon[0] + 0.0001, network.lon[2], network.lon[4]],
            "lat": [45.6046, 45.605, 45.6],
        }
    )
    for method in ("osm", "crowfly"):
        if method == "osm":
            table = travel_times(network, origins, dests).table
        else:
            table = crowfly_times(origins, dests).table
        got = table.set_index(["origin_id", "dest_id"])["minutes"]
        assert got[("a", "a")] == 0.0
        assert got[("b", "site-b")] == 0.0
        assert got[("a", "far")] > 0
    nearest = travel_times(network, origins, dests, min_only=True).table
    assert nearest["dest_id"].tolist() == ["a", "site-b"]
    assert nearest["minutes"].tolist() == [0.0, 0.0]
    sparse = crowfly_times(origins, dests, horizon=0.5).table
    assert sorted(zip(sparse["origin_id"], sparse["dest_id"], strict=True)) == [
        ("a", "a"),
        ("b", "site-b"),
    ]


# --- road islands --------------------------------------------------------------------------------


def test_a_point_on_a_dropped_island_is_reported_and_zero_from_itself(tmp_path: Path) -> None:
    graph = read_osm_graph(write_osm(tmp_path / "bugeat.osm"), simplify=False)
    network = build_network(graph)
    assert 7 in network.report.dropped_node_ids
    lon7, lat7 = NODES[7]
    lon1, lat1 = NODES[1]
    points = pd.DataFrame(
        {"id": ["island", "main"], "lon": [lon7 + 0.0002, lon1], "lat": [lat7, lat1 + 0.0002]}
    )
    snapped = snap_points(network, points)
    assert snapped["island"].tolist() == [True, False]
    result = travel_times(network, points, points)
    got = result.table.set_index(["origin_id", "dest_id"])["minutes"]
    assert got[("island", "island")] == 0.0
    assert math.isfinite(got[("island", "main")])
    assert got[("island", "main")] > 0
    (note,) = result.notes
    assert note.code == "network.island_points"
    assert (note.params["count"], note.params["points"]) == (1, ["island"])
    assert "îlot" in str(note)
    assert "island" in str(note)
    assert result.snapping.loc[result.snapping["id"] == "island", "island"].all()
    nearest = travel_times(network, points, points, min_only=True).table
    assert nearest["minutes"].tolist() == [0.0, 0.0]


def test_no_island_note_when_every_point_is_on_the_kept_network(tmp_path: Path) -> None:
    network = build_network(read_osm_graph(write_osm(tmp_path / "b.osm"), simplify=False))
    lon1, lat1 = NODES[1]
    points = pd.DataFrame({"id": ["p"], "lon": [lon1], "lat": [lat1]})
    assert travel_times(network, points, points).notes == ()
    assert not snap_points(network, points)["island"].any()


# --- property: random graphs with zero weights, parallel edges, self-loops, islands ---------------


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 40),
    m=st.integers(1, 120),
    horizon=st.floats(0.5, 30.0),
    keep_largest=st.booleans(),
)
def test_sparse_equals_dense_on_random_graphs(
    seed: int, n: int, m: int, horizon: float, keep_largest: bool
) -> None:
    rng = np.random.default_rng(seed)
    nodes = pd.DataFrame(
        {
            "node_id": np.arange(n),
            "lon": 1.9 + rng.uniform(0, 0.1, n),
            "lat": 45.6 + rng.uniform(0, 0.1, n),
        }
    )
    weights = np.where(rng.random(m) < 0.2, 0.0, rng.uniform(0, 8, m))
    edges = pd.DataFrame(
        {"u": rng.integers(0, n, m), "v": rng.integers(0, n, m), "minutes": weights}
    )
    # a two-way street 0 <-> 1 so that the largest strongly connected component has an edge
    street = pd.DataFrame({"u": [0, 1], "v": [1, 0], "minutes": [1.0, 1.0]})
    edges = pd.concat([edges, street, edges.iloc[:1].assign(v=(edges["u"].iloc[0] + 1) % n)])
    network = network_from_frames(nodes, edges, keep_largest=keep_largest)
    k = int(rng.integers(1, 12))
    origins = pd.DataFrame(
        {
            "id": [f"o{i}" for i in range(k)],
            "lon": 1.9 + rng.uniform(0, 0.1, k),
            "lat": 45.6 + rng.uniform(0, 0.1, k),
        }
    )
    dests = origins.sample(frac=1.0, random_state=seed).head(int(rng.integers(1, k + 1)))
    dests = dests.assign(lon=dests["lon"] + rng.choice([0.0, 0.01], len(dests)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = travel_times(network, origins, dests).table
        sparse = travel_times(network, origins, dests, horizon=horizon).table
        nearest = travel_times(network, origins, dests, min_only=True, horizon=horizon).table
    assert_same_pairs(sparse, filtered(dense, horizon))
    best = dense.groupby("origin_id", sort=False)["minutes"].min()
    expected = np.where(best.to_numpy() < horizon, best.to_numpy(), np.inf)
    np.testing.assert_allclose(nearest["minutes"], expected, rtol=0, atol=1e-9)
    same = dense.loc[dense["origin_id"] == dense["dest_id"], "minutes"]
    assert (same == 0.0).all()


def test_appended_rows_are_those_of_a_concat_without_duplicated_pairs():
    from accessmap.inputs.traveltimes import _appended

    rng = np.random.default_rng(2)

    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({
            "origin_id": pd.array([f"o{i}" for i in rng.integers(0, 6, n)], dtype="str"),
            "dest_id": pd.array([f"d{j}" for j in rng.integers(0, 5, n)], dtype="str"),
            "minutes": rng.uniform(0, 90, n),
            "method": "crowfly",
        })  # fmt: skip

    for _ in range(20):
        table = frame(12).drop_duplicates(["origin_id", "dest_id"], ignore_index=True)
        extra = [frame(5), frame(0), frame(7)]
        expected = pd.concat([table, *extra], ignore_index=True).drop_duplicates(
            ["origin_id", "dest_id"]
        )
        got = _appended(table, extra)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))
    assert _appended(table, []) is table


@settings(max_examples=200, deadline=None)
@given(
    pairs=st.sets(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=30),
    same=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=10),
    seed=st.integers(0, 2**16),
)
def test_identical_pairs_added_or_set_to_zero(pairs, same, seed):
    from accessmap.network.tables import with_identical

    rng = np.random.default_rng(seed)
    given_pairs = sorted(pairs)
    origin = np.array([p[0] for p in given_pairs], dtype=np.intp)
    dest = np.array([p[1] for p in given_pairs], dtype=np.intp)
    minutes = rng.uniform(0.5, 60.0, len(given_pairs))
    i = np.array([p[0] for p in same], dtype=np.intp)
    j = np.array([p[1] for p in same], dtype=np.intp)
    o, d, m = with_identical(origin, dest, minutes, (i, j))
    got = {(int(a), int(b)): float(c) for a, b, c in zip(o, d, m, strict=True)}
    assert len(got) == len(o)  # one row per pair
    expected = {p: float(v) for p, v in zip(given_pairs, minutes, strict=True)}
    expected.update(dict.fromkeys(same, 0.0))
    assert got == expected
