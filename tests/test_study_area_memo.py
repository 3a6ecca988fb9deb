"""The study area of a territory, built once and handed out as copies."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from accessmap.territory import Territory


def _territory() -> Territory:
    def communes(codes: list[str], x: float) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {"code": codes, "nom": [f"c{c}" for c in codes], "population": [10] * len(codes)},
            geometry=[box(x + i, 0, x + i + 1, 1) for i in range(len(codes))], crs="EPSG:4326",
        )  # fmt: skip

    return Territory(name="t", communes=communes(["19001", "19002"], 0.0),
                     buffer=communes(["19003"], 5.0), buffer_km=10.0, rule="test")  # fmt: skip


def test_study_area_is_computed_once_and_each_copy_is_its_own() -> None:
    territory = _territory()
    plain = territory.study_area
    first = territory.study_area
    first["extra"] = 1  # a caller changing its copy
    first.loc[0, "nom"] = "changed"
    second = territory.study_area
    pd.testing.assert_frame_equal(second, plain)
    assert list(second["in_territory"]) == [True, True, False]
    assert territory.study_area is not territory.study_area  # each access its own frame
