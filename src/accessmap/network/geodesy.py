"""Distances and projections shared by the network modules (great circle, Lambert-93, unit sphere).

References
----------
Sinnott, R. W. (1984). Virtues of the haversine. Sky and Telescope 68(2), 159.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt
    from pyproj import Transformer

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088


@functools.lru_cache(maxsize=8)
def _transformer(crs: str) -> Transformer:
    """Lon/lat to ``crs``; cached (building a pyproj transformer takes tens of milliseconds)."""
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def project(lon: npt.ArrayLike, lat: npt.ArrayLike, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Project lon/lat (EPSG:4326) to ``crs``; metres for a projected CRS.

    Parameters
    ----------
    lon, lat
        Degrees.
    crs
        Target CRS (``"EPSG:2154"``, Lambert-93, in France).

    Returns
    -------
    tuple of numpy.ndarray
        ``x``, ``y``.

    References
    ----------
    PROJ contributors (2024). PROJ coordinate transformation software. https://proj.org
    """
    x, y = _transformer(crs).transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def haversine_km(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> np.ndarray:
    """Great-circle distance in km (broadcasting).

    Parameters
    ----------
    lon1, lat1, lon2, lat2
        Degrees (EPSG:4326).

    Returns
    -------
    numpy.ndarray
        Kilometres on a sphere of radius :data:`EARTH_RADIUS_KM`.

    References
    ----------
    Sinnott, R. W. (1984). Virtues of the haversine. Sky and Telescope 68(2), 159.
    """
    x1, y1, x2, y2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    h = np.sin((y2 - y1) / 2.0) ** 2 + np.cos(y1) * np.cos(y2) * np.sin((x2 - x1) / 2.0) ** 2
    return np.asarray(2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def unit_sphere(lon: npt.ArrayLike, lat: npt.ArrayLike) -> np.ndarray:
    """Points on the unit sphere (n x 3), for KD-tree searches by great-circle distance.

    The chord between two unit vectors, ``2 sin(d / 2R)``, grows with the great-circle distance
    ``d``, so a KD-tree of these vectors answers nearest-point and within-radius queries **exactly**
    for great-circle distances, anywhere on Earth (no projection distortion).

    Parameters
    ----------
    lon, lat
        Degrees.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 3)``.

    References
    ----------
    Bentley, J. L. (1975). Multidimensional binary search trees used for associative searching.
    Communications of the ACM 18(9), 509-517.
    """
    lam = np.radians(np.asarray(lon, dtype=float))
    phi = np.radians(np.asarray(lat, dtype=float))
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def chord_of_km(km: float) -> float:
    """Chord length on the unit sphere of a great-circle distance in km (see :func:`unit_sphere`).

    Parameters
    ----------
    km
        Great-circle distance (``inf`` gives 2, the diameter).

    Returns
    -------
    float
        ``2 sin(min(km / R, pi) / 2)``.

    References
    ----------
    Sinnott, R. W. (1984). Virtues of the haversine. Sky and Telescope 68(2), 159.
    """
    angle = min(float(km) / EARTH_RADIUS_KM, float(np.pi))
    return float(2.0 * np.sin(angle / 2.0))
