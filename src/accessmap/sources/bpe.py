"""GP supply files: INSEE BPE counts per commune (D201) and the Creuse GP practice sites."""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.errors import ValidationError
from accessmap.messages import warn
from accessmap.sources._once import once_recorded
from accessmap.sources.arrondissements import city_codes, to_communes
from accessmap.sources.files import parse_error_place
from accessmap.sources.mirror import SourceFile, resolve, shown_path

__all__ = ["BPE_GP", "load_bpe_counts", "load_bpe_gp_counts", "load_gp_sites_creuse"]

#: BPE equipment code of general practitioners.
BPE_GP = "D201"


def _read_csv(source: SourceFile, required: tuple[str, ...], dtype: dict[str, str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(source.path, dtype=dtype)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(
            "sources.csv_unreadable", field=shown_path(source.path), where=parse_error_place(exc)
        ) from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValidationError(
            "sources.missing_columns",
            field=shown_path(source.path),
            columns=missing,
            required=list(required),
        )
    return frame


def load_bpe_counts(
    codes: tuple[str, ...] = (BPE_GP,), *, provenance: list[SourceFile] | None = None
) -> pd.DataFrame:
    """Health professionals per commune from the INSEE BPE 2019, official layout, any ``D*`` code.

    The file (``bpe/bpe19_ensemble_sante.csv``) keeps the official columns of ``bpe19_ensemble``
    (``REG;DEP;DEPCOM;DCIRIS;AN;TYPEQU;NB_EQUIP``); rows of one commune (several IRIS) are summed,
    and the arrondissements of Paris, Lyon and Marseille into 75056, 69123 and 13055.

    Parameters
    ----------
    codes
        BPE equipment codes (``D201`` GPs, ``D221`` dentists, ``D231`` midwives, ``D232`` nurses,
        ``D233`` physiotherapists, ``D301`` pharmacies...).
    provenance
        When given, the resolved file's record is appended.

    Returns
    -------
    pandas.DataFrame
        ``code`` (INSEE, str), ``typequ`` (str), ``count`` (int > 0), one row per commune and
        equipment code; communes without one are absent.

    Raises
    ------
    OfflineError
        The file is in neither the mirror nor the cache.
    ValidationError
        Missing columns, or negative or non-numeric counts.

    References
    ----------
    INSEE, Base permanente des équipements 2019 (situation au 1er janvier 2019).
    """
    table, rows = once_recorded(("bpe",), lambda read: _read_bpe(provenance=read), provenance)
    # the rows of the codes asked, in file order (the same rows as an ``isin`` filter)
    wanted = [rows[c] for c in dict.fromkeys(codes) if c in rows]
    frame = table.take(np.sort(np.concatenate([np.empty(0, dtype=np.intp), *wanted])))
    counts = pd.to_numeric(frame["NB_EQUIP"], errors="coerce")
    bad = frame.loc[counts.isna() | (counts < 0), "DEPCOM"]
    if len(bad):
        raise ValidationError("sources.bad_counts", field="NB_EQUIP", codes=list(bad))
    tidy = pd.DataFrame(
        {
            "code": frame["DEPCOM"].str.strip().str.zfill(5).to_numpy(),
            "typequ": frame["TYPEQU"].to_numpy(),
            "count": counts.astype("int64").to_numpy(),
        }
    )
    # arrondissements of Paris, Lyon, Marseille summed into their commune (one grouping)
    tidy = tidy.assign(code=city_codes(tidy["code"]))
    out = tidy.groupby(["code", "typequ"], as_index=False).agg(count=("count", "sum"))
    return out[out["count"] > 0].reset_index(drop=True)


def _read_bpe(
    *, provenance: list[SourceFile]
) -> tuple[pd.DataFrame, dict[str, npt.NDArray[np.intp]]]:
    """Read the BPE file's three columns, with the rows of each equipment code (once per run).

    Every profession asks for its code (see :func:`load_bpe_counts`): the national table is
    split by code once, not filtered again for each.
    """
    source = resolve("bpe_sante")
    try:
        frame = pd.read_csv(
            source.path, sep=";", dtype=str, usecols=["DEPCOM", "TYPEQU", "NB_EQUIP"]
        )
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValidationError(
            "sources.bpe_layout", field=source.path.name, where=parse_error_place(exc)
        ) from None
    provenance.append(source)
    codes, kinds = pd.factorize(frame["TYPEQU"])
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(kinds) + 1))
    rows = {str(kind): order[bounds[k] : bounds[k + 1]] for k, kind in enumerate(kinds)}
    return frame, rows


def load_bpe_gp_counts(*, provenance: list[SourceFile] | None = None) -> pd.DataFrame:
    """General practitioners per commune (BPE code D201): the newest BPE available.

    The BPE 2019 in its official layout (``bpe/bpe19_ensemble_sante.csv``) when the mirror or the
    cache has it; otherwise (or with the setting ``bpe_vintage="2017"``) the older extract
    ``bpe/bpe_d201_generalistes.csv`` (``CODGEO``, ``NB_D201``, about 2017). The provenance record
    says which.

    Parameters
    ----------
    provenance
        When given, the resolved file's record is appended.

    Returns
    -------
    pandas.DataFrame
        ``code`` (INSEE, str), ``n_gp`` (int > 0). Communes without a GP are absent.

    Raises
    ------
    ValidationError
        Missing columns, malformed codes, duplicate codes or negative counts.
    """
    from accessmap.errors import OfflineError
    from accessmap.settings import get_settings

    if get_settings().bpe_vintage == "2017":
        return _load_d201_extract(provenance=provenance)
    try:
        counts = load_bpe_counts((BPE_GP,), provenance=provenance)
    except OfflineError:
        return _load_d201_extract(provenance=provenance)
    return counts.rename(columns={"count": "n_gp"})[["code", "n_gp"]]


def _load_d201_extract(*, provenance: list[SourceFile] | None = None) -> pd.DataFrame:
    source = resolve("bpe_gp")
    frame = _read_csv(source, ("CODGEO", "NB_D201"), {"CODGEO": "str"})
    frame = frame.rename(columns={"CODGEO": "code", "NB_D201": "n_gp"})[["code", "n_gp"]]
    frame["code"] = frame["code"].str.strip().str.zfill(5)
    counts = pd.to_numeric(frame["n_gp"], errors="coerce")
    bad = frame.loc[counts.isna() | (counts < 0), "code"]
    if len(bad):
        raise ValidationError("sources.bad_counts", field="NB_D201", codes=list(bad))
    frame["n_gp"] = counts.astype("int64")
    exact = frame.duplicated(keep="first")
    if exact.any():
        warn(
            "sources.exact_duplicates_dropped",
            name=shown_path(source.path),
            count=int(exact.sum()),
            codes=list(frame.loc[exact, "code"]),
            stacklevel=2,
        )
        frame = frame[~exact]
    dup = frame.loc[frame["code"].duplicated(), "code"]
    if len(dup):
        raise ValidationError("sources.conflicting_rows", field="CODGEO", codes=list(dup))
    if provenance is not None:
        provenance.append(source)
    frame = to_communes(frame)  # arrondissements of Paris, Lyon, Marseille
    return frame[frame["n_gp"] > 0].reset_index(drop=True)


def load_gp_sites_creuse(*, provenance: list[SourceFile] | None = None) -> pd.DataFrame:
    """GP practice sites of Creuse (Annuaire santé, geocoded), with their commune.

    Parameters
    ----------
    provenance
        When given, the resolved files' records are appended (sites and Creuse communes).

    Returns
    -------
    pandas.DataFrame
        ``site_id`` (stable: hash of coordinates and address), ``lon``, ``lat`` (EPSG:4326),
        ``adresse``, ``n_records``, ``n_unique_names``, ``commune_code`` (the Creuse commune whose
        polygon holds the point; the nearest one when the point falls just outside every polygon).

    Raises
    ------
    ValidationError
        Missing columns, coordinates out of range or negative counts.
    """
    return once_recorded(
        ("gp_sites_creuse",), lambda read: _load_gp_sites_creuse(provenance=read), provenance
    ).copy()


def _load_gp_sites_creuse(*, provenance: list[SourceFile]) -> pd.DataFrame:
    import geopandas as gpd

    from accessmap.sources.communes import load_communes

    source = resolve("gp_sites_creuse")
    frame = _read_csv(source, ("lon", "lat", "adresse", "n_records", "n_unique_names"), {})
    for col in ("lon", "lat", "n_records", "n_unique_names"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    bad = frame.index[
        frame[["lon", "lat", "n_records", "n_unique_names"]].isna().any(axis=1)
        | ~frame["lon"].between(-180, 180)
        | ~frame["lat"].between(-90, 90)
        | (frame["n_records"] < 0)
        | (frame["n_unique_names"] < 0)
    ]
    if len(bad):
        raise ValidationError(
            "sources.invalid_site_rows",
            field=shown_path(source.path),
            lines=[int(i) + 2 for i in bad],
        )
    frame["adresse"] = frame["adresse"].astype(str).str.strip()
    frame["site_id"] = [
        "gp23-" + hashlib.sha256(f"{x:.6f},{y:.6f},{a}".encode()).hexdigest()[:10]
        for x, y, a in zip(frame["lon"], frame["lat"], frame["adresse"], strict=True)
    ]
    communes = load_communes(["23"], provenance=provenance)
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    ).to_crs("EPSG:2154")
    joined = gpd.sjoin_nearest(
        points, communes[["code", "geometry"]].to_crs("EPSG:2154"), how="left"
    )
    joined = joined[~joined.index.duplicated(keep="first")]
    frame["commune_code"] = joined["code"].astype(str).to_numpy()
    frame["n_records"] = frame["n_records"].astype("int64")
    frame["n_unique_names"] = frame["n_unique_names"].astype("int64")
    if provenance is not None:
        provenance.append(source)
    cols = ["site_id", "lon", "lat", "adresse", "n_records", "n_unique_names", "commune_code"]
    return frame[cols]
