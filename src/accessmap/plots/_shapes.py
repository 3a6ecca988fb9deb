"""Shapes of the maps, projected, simplified and turned into coordinates once per report.

A report draws the same communes on fifteen maps: their Lambert-93 shapes, the coordinates of
their rings and their representative points are computed for the first map and remembered, by
the identity of the (immutable) shapely objects, for the next ones.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from accessmap.plots._style import METRIC_CRS

if TYPE_CHECKING:
    import geopandas as gpd

#: shapely's type id of a Polygon.
_POLYGON = 3


def _polygon_xy(geometries: Sequence[Any] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exterior rings of (multi)polygons as x and y arrays, each ring followed by a NaN break.

    The NaN breaks the line (plotly draws every ring apart, as with ``None``); holes are left
    out, like the filled shapes they would pierce.
    """
    import shapely

    parts = shapely.get_parts(np.asarray(list(geometries), dtype=object))
    rings = shapely.get_exterior_ring(parts[shapely.get_type_id(parts) == _POLYGON])
    counts = shapely.get_num_coordinates(rings)
    coords = shapely.get_coordinates(rings)
    at = np.arange(len(coords)) + np.repeat(np.arange(len(rings)), counts)
    xs = np.full(len(coords) + len(rings), np.nan)
    ys = xs.copy()
    xs[at], ys[at] = coords[:, 0], coords[:, 1]
    return xs, ys


#: Projected shapes remembered for the next maps (a report draws the same communes 15 times).
_MEMO: OrderedDict[tuple[Any, ...], tuple[np.ndarray, Any]] = OrderedDict()
#: Entries kept in :data:`_MEMO`.
_MEMO_SIZE = 64


def remember_shapes(
    kind: str, geometry: gpd.GeoSeries, simplify_m: float, compute: Callable[[], Any]
) -> Any:
    """Return ``compute()`` for these very shapes, computed once for every map that draws them.

    Shapely geometries are immutable, so the same objects (by identity, kept alive beside the
    entry) in the same CRS always give the same projected, simplified result. Arrays come back
    as shallow copies: a caller may change its copy, never the remembered one.
    """
    crs = geometry.crs.srs if geometry.crs is not None else None
    return _remember((kind, crs, float(simplify_m)), geometry.to_numpy(), compute)


def _remember(key: tuple[Any, ...], objects: np.ndarray, compute: Callable[[], Any]) -> Any:
    """Return ``compute()`` for ``key`` and these very objects (see :func:`remember_shapes`)."""
    full = (*key, tuple(map(id, objects)))
    hit = _MEMO.get(full)
    if hit is None:
        hit = (objects, compute())
        _MEMO[full] = hit
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    else:
        _MEMO.move_to_end(full)
    value = hit[1]
    return value.copy() if isinstance(value, np.ndarray) else value


def _shape_xy(shapes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_polygon_xy` of every shape at once, and the length each shape takes in it.

    The drawing of any subset of the shapes, in order, is the same arrays masked with
    ``np.repeat(subset, lengths)``: each commune's rings are computed once for all maps.
    """

    def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        import shapely

        parts, owner = shapely.get_parts(shapes, return_index=True)
        polygon = shapely.get_type_id(parts) == _POLYGON
        rings = shapely.get_exterior_ring(parts[polygon])
        sizes = shapely.get_num_coordinates(rings) + 1
        lengths = np.bincount(owner[polygon], weights=sizes, minlength=len(shapes))
        xs, ys = _polygon_xy(shapes)
        return xs, ys, lengths.astype(np.int64)

    xy: tuple[np.ndarray, np.ndarray, np.ndarray] = _remember(("xy",), shapes, compute)
    return xy


def _inner_points(shapes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return representative points (inside each shape) as x and y arrays, once per shapes."""

    def compute() -> tuple[np.ndarray, np.ndarray]:
        import shapely

        points = shapely.point_on_surface(shapes)
        return shapely.get_x(points), shapely.get_y(points)

    xy: tuple[np.ndarray, np.ndarray] = _remember(("inner",), shapes, compute)
    return xy


def _metric(geometry: gpd.GeoSeries, simplify_m: float) -> gpd.GeoSeries:
    """Return the shapes in Lambert-93 metres, simplified (same index)."""
    import geopandas as gpd

    values = remember_shapes(
        "metric", geometry, simplify_m,
        lambda: geometry.to_crs(METRIC_CRS).simplify(simplify_m).to_numpy(),
    )  # fmt: skip
    return gpd.GeoSeries(values, index=geometry.index, crs=METRIC_CRS)


def _outline_xy(outline: gpd.GeoDataFrame, simplify_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the outline of a territory (union of its shapes, simplified) as line coordinates."""
    import geopandas as gpd

    def compute() -> tuple[np.ndarray, np.ndarray]:
        edge = gpd.GeoSeries([outline.to_crs(METRIC_CRS).union_all()], crs=METRIC_CRS)
        return _polygon_xy(list(edge.simplify(simplify_m)))

    xy: tuple[np.ndarray, np.ndarray] = remember_shapes(
        "outline", outline.geometry, simplify_m, compute
    )
    return xy
