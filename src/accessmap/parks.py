"""Regional natural parks (PNR): find a park by code or name, and the communes of its perimeter.

A park is given by its code in the national protected-areas inventory (``FR8000045``) or by its
name, compared without accents, case or punctuation (``millevaches``, ``Millevaches en
Limousin``). Its communes are those with at least :data:`PARK_MIN_SHARE` of their area inside
the park's polygon (areas in Lambert-93): on the Millevaches polygon this gives the park's
published 124 member communes, every other commune having at most 14 % of its area inside.

Everything here is pure: :func:`accessmap.sources.parks.load_parks` reads the polygons and
:mod:`accessmap.inputs.parks` builds a territory from them.

References
----------
MNHN / INPN, protected-area layer "Parcs naturels régionaux" (fields ``DRGP_C_COD``,
``DRGP_L_LIB``); Code de l'environnement, articles L333-1 to L333-4 (a park's charter lists its
member communes).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from accessmap.errors import ValidationError
from accessmap.territory import GEO_CRS, METRIC_CRS

__all__ = [
    "PARK_CODE",
    "PARK_MIN_SHARE",
    "Park",
    "find_park",
    "normalise_name",
    "park_communes",
    "park_shares",
]

#: A commune belongs to a park when at least this share of its area lies inside the polygon.
PARK_MIN_SHARE = 0.5
#: Park codes of the national inventory: ``FR80000NN``.
PARK_CODE = re.compile(r"FR8[0-9]{6}", re.IGNORECASE)
#: How many near names an unknown-park error lists.
_NEAR = 5


@dataclass(frozen=True, slots=True)
class Park:
    """One park: its code, its name and its outline.

    Attributes
    ----------
    code
        Inventory code (``FR8000045``).
    name
        Name as published (``Millevaches En Limousin``).
    outline
        One row, columns ``code``, ``name``, ``geometry`` (EPSG:4326): what maps draw.
    """

    code: str
    name: str
    outline: gpd.GeoDataFrame

    @property
    def title(self) -> str:
        """French title: ``PNR Millevaches En Limousin``."""
        return f"PNR {self.name}"


def normalise_name(text: str) -> str:
    """Lower-case ``text``, drop accents and keep letters and digits separated by one space.

    Parameters
    ----------
    text
        A park name as typed or published.

    Returns
    -------
    str
        ``"Forêt D'Orient"`` → ``"foret d orient"``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def _prefixless(text: str) -> str:
    """Drop a leading "pnr" or "parc naturel regional (de/du/des)" from a normalised name."""
    return re.sub(r"^(pnr|parc naturel regional)( (de la|de l|des|du|de|d))? ", "", text)


def _check_parks(parks: gpd.GeoDataFrame) -> None:
    missing = [c for c in ("code", "name", "geometry") if c not in parks.columns]
    if missing:
        raise ValidationError("parks.missing_columns", field="parks", columns=missing)
    if parks.crs is None:
        raise ValidationError("parks.no_crs", field="parks")


def find_park(parks: gpd.GeoDataFrame, query: str) -> Park:
    """Find one park by code (``FR8000045``) or name (accents, case and punctuation ignored).

    A name matches when it equals the park's name, or when its words are a run of the words of
    exactly one park's name (``millevaches``); a leading ``PNR`` or ``parc naturel régional`` is
    ignored.

    Parameters
    ----------
    parks
        ``code``, ``name``, ``geometry`` with a CRS (:func:`accessmap.sources.parks.load_parks`).
    query
        The code or the name.

    Returns
    -------
    Park
        With its outline in EPSG:4326 (parts of a multi-row park dissolved).

    Raises
    ------
    ValidationError
        No park (the error lists the nearest names), several parks, or a malformed table.
    """
    _check_parks(parks)
    text = query.strip()
    codes = parks["code"].astype(str).str.upper()
    if PARK_CODE.fullmatch(text):
        hits = parks[codes == text.upper()]
        if hits.empty:
            raise ValidationError(
                "parks.unknown_code",
                field="--territory",
                code=text.upper(),
                near=_near(parks, text),
            )
        return _park(hits)
    wanted = _prefixless(normalise_name(text))
    names = parks["name"].astype(str).map(normalise_name)
    exact = parks[(names == wanted).to_numpy()]
    if not exact.empty:
        return _park(exact)
    padded = f" {wanted} "
    partial = parks[[bool(wanted) and padded in f" {n} " for n in names]]
    if partial["code"].nunique() > 1:
        found = sorted(partial["name"].astype(str).unique().tolist())
        raise ValidationError("parks.ambiguous", field="--territory", query=text, names=found)
    if partial.empty:
        raise ValidationError(
            "parks.unknown_name", field="--territory", query=text, near=_near(parks, text)
        )
    return _park(partial)


def _near(parks: gpd.GeoDataFrame, text: str) -> list[str]:
    """Return the park names (with codes) nearest ``text``, by difflib ratio."""
    wanted = _prefixless(normalise_name(text))
    labels: dict[str, str] = {}
    for name, code in zip(parks["name"], parks["code"], strict=True):
        label = f"{name} ({code})"
        labels[normalise_name(str(name))] = label
        labels[str(code).lower()] = label
    close = difflib.get_close_matches(wanted, list(labels), n=2 * _NEAR, cutoff=0.3)
    near = list(dict.fromkeys(labels[c] for c in close))[:_NEAR]
    return near or sorted(set(labels.values()))[:_NEAR]


def _park(rows: gpd.GeoDataFrame) -> Park:
    first = rows.iloc[0]
    geometry = rows.to_crs(GEO_CRS).union_all()
    outline = gpd.GeoDataFrame(
        {"code": [str(first["code"]).upper()], "name": [str(first["name"])]},
        geometry=[geometry],
        crs=GEO_CRS,
    )
    return Park(code=str(first["code"]).upper(), name=str(first["name"]), outline=outline)


def park_shares(communes: gpd.GeoDataFrame, outline: gpd.GeoDataFrame) -> pd.Series:
    """Share of each commune's area inside the park (Lambert-93 areas).

    Parameters
    ----------
    communes
        Communes with ``code`` and polygons, with a CRS.
    outline
        The park's polygon(s), with a CRS.

    Returns
    -------
    pandas.Series
        Indexed by ``code``, in ``[0, 1]``; 0 for communes that do not meet the park.
    """
    if communes.crs is None or outline.crs is None:
        raise ValidationError("parks.no_crs", field="communes")
    area = outline.to_crs(METRIC_CRS).union_all()
    metric = communes.to_crs(METRIC_CRS)
    shares = np.zeros(len(metric))
    touching = metric.intersects(area).to_numpy()
    if touching.any():
        inside = metric.geometry[touching].intersection(area).area.to_numpy()
        whole = metric.geometry[touching].area.to_numpy()
        shares[touching] = np.divide(inside, whole, out=np.zeros_like(inside), where=whole > 0)
    return pd.Series(shares.clip(0.0, 1.0), index=pd.Index(communes["code"].astype(str)))


def park_communes(
    communes: gpd.GeoDataFrame, outline: gpd.GeoDataFrame, *, min_share: float = PARK_MIN_SHARE
) -> list[str]:
    """INSEE codes of the communes with at least ``min_share`` of their area in the park.

    Parameters
    ----------
    communes
        Candidate communes (``code``, polygons, a CRS).
    outline
        The park's polygon(s).
    min_share
        Threshold in ``(0, 1]`` (default :data:`PARK_MIN_SHARE`).

    Returns
    -------
    list of str
        Sorted codes (possibly empty).

    Raises
    ------
    ValidationError
        ``min_share`` out of ``(0, 1]``, or a layer without CRS.
    """
    if not 0.0 < min_share <= 1.0:
        raise ValidationError("parks.bad_share", field="min_share", value=min_share)
    shares = park_shares(communes, outline)
    return sorted(shares.index[shares.to_numpy() >= min_share].tolist())
