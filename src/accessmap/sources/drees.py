"""The DREES APL workbook: parameters (sheet ``Paramètres``) and published APL per commune.

Parsing the 35,000-row sheets takes seconds, so the parsed table is cached as Parquet under
``<cache_dir>/parsed/``, keyed by the workbook's sha256 (content-hash caching, as r5py does): a new
workbook is parsed again, the same one never is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from accessmap.contracts import AGE_BANDS, AplParameters, DecayBand
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.settings import get_settings
from accessmap.sources._once import once
from accessmap.sources.arrondissements import published_to_communes
from accessmap.sources.files import parse_error_place
from accessmap.sources.mirror import SourceFile, resolve, shown_path

__all__ = ["APL_COLUMNS", "load_apl_parameters", "load_apl_published", "parse_apl_parameters"]

PARAMETER_SHEET = "Paramètres"
APL_COLUMNS: tuple[str, ...] = ("code", "year", "apl", "apl_u65", "pop_std", "pop_total")
_YEAR_SHEET = re.compile(r"APL (\d{4})")


def _number(text: str) -> float:
    """First number in a French label: ``'Entre 3 601 et 6 000'`` → 3601."""
    match = re.search(r"\d[\d\s\u202f\xa0]*(?:[.,]\d+)?", text)
    if not match:
        raise ValueError(text)
    return float(re.sub(r"[\s\u202f\xa0]", "", match.group()).replace(",", "."))


def _numbers(text: str) -> list[float]:
    return [
        float(re.sub(r"[\s\u202f\xa0]", "", m).replace(",", "."))
        for m in re.findall(r"\d+(?:[\s\u202f\xa0]\d{3})*(?:[.,]\d+)?", text)
    ]


def _open_workbook(path: Path) -> Any:
    """Open the workbook with calamine (a Rust reader: every sheet in a fraction of a second)."""
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 (calamine raises many types for a bad file)
        raise ValidationError(
            "sources.workbook_unreadable",
            field=shown_path(path),
            where=parse_error_place(exc),
        ) from None


def _cell(value: Any) -> Any:
    """Give a cell as openpyxl did: empty is ``None``, a whole number an ``int``."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _sheet_rows(book: Any, name: str) -> list[tuple[Any, ...]]:
    """Every row of a sheet (as wide as the sheet), cells as :func:`_cell` gives them."""
    return [tuple(_cell(v) for v in row) for row in book.get_sheet_by_name(name).to_python()]


@dataclass
class _ParamRows:
    """What the ``Paramètres`` sheet has given so far (filled row by row)."""

    activity: dict[str, float | None] = field(default_factory=dict)
    decay: list[DecayBand] = field(default_factory=list)
    weights: dict[int, list[float]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)


def _activity_row(acc: _ParamRows, row: Sequence[Any], label: str, low: str) -> None:
    value = row[1] if len(row) > 1 else None
    if "imput" in low:
        found = [n for n in _numbers(label) if n >= 1000]
        acc.activity["new_gp"] = found[0] if found else None
    elif isinstance(value, int | float):
        if low.startswith("moins"):
            acc.activity["zero_below"] = _number(label)
        elif low.startswith("entre"):
            acc.activity["floor_acts"] = float(value)
        elif low.startswith("plus"):
            acc.activity["cap_acts"] = float(value)


def _decay_row(acc: _ParamRows, row: Sequence[Any], label: str, low: str) -> None:
    value = row[1] if len(row) > 1 else None
    if not isinstance(value, int | float):
        return
    bounds = _numbers(label)
    if low.startswith("moins"):
        acc.decay.append(DecayBand(0.0, bounds[0], float(value)))
    elif low.startswith("entre"):
        acc.decay.append(DecayBand(bounds[0], bounds[1], float(value)))
    # "Plus de 20 minutes" has weight 0: implied beyond the last band.


def _ages_row(acc: _ParamRows, row: Sequence[Any], label: str, low: str) -> None:
    if low.startswith("tranche"):
        acc.years = [int(m.group()) for c in row[1:] if c and (m := re.search(r"\d{4}", str(c)))]
        return
    cells = list(row[1 : 1 + len(acc.years)])
    if acc.years and label and all(isinstance(c, int | float) for c in cells):
        for year, cell in zip(acc.years, cells, strict=True):
            acc.weights.setdefault(year, []).append(float(cell))


_SECTIONS = {"comptabilisation": "activity", "décroissance": "decay", "pondération": "ages"}
_ROW_READERS: dict[str, Callable[[_ParamRows, Sequence[Any], str, str], None]] = {
    "activity": _activity_row,
    "decay": _decay_row,
    "ages": _ages_row,
}


def parse_apl_parameters(rows: Sequence[Sequence[Any]], *, source: str = "") -> AplParameters:
    """Parse the rows of the ``Paramètres`` sheet into :class:`AplParameters`.

    Parameters
    ----------
    rows
        The sheet's rows (tuples of cell values; empty cells ``None``).
    source
        Label kept in the result.

    Returns
    -------
    AplParameters
        Activity thresholds, decay bands and age weights per vintage.

    Raises
    ------
    ValidationError
        When a block (activity, decay, age weights) cannot be found.

    References
    ----------
    DREES, APL aux médecins généralistes, sheet *Paramètres*.
    """
    acc = _ParamRows()
    section = ""
    for row in rows:
        label = str(row[0]).strip() if row and row[0] is not None else ""
        low = label.lower()
        starts = next((name for key, name in _SECTIONS.items() if low.startswith(key)), None)
        if starts is not None:
            section = starts
        elif section:
            _ROW_READERS[section](acc, row, label, low)
    zero_below, floor_acts = acc.activity.get("zero_below"), acc.activity.get("floor_acts")
    cap_acts, new_gp = acc.activity.get("cap_acts"), acc.activity.get("new_gp")
    decay, weights = acc.decay, acc.weights
    missing = [
        message
        for message, value in (
            (Message("sources.apl_activity_row", label="Moins de 250"), zero_below),
            (Message("sources.apl_activity_row", label="Entre 251 et 3 600"), floor_acts),
            (Message("sources.apl_activity_row", label="Plus de 6 000"), cap_acts),
            (Message("sources.apl_new_gp_activity"), new_gp),
        )
        if value is None
    ]
    if not decay:
        missing.append(Message("sources.apl_decay_bands"))
    bad_years = [y for y, w in weights.items() if len(w) != len(AGE_BANDS)]
    if not weights or bad_years:
        missing.append(Message("sources.apl_age_weights", count=len(AGE_BANDS)))
    if missing:
        raise ValidationError(
            "sources.apl_parameters_incomplete",
            field=PARAMETER_SHEET,
            sheet=PARAMETER_SHEET,
            missing=missing,
        )
    return AplParameters(
        zero_below=float(zero_below or 0.0),
        floor_acts=float(floor_acts or 0.0),
        cap_acts=float(cap_acts or 0.0),
        new_gp_acts=float(new_gp or 0.0),
        decay=tuple(sorted(decay, key=lambda b: b.lower)),
        age_weights={y: tuple(w) for y, w in weights.items()},
        source=source or str(Message("sources.apl_workbook")),
    )


def load_apl_parameters(*, provenance: list[SourceFile] | None = None) -> AplParameters:
    """Read the APL parameters from the DREES workbook (mirror, cache or error).

    Parameters
    ----------
    provenance
        When given, the resolved file's record is appended.

    Returns
    -------
    AplParameters
        As published in the workbook.

    Raises
    ------
    ValidationError
        Workbook unreadable or without the ``Paramètres`` sheet.
    OfflineError
        Workbook not found.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes ».
    """
    source = resolve("drees_apl")
    rows = once(
        ("drees_parameters", str(source.path), source.sha256), lambda: _parameter_rows(source)
    )
    if provenance is not None:
        provenance.append(source)
    source_label = Message("sources.apl_workbook_file", name=shown_path(source.path))
    return parse_apl_parameters(rows, source=str(source_label))


def _parameter_rows(source: SourceFile) -> list[Any]:
    """Rows of the parameter sheet, cached as JSON beside the parsed sheets (keyed by sha256)."""
    import json

    from accessmap.sources._http import atomic_write_bytes

    parsed = get_settings().cache_dir / "parsed" / f"drees_params-{source.sha256[:16]}.json"
    if parsed.is_file():
        rows: list[Any] = json.loads(parsed.read_text(encoding="utf-8"))
        return rows
    book = _open_workbook(source.path)
    if PARAMETER_SHEET not in book.sheet_names:
        raise ValidationError(
            "sources.no_parameter_sheet",
            field=shown_path(source.path),
            sheet=PARAMETER_SHEET,
            sheets=list(book.sheet_names),
        )
    rows = _sheet_rows(book, PARAMETER_SHEET)
    atomic_write_bytes(parsed, json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    return rows


def _parse_year_sheet(rows: Sequence[Sequence[Any]], year: int, sheet: str) -> pd.DataFrame:
    header_at = next(
        (i for i, r in enumerate(rows) if r and str(r[0] or "").startswith("Code commune")), None
    )
    if header_at is None:
        raise ValidationError("sources.apl_no_header", field=sheet, header="Code commune INSEE")
    body = [r[:6] for r in rows[header_at + 1 :] if r and r[0] is not None and r[2] is not None]
    frame = pd.DataFrame(body, columns=["code", "nom", "apl", "apl_u65", "pop_std", "pop_total"])
    frame = frame[frame["code"].astype(str).str.fullmatch(r"[0-9AB]{5}")].copy()
    frame["code"] = frame["code"].astype(str)
    for col in ("apl", "apl_u65", "pop_std", "pop_total"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["year"] = year
    return frame[list(APL_COLUMNS)]


def load_apl_published(
    *, years: Sequence[int] | None = None, provenance: list[SourceFile] | None = None
) -> pd.DataFrame:
    """Read the published APL per commune and year from the DREES workbook.

    Parameters
    ----------
    years
        Vintages to keep (default: every ``APL YYYY`` sheet).
    provenance
        When given, the resolved file's record is appended.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`APL_COLUMNS`: ``code`` (INSEE), ``year``, ``apl`` (all GPs), ``apl_u65``
        (GPs under 65), ``pop_std`` (age-standardised population), ``pop_total``. The workbook
        publishes Paris, Lyon and Marseille by arrondissement: they are given as the communes
        75056, 69123, 13055 (:func:`accessmap.sources.arrondissements.published_to_communes`).

    Raises
    ------
    ValidationError
        Unreadable workbook, no ``APL YYYY`` sheet, or a requested year absent.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes », 2022, 2023.
    """
    source = resolve("drees_apl")
    table = once(("drees_published", str(source.path), source.sha256), lambda: _published(source))
    if provenance is not None:
        provenance.append(source)
    if years is not None:
        absent = sorted(set(years) - set(table["year"]))
        if absent:
            raise ValidationError(
                "sources.apl_years_absent",
                field="years",
                years=[int(y) for y in absent],
                available=sorted(int(y) for y in set(table["year"])),
            )
        table = table[table["year"].isin(list(years))]
    # once per run too (the territory and its calibration area ask for the same table); each
    # caller gets its own frame (a shallow copy: copy-on-write)
    vintages = None if years is None else tuple(int(y) for y in years)
    key = ("drees_communes", str(source.path), source.sha256, vintages)
    communes = once(key, lambda: published_to_communes(table).reset_index(drop=True))
    return communes.copy(deep=False)


def _published(source: SourceFile) -> pd.DataFrame:
    """Every ``APL YYYY`` sheet, cached as Parquet (keyed by the workbook's sha256)."""
    from accessmap.sources._http import atomic_write_bytes

    parsed = get_settings().cache_dir / "parsed" / f"drees_apl-{source.sha256[:16]}.parquet"
    if parsed.is_file():
        return pd.read_parquet(parsed)
    book = _open_workbook(source.path)
    found = [(s, int(m.group(1))) for s in book.sheet_names if (m := _YEAR_SHEET.fullmatch(s))]
    if not found:
        raise ValidationError(
            "sources.apl_no_year_sheet",
            field=shown_path(source.path),
            sheets=list(book.sheet_names),
        )
    table = pd.concat(
        [_parse_year_sheet(_sheet_rows(book, s), y, s) for s, y in found], ignore_index=True
    )
    atomic_write_bytes(parsed, table.to_parquet(index=False))
    return table
