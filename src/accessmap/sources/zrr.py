"""The ANCT file of communes classified in ZRR (zones de revitalisation rurale)."""

from __future__ import annotations

import contextlib

import pandas as pd

from accessmap.errors import ValidationError
from accessmap.sources._once import once_recorded
from accessmap.sources.files import parse_error_place
from accessmap.sources.mirror import SourceFile, resolve

__all__ = ["ZRR_SHEET", "load_zrr"]

#: The complete sheet of the ANCT file (the COG 2021 sheet of the mirror's copy holds 2 rows).
ZRR_SHEET = "Classement ZRR (COG 2017)"
_CLASSES = {"C": True, "P": True, "NC": False}


def load_zrr(*, provenance: list[SourceFile] | None = None) -> pd.DataFrame:
    """Communes in ZRR (arrêté of 16 March 2017, amended 2018), in the 2017 commune geography.

    Parameters
    ----------
    provenance
        When given, the resolved file's record is appended.

    Returns
    -------
    pandas.DataFrame
        ``code`` (INSEE code of 2017, str), ``zrr`` (bool: classified, fully ``C`` or partly
        ``P``), ``zrr_class`` (``C``, ``P`` or ``NC``), ``zrr_detail`` (the file's label).

    Raises
    ------
    OfflineError
        The file is in neither the mirror nor the cache.
    ValidationError
        The sheet or its columns are missing.

    References
    ----------
    ANCT / Observatoire des territoires, « Diffusion-zonages-ZRR-cog2021 »; arrêté du 16 mars 2017
    constatant le classement de communes en zone de revitalisation rurale.
    """
    return once_recorded(("zrr",), lambda read: _load_zrr(provenance=read), provenance).copy()


def _load_zrr(*, provenance: list[SourceFile]) -> pd.DataFrame:
    """Read the ZRR table, from its Parquet copy in the cache when the file is unchanged.

    The parsed table is kept under ``<cache_dir>/parsed/``, keyed by the file's sha256
    (content-hash caching, as for the DREES workbook).
    """
    from accessmap.settings import get_settings
    from accessmap.sources._http import atomic_write_bytes

    source = resolve("zrr")
    parsed = get_settings().cache_dir / "parsed" / f"zrr-{source.sha256[:16]}.parquet"
    if parsed.is_file():
        try:
            table = pd.read_parquet(parsed)
        except (OSError, ValueError):
            table = None
        if table is not None and list(table.columns) == list(ZRR_COLUMNS):
            provenance.append(source)
            return table
    table = _parse_zrr(source)
    provenance.append(source)
    with contextlib.suppress(OSError):  # a read-only cache folder: parsed again next time
        atomic_write_bytes(parsed, table.to_parquet(index=False))
    return table


#: Columns of :func:`load_zrr`'s table.
ZRR_COLUMNS = ("code", "zrr", "zrr_class", "zrr_detail")


def _parse_zrr(source: SourceFile) -> pd.DataFrame:
    try:
        frame = pd.read_excel(
            source.path, sheet_name=ZRR_SHEET, header=5, dtype=str, engine="calamine"
        )
    except (ValueError, KeyError, OSError) as exc:
        raise ValidationError(
            "sources.zrr_sheet_unreadable",
            field=source.path.name,
            sheet=ZRR_SHEET,
            where=parse_error_place(exc),
        ) from None
    missing = [c for c in ("CODGEO", "ZRR_SIMP", "ZONAGE_ZRR") if c not in frame.columns]
    if missing:
        raise ValidationError(
            "sources.zrr_missing_columns",
            field=source.path.name,
            columns=missing,
            sheet=ZRR_SHEET,
            required=["CODGEO", "ZRR_SIMP", "ZONAGE_ZRR"],
        )
    frame = frame.dropna(subset=["CODGEO"])
    klass = frame["ZRR_SIMP"].astype(str).str.split(" - ").str[0].str.strip()
    return pd.DataFrame(
        {
            "code": frame["CODGEO"].astype(str).str.strip().str.zfill(5).to_numpy(),
            "zrr": klass.map(_CLASSES).fillna(value=False).astype(bool).to_numpy(),
            "zrr_class": klass.to_numpy(),
            "zrr_detail": frame["ZONAGE_ZRR"].astype(str).to_numpy(),
        }
    )
