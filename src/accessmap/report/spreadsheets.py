"""French CSVs for spreadsheets and their data dictionary (``tables/fr``).

Every header, value, unit and precision comes from the column registry
(:mod:`accessmap.columns`, through :mod:`accessmap.labels`): French headers with units, coded
values as French labels, numbers rounded by kind (APL to 2 decimals, minutes to 1, counts as
integers, shares in percent), ``;`` separators, decimal commas and UTF-8 with a byte-order mark,
so that Excel and LibreOffice in French open them in columns, as numbers, with their accents.
Tables mixing the territory and its buffer start with a ``zone`` column (« territoire », « zone
tampon ») and list the territory's rows first; names are written beside codes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from accessmap.labels import (
    CSV_TABLES,
    KIND_DIGITS,
    KIND_LABELS,
    MEASURE_KINDS,
    Column,
    band_label,
    fmt_date,
    label,
    table_column,
)
from accessmap.messages.formats import is_missing
from accessmap.report.tables import profession_nouns, tables

if TYPE_CHECKING:
    from accessmap.diagnostic import Diagnostic

__all__ = [
    "DICTIONARY_COLUMNS",
    "FrenchTable",
    "data_dictionary",
    "dictionary_html",
    "french_frame",
    "french_table",
    "french_tables",
    "write_french_csv",
]

#: Columns of INSEE codes, beside which the commune's name is written.
_CODE_COLUMNS = ("id", "code", "commune_code")
#: Columns of site identifiers (or of INSEE codes of new sites), beside which names are written.
_SITE_COLUMNS = ("nearest_site", "site_id", "new_sites")


@dataclass(frozen=True, slots=True)
class FrenchTable:
    """A table as written for French spreadsheets, with the columns it was made from.

    Attributes
    ----------
    frame
        French headers, every cell a French string (numbers rounded, decimal comma, no
        thousands separator: a spreadsheet reads them as numbers).
    columns
        For each column in order: the machine column it comes from and its registered
        :class:`accessmap.labels.Column` (header, kind, description).
    """

    frame: pd.DataFrame
    columns: tuple[tuple[str, Column], ...]


def _number(value: Any, digits: int, *, percent: bool = False) -> str:
    """Return a rounded number with a decimal comma and no trailing zero (« 2,98 », « 40 »)."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if is_missing(value) or value is pd.NA:
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "" if is_missing(value) else str(value)
    if not math.isfinite(number):
        return ""
    number = number * 100.0 if percent else number
    text = f"{round(number, digits):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace(".", ",")


def _numbers(values: np.ndarray, digits: int, *, percent: bool = False) -> list[str]:
    """Return :func:`_number` of every value of a float array (the same strings, faster).

    Each distinct value is written once (a table repeats its populations and times option
    after option); ``0.0`` and ``-0.0``, equal as keys, both write « 0 ».
    """
    scaled = values * 100.0 if percent else values
    seen: dict[float, str] = {}
    out = []
    for number, finite in zip(scaled.tolist(), np.isfinite(values).tolist(), strict=True):
        if not finite:
            out.append("")
            continue
        text = seen.get(number)
        if text is None:
            text = f"{round(number, digits):.{digits}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            text = seen[number] = "0" if text == "-0" else text.replace(".", ",")
        out.append(text)
    return out


def _each(values: Sequence[Any], convert: Callable[[Any], str]) -> list[str]:
    """Return ``[convert(v) for v in values]``, converting each distinct value once.

    Values are told apart by type as well (``True``, ``1`` and ``1.0`` are equal keys but
    may read differently); an unhashable value is converted every time.
    """
    seen: dict[tuple[type, Any], str] = {}
    out = []
    for value in values:
        key = (type(value), value)
        try:
            text = seen[key]
        except KeyError:
            text = seen[key] = convert(value)
        except TypeError:
            text = convert(value)
        out.append(text)
    return out


def _float_values(column: pd.Series) -> np.ndarray | None:
    """Return a numeric (not boolean) column as floats, NaN where missing; else ``None``."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return None
    values: np.ndarray = column.to_numpy(dtype=float, na_value=np.nan)
    return values


def _restructure(
    frame: pd.DataFrame, names: Mapping[str, str], sites: Mapping[str, str]
) -> pd.DataFrame:
    """Zone first (territory's rows first), names beside codes, site names beside site ids."""
    out = frame.copy(deep=False)  # pandas copies on write: the machine table stays as it is
    if {"profession", "label"} <= set(out.columns):
        out = out.drop(columns="label")  # the registry's label is written in « profession »
    if "in_territory" in out.columns:
        inside = out.pop("in_territory").astype("boolean").fillna(value=False)
        out.insert(0, "zone", ["territory" if bool(v) else "buffer" for v in inside])
    elif "zone" in out.columns:
        out.insert(0, "zone", out.pop("zone"))
    if "zone" in out.columns:
        out = out.iloc[np.argsort((out["zone"] != "territory").to_numpy(), kind="stable")]
    code = next((c for c in _CODE_COLUMNS if c in out.columns), None)
    if code is not None and ("nom" in out.columns or names):
        nom = out.pop("nom") if "nom" in out.columns else out[code].astype(str).map(names)
        out.insert(list(out.columns).index(code) + 1, "nom", nom.to_numpy())
    for col in _SITE_COLUMNS:
        if col not in out.columns:
            continue
        lookup = names if col == "new_sites" else sites
        if not lookup or (col == "site_id" and "name" in out.columns):
            continue
        shown = _each(list(out[col]), partial(_named, lookup=lookup))
        out.insert(list(out.columns).index(col) + 1, f"{col}_nom", shown)
    return out.reset_index(drop=True)


def _labeller(col: str, spec: Column) -> Callable[[Any], str] | None:
    """Return the French labelling of a coded column's values (``None``: not a coded column)."""
    vocabulary = spec.vocabulary
    if vocabulary is not None:
        return lambda v: label(vocabulary, v) if not is_missing(v) else ""
    if col == "band":
        return lambda v: band_label(str(v)) if not is_missing(v) else ""
    if col == "professions":
        nouns = profession_nouns()
        return lambda v: ", ".join(nouns.get(k.strip(), k.strip()) for k in str(v).split(","))
    if col == "fetched_at":
        return lambda v: fmt_date(v) if not is_missing(v) else ""
    return None


def _named(value: Any, *, lookup: Mapping[str, str]) -> str:
    """Return the names of the comma-separated identifiers of ``value`` (« » when missing)."""
    if is_missing(value):
        return ""
    return ", ".join(
        str(lookup.get(k.strip(), k.strip())) for k in str(value).split(",") if k.strip()
    )


def _cells(frame: pd.DataFrame, col: str, spec: Column) -> list[str]:
    """French cells of one column (codes as labels, numbers rounded by kind, shares in %)."""
    values = frame[col].tolist()
    if col in {"value", "q10", "q50", "q90"} and "measure" in frame.columns:
        kinds = [MEASURE_KINDS.get(str(m), spec.kind) for m in frame["measure"]]
    else:
        kinds = [spec.kind] * len(values)
    labeller = _labeller(col, spec)
    if labeller is not None:
        return _each(values, labeller)
    if len(set(kinds)) != 1:  # a kind per row (the outlook's measures), or no row
        return [_cell(v, k) for v, k in zip(values, kinds, strict=True)]
    kind = kinds[0]
    numbers = _float_values(frame[col])
    if numbers is not None and kind != "text":
        return _numbers(numbers, KIND_DIGITS[kind], percent=kind == "share")
    return _each(values, lambda v: _cell(v, kind))


def _cell(value: Any, kind: str) -> str:
    """French cell of one value of a column of ``kind`` (:data:`accessmap.labels.KIND_DIGITS`)."""
    if isinstance(value, bool | np.bool_):
        return "oui" if value else "non"
    if kind == "text":
        return str(value) if not is_missing(value) else ""
    return _number(value, KIND_DIGITS[kind], percent=kind == "share")


def _measure_cells(frame: pd.DataFrame) -> list[str]:
    return [
        label("measure", m) + (" (%)" if MEASURE_KINDS.get(str(m)) == "share" else "")
        for m in frame["measure"]
    ]


def french_table(
    frame: pd.DataFrame,
    *,
    table: str = "",
    names: Mapping[str, str] | None = None,
    sites: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> FrenchTable:
    """Return a machine table as a French spreadsheet reads it.

    Every header and value comes from the column registry (:func:`accessmap.labels.table_column`):
    French headers with their unit, coded values as French labels, numbers rounded by kind
    (APL to 2 decimals, minutes to 1, counts as integers, shares in percent with ``(%)`` in the
    header), a ``zone`` column (« territoire » or « zone tampon ») first with the territory's
    rows first, commune names beside INSEE codes and site names beside site identifiers.

    Parameters
    ----------
    frame
        A machine table.
    table
        Its file stem (:data:`accessmap.labels.CSV_TABLES`): columns whose meaning is particular
        to the table (the other professions') read their own entry.
    names
        Commune names by INSEE code (for tables without a ``nom`` column and for new sites).
    sites
        Site names by site identifier.
    headers
        Headers that win over the registry's.

    Returns
    -------
    FrenchTable
        The French strings and, per column, its machine source and registered column.
    """
    out = _restructure(frame, names or {}, sites or {})
    cells: dict[str, list[str]] = {}
    used: list[tuple[str, Column]] = []
    chosen: list[str] = []
    for col in (str(c) for c in out.columns):
        spec = table_column(table, col) or Column(
            col.replace("_", " "),
            "float2" if pd.api.types.is_float_dtype(out[col]) else "text",
        )
        header = (headers or {}).get(col) or spec.csv_header
        while header in chosen:
            header = f"{header} ({col.replace('_', ' ')})"
        chosen.append(header)
        cells[header] = _measure_cells(out) if col == "measure" else _cells(out, col, spec)
        source = "in_territory" if col == "zone" and "zone" not in frame.columns else col
        used.append((source.removesuffix("_nom") if col.endswith("_nom") else source, spec))
    return FrenchTable(pd.DataFrame(cells, columns=chosen), tuple(used))


def french_frame(frame: pd.DataFrame, headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return a table for French spreadsheets (see :func:`french_table`).

    Parameters
    ----------
    frame
        A machine table.
    headers
        French headers that win over the column registry's.

    Returns
    -------
    pandas.DataFrame
        French headers, French strings.
    """
    return french_table(frame, headers=headers).frame


def write_french_csv(
    frame: pd.DataFrame | FrenchTable, path: Path, headers: Mapping[str, str] | None = None
) -> Path:
    """Write a CSV for French spreadsheets: ``;``, decimal comma, UTF-8 with BOM.

    Parameters
    ----------
    frame
        A machine table (converted by :func:`french_table`) or an already converted table.
    path
        Destination file.
    headers
        French headers that win over the column registry's.

    Returns
    -------
    pathlib.Path
        ``path``. Read it back with ``pandas.read_csv(path, sep=";", decimal=",",
        encoding="utf-8-sig")``.
    """
    table = frame if isinstance(frame, FrenchTable) else french_table(frame, headers=headers)
    table.frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    return path


def french_tables(
    diagnostic: Diagnostic, *, machine: Mapping[str, pd.DataFrame] | None = None
) -> dict[str, FrenchTable]:
    """Return the French CSV tables of the report (:func:`tables`, written for spreadsheets).

    Parameters
    ----------
    diagnostic
        A computed diagnostic.
    machine
        Its machine tables when already computed (:func:`tables`).

    Returns
    -------
    dict
        File stem → :class:`FrenchTable`.
    """
    d = diagnostic
    names = {str(k): str(v) for k, v in
             d.inputs.territory.study_area.set_index("code")["nom"].items()}  # fmt: skip
    roster = d.inputs.roster.sites
    sites = dict(zip(roster["site_id"].astype(str), roster["name"].astype(str), strict=True))
    return {
        stem: french_table(frame, table=stem, names=names, sites=sites)
        for stem, frame in (tables(d) if machine is None else machine).items()
    }


#: Columns of the data dictionary (``tables/fr/dictionnaire.csv``).
DICTIONARY_COLUMNS = (
    "fichier", "contenu du fichier", "colonne", "colonne du tableau machine", "type", "description",
)  # fmt: skip


def data_dictionary(french: Mapping[str, FrenchTable]) -> pd.DataFrame:
    """Return the data dictionary of the French CSV tables: one row per table and column.

    Parameters
    ----------
    french
        The French tables (:func:`french_tables`).

    Returns
    -------
    pandas.DataFrame
        :data:`DICTIONARY_COLUMNS`: the file, what it holds, the French header, the machine
        column of ``tables/<stem>.csv`` it comes from, its type (unit, decimals) and meaning.
    """
    rows = [
        (f"{stem}.csv", CSV_TABLES.get(stem, ""), header, machine, KIND_LABELS[spec.kind],
         spec.description)
        for stem, table in french.items()
        for header, (machine, spec) in zip(table.frame.columns, table.columns, strict=True)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=list(DICTIONARY_COLUMNS))


def dictionary_html(dictionary: pd.DataFrame) -> str:
    """Return the data dictionary as a self-contained French HTML page (one table per file).

    Parameters
    ----------
    dictionary
        From :func:`data_dictionary`.

    Returns
    -------
    str
        A complete HTML document.
    """
    from html import escape

    parts = []
    for name, rows in dictionary.groupby("fichier", sort=False):
        body = "".join(
            f"<tr><td>{escape(str(r['colonne']))}</td><td>{escape(str(r['type']))}</td>"
            f"<td>{escape(str(r['description']))}</td>"
            f"<td><code>{escape(str(r['colonne du tableau machine']))}</code></td></tr>"
            for r in rows.to_dict("records")
        )
        parts.append(
            f"<h2>{escape(str(name))}</h2><p>{escape(str(rows['contenu du fichier'].iloc[0]))}"
            "</p><table><thead><tr><th>colonne</th><th>type</th><th>description</th>"
            f"<th>colonne du tableau machine</th></tr></thead><tbody>{body}</tbody></table>"
        )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        "<title>Dictionnaire des données</title><style>body{font-family:sans-serif;"
        "max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;"
        "width:100%}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;"
        "vertical-align:top}</style></head><body><h1>Dictionnaire des données</h1>"
        f"<p>{escape(DICTIONARY_LEAD)}</p>{''.join(parts)}</body></html>"
    )


#: First paragraph of the data dictionary page.
DICTIONARY_LEAD = (
    "Tableaux du dossier tables/fr : séparateur point-virgule, virgule décimale, encodage UTF-8, "
    "nombres arrondis (APL à 2 décimales, minutes à 1 décimale, effectifs en nombres entiers, "
    "parts en pourcentage). Chaque tableau commence par la colonne « zone » quand il mêle les "
    "communes du territoire et celles de la zone tampon : les lignes du territoire viennent en "
    "premier. Les tableaux du dossier tables (en-têtes anglais, pleine précision) portent les "
    "mêmes chiffres pour les programmes."
)
