"""National scale: the comparison with DREES, sparse = dense APL, fast communes loading."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping, shape

from accessmap import indicators, settings, sources
from accessmap.conventions import INDICATOR_HORIZON
from accessmap.diagnostic import compute_indicators
from accessmap.errors import ValidationError
from accessmap.indicators.national import grouped_spearman
from accessmap.inputs import InputOptions, compute_traveltimes, load_inputs
from accessmap.sources.communes import _geometries
from accessmap.territory import build_territory, department_outlines
from tests.factories import tiny_communes, write_mirror

# ---------------------------------------------------------------- national comparison (pure)


def _published(rows: dict[str, tuple[float, float]], year: int = 2023) -> pd.DataFrame:
    """Published APL rows ``code -> (apl, pop_std)`` (``apl_u65`` = APL minus 0.5)."""
    return pd.DataFrame(
        {
            "code": list(rows),
            "year": year,
            "apl": [v[0] for v in rows.values()],
            "apl_u65": [v[0] - 0.5 for v in rows.values()],
            "pop_std": [v[1] for v in rows.values()],
            "pop_total": [v[1] for v in rows.values()],
        }
    )


@pytest.fixture
def hand_made() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Two departments of four communes: 19 ranks like DREES, 23 in reverse order."""
    ours = pd.DataFrame(
        {
            "id": ["19001", "19002", "19003", "19004", "23001", "23002", "23003", "23004", "87001"],
            "apl": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 3.0],
        }
    )
    ours["apl_u65"] = ours["apl"] - 0.5
    published = _published(
        {
            "19001": (1.5, 100.0), "19002": (2.5, 100.0), "19003": (3.5, 100.0),
            "19004": (4.5, 100.0), "23001": (8.0, 50.0), "23002": (7.0, 50.0),
            "23003": (6.0, 50.0), "23004": (1.0, 350.0), "99999": (2.0, 10.0),
        }
    )  # fmt: skip
    names = pd.DataFrame(
        {
            "code": ["19001", "19002", "19003", "19004", "23001", "23002", "23003", "23004"],
            "nom": ["Alpha", "Beta", "Gamma", "Delta", "Zeta", "Eta", "Theta", "Iota"],
            "dep": ["19"] * 4 + ["23"] * 4,
        }
    )
    return ours, published, names


def test_national_comparison_by_hand(hand_made):
    ours, published, names = hand_made
    result = indicators.national_comparison(ours, published, communes=names, top=3)
    assert result.n == 8
    assert result.year == 2023
    assert result.unmatched == ("87001",)
    table = result.communes.set_index("id")
    assert table.loc["19003", "nom"] == "Gamma"
    assert table.loc["19003", "diff"] == pytest.approx(-0.5)
    assert table.loc["23004", "diff"] == pytest.approx(7.0)
    deps = result.departments.set_index("dep")
    assert deps.loc["19", "communes"] == 4
    assert deps.loc["19", "spearman"] == pytest.approx(1.0)
    assert deps.loc["23", "spearman"] == pytest.approx(-1.0)
    assert deps.loc["19", "mean_abs_diff"] == pytest.approx(0.5)
    assert deps.loc["23", "mean_abs_diff"] == pytest.approx((3 + 1 + 1 + 7) / 4)
    assert deps.loc["23", "mean_diff"] == pytest.approx((-3 - 1 + 1 + 7) / 4)
    # weighted by the published standardised population: (5*50 + 6*50 + 7*50 + 8*350) / 500
    assert deps.loc["23", "apl_mean"] == pytest.approx((5 + 6 + 7) * 50 / 500 + 8 * 350 / 500)
    assert deps.loc["23", "apl_drees_mean"] == pytest.approx((8 + 7 + 6) * 50 / 500 + 350 / 500)
    assert deps.loc["23", "pop_std_drees"] == pytest.approx(500.0)
    # national figures: the same as scipy and as the plain means
    pairs = result.communes
    assert result.spearman == pytest.approx(stats.spearmanr(pairs["apl"], pairs["apl_drees"])[0])
    assert result.mean_abs_diff == pytest.approx(pairs["diff"].abs().mean())
    assert result.mean_diff == pytest.approx((4 * -0.5 + 4.0) / 8)
    # largest gaps first, with names and departments
    assert result.largest["id"].tolist() == ["23004", "23001", "23002"]
    assert result.largest["nom"].iloc[0] == "Iota"
    assert result.largest["dep"].iloc[0] == "23"


def test_rank_gap_is_the_difference_of_national_percentiles(hand_made):
    ours, published, names = hand_made
    result = indicators.national_comparison(ours, published, communes=names)
    table = result.communes.set_index("id")
    # 23004: highest modelled APL (8/8), lowest published (1/8): the model ranks it far better
    assert table.loc["23004", "rank_gap"] == pytest.approx(1.0 - 1 / 8)
    assert table.loc["19001", "rank_gap"] == pytest.approx(1 / 8 - 2 / 8)
    assert table["rank_gap"].between(-1, 1).all()
    assert result.departments.set_index("dep").loc["23", "mean_rank_gap"] == pytest.approx(
        table.loc[["23001", "23002", "23003", "23004"], "rank_gap"].mean()
    )


def test_departments_come_from_codes_without_a_communes_table(hand_made):
    ours, published, _ = hand_made
    result = indicators.national_comparison(ours, published)
    assert sorted(result.departments["dep"]) == ["19", "23"]
    assert (result.communes["nom"] == "").all()


def test_no_common_commune_or_no_vintage_is_an_error(hand_made):
    ours, published, names = hand_made
    with pytest.raises(ValidationError) as err:
        indicators.national_comparison(ours.assign(id="01001"), published)
    assert (err.value.field, err.value.code) == ("ours", "drees.no_common_commune")
    with pytest.raises(ValidationError) as err:
        indicators.national_comparison(ours, published, communes=names, year=2019)
    assert (err.value.code, err.value.params["year"]) == ("drees.no_published_year", 2019)


def test_grouped_spearman_matches_scipy_with_ties_gaps_and_small_groups():
    rng = np.random.default_rng(7)
    n = 300
    frame = pd.DataFrame(
        {
            "g": rng.choice(["a", "b", "c"], n),
            "x": rng.integers(0, 8, n).astype(float),  # many ties
            "y": rng.normal(size=n),
        }
    )
    frame.loc[rng.choice(n, 20, replace=False), "x"] = np.nan
    frame["y"] = frame["y"] + frame["x"].fillna(0) * 0.3
    tiny = pd.DataFrame(
        {"g": ["d", "d", "e", "e", "e"], "x": [1.0, 2, 1, 1, 1], "y": [2.0, 1, 3, 2, 1]}
    )
    frame = pd.concat([frame, tiny], ignore_index=True)
    got = grouped_spearman(frame, "x", "y", by="g")
    for key in ("a", "b", "c"):
        part = frame[(frame["g"] == key) & frame["x"].notna()]
        assert got[key] == pytest.approx(stats.spearmanr(part["x"], part["y"])[0], abs=1e-12)
    assert math.isnan(got["d"])  # two communes only
    assert math.isnan(got["e"])  # constant column
    whole = frame[frame["x"].notna()]
    national = grouped_spearman(frame, "x", "y")
    assert national["all"] == pytest.approx(stats.spearmanr(whole["x"], whole["y"])[0])


# ---------------------------------------------------------------- sparse = dense APL


def _grid_rows() -> list[dict[str, Any]]:
    """Three departments of 6 x 5 communes, 0.08 degrees apart: 150 km across."""
    rng = np.random.default_rng(3)
    return [
        {
            "code": f"{dep}{i + 1:03d}", "nom": f"C{dep}-{i}",
            "population": int(rng.integers(50, 4000)),
            "x": 1.0 + 0.08 * (i % 6) + 0.5 * d, "y": 45.0 + 0.08 * (i // 6) + 0.1 * d,
            "dep": dep,
        }
        for d, dep in enumerate(("19", "23", "87"))
        for i in range(30)
    ]  # fmt: skip


def _gp_counts(rows: list[dict[str, Any]]) -> str:
    rng = np.random.default_rng(5)
    chosen = [r["code"] for r in rows if rng.random() < 0.25]
    return "CODGEO,NB_D201\n" + "".join(f"{c},{int(rng.integers(1, 6))}\n" for c in chosen)


def _sparse_and_dense(spec: str) -> tuple[pd.DataFrame, pd.DataFrame, int, int]:
    inputs = load_inputs(InputOptions(territory=spec, buffer_km=0.0, crowfly=True))
    out = []
    for horizon in (INDICATOR_HORIZON, None):
        times, _ = compute_traveltimes(
            inputs.territory, inputs.roster, inputs.roads, horizon=horizon, candidates=False
        )
        result, _drees, _zone = compute_indicators(inputs, times)
        out.append((result.communes.set_index("id").sort_index(), len(times.table)))
    (sparse, n_sparse), (dense, n_dense) = out
    return sparse, dense, n_sparse, n_dense


def _assert_same_apl(sparse: pd.DataFrame, dense: pd.DataFrame) -> None:
    assert sparse.index.tolist() == dense.index.tolist()
    for col in ("apl", "apl_u65", "nearest_minutes"):
        np.testing.assert_allclose(sparse[col], dense[col], rtol=0, atol=1e-9)
    assert (sparse["nearest_site"] == dense["nearest_site"]).all()
    assert (sparse["band"] == dense["band"]).all()


def test_sparse_apl_equals_dense_apl_on_three_synthetic_departments(tmp_path: Path):
    rows = _grid_rows()
    root = write_mirror(tmp_path / "mirror", rows)
    (root / "bpe" / "bpe_d201_generalistes.csv").write_text(_gp_counts(rows), encoding="utf-8")
    with settings.override(mirror=root):
        sparse, dense, n_sparse, n_dense = _sparse_and_dense("dep:19,23,87")
    assert n_sparse < n_dense  # the horizon really dropped pairs
    assert (sparse["apl"] > 0).any()
    _assert_same_apl(sparse, dense)


@pytest.mark.mirror
def test_sparse_apl_equals_dense_apl_on_two_real_departments(mirror: Path):
    with settings.override(mirror=mirror):
        sparse, dense, n_sparse, n_dense = _sparse_and_dense("dep:19,23")
    assert len(sparse) == 532  # every commune of Corrèze and Creuse
    assert n_sparse < n_dense / 2
    _assert_same_apl(sparse, dense)


# ---------------------------------------------------------------- communes at national scale


def _collection(geometries: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(json.dumps(mapping(g))) for g in geometries]


def test_bulk_geometries_equal_shapely_shape_feature_by_feature():
    holed = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)], holes=[[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4)]])
    multi = MultiPolygon([box(2, 2, 3, 3), holed, box(5, 5, 5.5, 6)])
    raw = _collection([box(0, 0, 1, 1), multi, holed, box(-3, 44, -2.9, 44.1)])
    built = _geometries(raw)
    assert [g.geom_type for g in built] == ["Polygon", "MultiPolygon", "Polygon", "Polygon"]
    for got, geojson in zip(built, raw, strict=True):
        assert got.equals_exact(shape(geojson), tolerance=0)


def test_empty_polygons_and_open_rings_are_built_like_shape_does():
    # built in bulk, an empty polygon beside others crashed GEOS: they go one by one
    raw = [
        mapping(box(0, 0, 1, 1)),
        {"type": "Polygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]},  # open ring
    ]
    built = _geometries(raw)
    for got, geojson in zip(built, raw, strict=True):
        assert got.equals_exact(shape(geojson), tolerance=0)
    assert built[1].is_empty
    assert built[2].is_empty


def test_other_geometries_fall_back_to_shape_and_bad_ones_are_named():
    raw = _collection([box(0, 0, 1, 1), Point(2, 45)])
    built = _geometries(raw)
    assert [g.geom_type for g in built] == ["Polygon", "Point"]
    three_d = [{"type": "Polygon", "coordinates": [[[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 0, 1]]]}]
    assert _geometries(three_d)[0].has_z
    with pytest.raises(ValidationError) as err:
        _geometries([{"type": "Polygon", "coordinates": [[[0, 0], [1, 0]]]}])
    assert err.value.field == "communes.geometry"


def test_loading_keeps_town_halls_inside_and_moves_far_ones(tmp_path: Path):
    root = write_mirror(tmp_path / "mirror")
    path = root / "communes" / "communes-19.geojson"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["features"][1]["properties"]["mairie"]["coordinates"] = [2.1999, 45.65]  # on the edge
    raw["features"][2]["properties"]["mairie"]["coordinates"] = [2.31, 45.65]  # 800 m outside
    del raw["features"][3]["properties"]["mairie"]
    path.write_text(json.dumps(raw), encoding="utf-8")
    with settings.override(mirror=root), pytest.warns(UserWarning, match="19004"):
        frame = sources.load_communes(["19"]).set_index("code")
    assert frame["mairie_moved"].tolist() == [False, False, False, True, False]
    assert frame.loc["19003", "mairie_lon"] == pytest.approx(2.31)
    assert frame.loc["19004", "geometry"].contains(
        Point(frame.loc["19004", "mairie_lon"], frame.loc["19004", "mairie_lat"])
    )


@pytest.mark.mirror
def test_every_department_loads_like_feature_by_feature_parsing(mirror: Path):
    path = mirror / "communes" / "communes-2A.geojson"  # islands: multipolygons
    raw = json.loads(path.read_text(encoding="utf-8"))
    with settings.override(mirror=mirror):
        frame = sources.load_communes(["2A"])
    expected = {f["properties"]["code"]: shape(f["geometry"]) for f in raw["features"]}
    assert len(frame) == len(expected)
    for code, geometry in zip(frame["code"], frame.geometry, strict=True):
        assert geometry.equals_exact(expected[code], tolerance=0)


def test_no_buffer_means_no_buffer_work():
    communes = tiny_communes()
    territory = build_territory(communes, codes=["19001", "19002"], buffer_km=0)
    assert territory.buffer.empty
    assert list(territory.buffer.columns) == list(communes.columns)
    assert territory.codes == ["19001", "19002"]


def test_department_outlines_dissolve_communes():
    communes = tiny_communes()
    outlines = department_outlines(communes, simplify_m=0)
    assert outlines["dep"].tolist() == ["19", "23"]
    assert outlines["communes"].tolist() == [5, 2]
    assert outlines["population"].tolist() == [1875, 2300]
    assert outlines.crs.to_epsg() == 4326
    dep19 = outlines.set_index("dep").geometry["19"]
    assert dep19.equals(communes[communes["dep"] == "19"].union_all())


# ---------------------------------------------------------------- roads where the mirror has them


@pytest.mark.mirror
def test_partly_covered_territory_gets_roads_inside_and_crowfly_elsewhere(mirror: Path) -> None:
    """Issue 22, point 6: per commune, road times inside the road file's extent, crow-fly out."""
    from accessmap.app import IndicatorsOptions, run_indicators
    from accessmap.inputs.traveltimes import MIXED_MARGIN_KM

    # Dordogne (24) runs west of the mirror's road file (lon 0.45 to 4.15), Corrèze (19) lies in it
    options = InputOptions(territory="dep:19,24", buffer_km=0.0)
    with settings.override(mirror=mirror):
        result = run_indicators(IndicatorsOptions(inputs=options))
        alone = load_inputs(InputOptions(territory="dep:19", buffer_km=0.0))
        road_only, _ = compute_traveltimes(
            alone.territory, alone.roster, alone.roads, horizon=INDICATOR_HORIZON,
            candidates=False,
        )  # fmt: skip
    assert result.inputs.roads.kind == "mixed"
    assert alone.roads.kind == "mirror"
    table = result.times.table
    per_origin = table.groupby("origin_id")["method"].agg(["nunique", "first"])
    assert (per_origin["nunique"] == 1).all()  # one method per commune
    method = per_origin["first"]
    assert method["19272"] == "osm"  # Tulle, in the middle of the file's extent
    assert method["24037"] == "crowfly"  # Bergerac, within 20 km of its western edge
    study = result.inputs.territory.study_area.set_index("code")
    west = study.loc[method.index, "mairie_lon"] < 0.45
    assert (method[west.to_numpy()] == "crowfly").all()
    assert MIXED_MARGIN_KM > 0
    # the road rows are the road times of a territory wholly inside the file
    tulle = table[table["origin_id"] == "19272"].set_index("dest_id")["minutes"]
    ref = road_only.table[road_only.table["origin_id"] == "19272"].set_index("dest_id")["minutes"]
    common = tulle.index.intersection(ref.index)
    assert len(common) > 5
    np.testing.assert_allclose(tulle[common], ref[common], rtol=1e-9)
    # the per-commune table says which, and the agreement is given per method
    od_method = result.table.set_index("id")["od_method"]
    assert od_method["19272"] == "mirror"
    assert od_method["24037"] == "crowfly"
    national = result.national
    assert national is not None
    methods = national.methods.set_index("method")
    assert set(methods.index) == {"osm", "crowfly"}
    assert methods["communes"].sum() == national.n
    assert methods["spearman"].notna().all()
