"""The ANCT file of communes classified in ZRR (zones de revitalisation rurale)."""

from __future__ import annotations

import contextlib
from typing import Any

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


#: Row of the column names in :data:`ZRR_SHEET` (0-based; five title rows above it).
ZRR_HEADER_ROW = 5


def _text(value: Any) -> str | None:
    """Return a cell as text: empty is ``None``, a whole number without its ``.0``."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_zrr(source: SourceFile) -> pd.DataFrame:
    """Parse the ZRR sheet with calamine, row by row (a fifth of ``pandas.read_excel``'s time)."""
    from python_calamine import CalamineWorkbook

    try:
        # from the bytes, not the name: calamine then tells .xls from .xlsx by their content
        with source.path.open("rb") as handle:
            book = CalamineWorkbook.from_filelike(handle)
        rows = book.get_sheet_by_name(ZRR_SHEET).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 (calamine raises many types for a bad file)
        raise ValidationError(
            "sources.zrr_sheet_unreadable",
            field=source.path.name,
            sheet=ZRR_SHEET,
            where=parse_error_place(exc),
        ) from None
    names = [_text(v) for v in rows[ZRR_HEADER_ROW]] if len(rows) > ZRR_HEADER_ROW else []
    required = ["CODGEO", "ZRR_SIMP", "ZONAGE_ZRR"]
    missing = [c for c in required if c not in names]
    if missing:
        raise ValidationError(
            "sources.zrr_missing_columns",
            field=source.path.name,
            columns=missing,
            sheet=ZRR_SHEET,
            required=required,
        )
    at = [names.index(c) for c in required]
    # every row with a commune code; a missing class or label stays missing
    kept = [[_text(row[k]) for k in at] for row in rows[ZRR_HEADER_ROW + 1 :]]
    kept = [cells for cells in kept if cells[0]]
    klass = [None if simp is None else simp.split(" - ")[0].strip() for _, simp, _ in kept]
    return pd.DataFrame(
        {
            "code": [str(code).strip().zfill(5) for code, _, _ in kept],
            "zrr": [_CLASSES.get(k or "", False) for k in klass],
            "zrr_class": klass,
            "zrr_detail": [detail for _, _, detail in kept],
        },
        columns=list(ZRR_COLUMNS),
    ).astype({"code": str, "zrr_class": str, "zrr_detail": str})  # as pandas reads text
