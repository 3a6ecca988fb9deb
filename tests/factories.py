"""Tiny hand-made inputs: a 5-commune territory and a mirror laid out like ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import box, mapping

# Five communes on a row in Corrèze (19), 0.1° squares, and two in Creuse (23) north of them.
TINY_COMMUNES: list[dict[str, Any]] = [
    {"code": "19001", "nom": "Alpha", "population": 1000, "x": 2.00, "y": 45.60, "dep": "19"},
    {"code": "19002", "nom": "Beta", "population": 500, "x": 2.10, "y": 45.60, "dep": "19"},
    {"code": "19003", "nom": "Gamma", "population": 250, "x": 2.20, "y": 45.60, "dep": "19"},
    {"code": "19004", "nom": "Delta", "population": 125, "x": 2.30, "y": 45.60, "dep": "19"},
    {"code": "19005", "nom": "Epsilon", "population": 0, "x": 2.40, "y": 45.60, "dep": "19"},
    {"code": "23001", "nom": "Zeta", "population": 2000, "x": 2.00, "y": 45.70, "dep": "23"},
    {"code": "23002", "nom": "Eta", "population": 300, "x": 2.00, "y": 46.50, "dep": "23"},
]


def commune_feature(row: dict[str, Any], *, mairie: bool = True) -> dict[str, Any]:
    x, y = row["x"], row["y"]
    props: dict[str, Any] = {
        "nom": row["nom"],
        "code": row["code"],
        "codeDepartement": row["dep"],
        "codeEpci": f"2000000{row['dep']}",
        "epci": {"code": f"2000000{row['dep']}", "nom": f"CC {row['dep']}"},
        "population": row["population"],
    }
    if mairie:
        props["mairie"] = {"type": "Point", "coordinates": [x + 0.05, y + 0.05]}
    return {
        "type": "Feature",
        "properties": props,
        "geometry": mapping(box(x, y, x + 0.1, y + 0.1)),
    }


def write_mirror(root: Path, rows: list[dict[str, Any]] | None = None) -> Path:
    """Write communes-DD.geojson files (and small BPE/annuaire files) under ``root``."""
    rows = TINY_COMMUNES if rows is None else rows
    (root / "communes").mkdir(parents=True, exist_ok=True)
    for dep in sorted({r["dep"] for r in rows}):
        features = [commune_feature(r) for r in rows if r["dep"] == dep]
        text = json.dumps({"type": "FeatureCollection", "features": features})
        (root / "communes" / f"communes-{dep}.geojson").write_text(text, encoding="utf-8")
    (root / "bpe").mkdir(exist_ok=True)
    (root / "bpe" / "bpe_d201_generalistes.csv").write_text(
        "CODGEO,NB_D201\n19001,3\n19003,1\n23001,2\n", encoding="utf-8"
    )
    (root / "annuaire").mkdir(exist_ok=True)
    (root / "annuaire" / "gp_sites_creuse.csv").write_text(
        "lon,lat,adresse,n_records,n_unique_names\n"
        '2.04,45.74,"1 place de la mairie 23000 Zeta",2,2\n',
        encoding="utf-8",
    )
    return root


def tiny_communes() -> gpd.GeoDataFrame:
    """The tiny communes as accessmap loads them (no I/O)."""
    import pandas as pd

    from accessmap.sources.communes import _finish

    frame = pd.DataFrame(
        [
            {
                "code": r["code"], "nom": r["nom"], "dep": r["dep"], "epci": f"2000000{r['dep']}",
                "epci_nom": "", "population": r["population"], "surface_ha": None,
                "mairie_lon": r["x"] + 0.05, "mairie_lat": r["y"] + 0.05,
            }
            for r in TINY_COMMUNES
        ]
    )  # fmt: skip
    geometry = [box(r["x"], r["y"], r["x"] + 0.1, r["y"] + 0.1) for r in TINY_COMMUNES]
    return _finish(gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326"))
