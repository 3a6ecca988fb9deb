"""Tables of the report: machine CSVs, French CSVs for spreadsheets, HTML tables, provenance.

Machine CSVs keep English column names, ``,`` separators and full precision. French CSVs (for
Excel/LibreOffice in French) use French headers with units, ``;`` separators, decimal commas and
UTF-8 with a byte-order mark, so that they open in columns with their accents. HTML tables format
every value by its column (:func:`accessmap.labels.format_value`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
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
    column_label,
    fmt_date,
    fmt_float,
    fmt_int,
    fmt_percent,
    format_value,
    label,
    table_column,
)
from accessmap.messages.formats import is_missing
from accessmap.professions import PROFESSIONS
from accessmap.report.figures import communes_layer

if TYPE_CHECKING:
    from accessmap.diagnostic import Diagnostic
    from accessmap.diagnostic.professions import ProfessionsResult
    from accessmap.indicators import ZoneDeficitaire
    from accessmap.siting import SitingResult


def provenance_table(d: Diagnostic) -> pd.DataFrame:
    """Every input file read, once, without local paths.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    pandas.DataFrame
        ``source`` (dataset key), ``file`` (file name), ``path`` (path inside the data mirror,
        or the URL when downloaded), ``origin``, ``vintage``, ``sha256``, ``fetched_at``; one row
        per distinct file.
    """
    from accessmap.sources.mirror import DATASETS

    rows = []
    for s in d.inputs.provenance:
        record = s.as_record()
        location = str(record.get("location", ""))
        name = PurePosixPath(location).name if "://" not in location else location
        dataset = DATASETS.get(record["source"])
        depth = len(PurePosixPath(dataset.relpath).parts) if dataset is not None else 1
        if record.get("origin") == "online":
            path = location
        elif record.get("origin") == "local":
            path = f"accessmap/data/{name}" if "/accessmap/data/" in location else name
        else:
            path = "/".join(PurePosixPath(location).parts[-depth:])
        rows.append({**record, "file": name, "path": path})
    columns = ["source", "file", "path", "origin", "vintage", "sha256", "fetched_at"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.drop_duplicates(["source", "path", "sha256"]).reset_index(drop=True)


def provenance_html_frame(d: Diagnostic) -> pd.DataFrame:
    """Return the provenance table as a reader sees it (French headers and values, short hashes).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    pandas.DataFrame
        French columns, one row per file.
    """
    prov = provenance_table(d)
    return pd.DataFrame(
        {
            "jeu de données": [label("dataset", s) for s in prov["source"]],
            "fichier": prov["file"],
            "chemin dans le miroir de données": prov["path"],
            "provenance": [label("origin", o) for o in prov["origin"]],
            "millésime": [label("vintage", v) for v in prov["vintage"]],
            "empreinte SHA-256": prov["sha256"].astype(str).str.slice(0, 12) + "…",
            "lu le": [fmt_date(t) for t in prov["fetched_at"]],
        }
    )


def tables(diagnostic: Diagnostic) -> dict[str, pd.DataFrame]:
    """Return the CSV tables of the report, keyed by file stem.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    dict
        ``communes``, ``bandes``, ``options``, ``options_communes``, ``effectifs``,
        ``acces_futur``, ``pertes``, ``drees`` (when available), ``sources``, and the other
        professions' tables (:func:`profession_tables`).
    """
    d = diagnostic
    layer = communes_layer(d)
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    per_option = d.option_communes
    out = {
        "communes": pd.DataFrame(layer.drop(columns="geometry")),
        "bandes": d.indicators.bands,
        "options": d.comparison,
        "options_communes": per_option.assign(nom=per_option["id"].map(names)),
        "effectifs": d.outlook.workforce,
        "acces_futur": d.outlook_mc.access,
        "pertes": d.outlook_mc.losses.assign(nom=d.outlook_mc.losses["commune_code"].map(names)),
        "sources": provenance_table(d),
    }
    if d.drees is not None:
        out["drees"] = d.drees.table.assign(nom=d.drees.table["id"].map(names))
    return {**out, **profession_tables(d)}


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


def _restructure(
    frame: pd.DataFrame, names: Mapping[str, str], sites: Mapping[str, str]
) -> pd.DataFrame:
    """Zone first (territory's rows first), names beside codes, site names beside site ids."""
    out = frame.copy()
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
        shown = [
            ", ".join(str(lookup.get(k.strip(), k.strip())) for k in str(v).split(",") if k.strip())
            if not is_missing(v) else ""
            for v in out[col]
        ]  # fmt: skip
        out.insert(list(out.columns).index(col) + 1, f"{col}_nom", shown)
    return out.reset_index(drop=True)


def _cells(frame: pd.DataFrame, col: str, spec: Column) -> list[str]:
    """French cells of one column (codes as labels, numbers rounded by kind, shares in %)."""
    values = frame[col].tolist()
    if col in {"value", "q10", "q50", "q90"} and "measure" in frame.columns:
        kinds = [MEASURE_KINDS.get(str(m), spec.kind) for m in frame["measure"]]
    else:
        kinds = [spec.kind] * len(values)
    if spec.vocabulary is not None:
        return [label(spec.vocabulary, v) if not is_missing(v) else "" for v in values]
    if col == "band":
        return [band_label(str(v)) if not is_missing(v) else "" for v in values]
    if col == "professions":
        nouns = profession_nouns()
        return [
            ", ".join(nouns.get(k.strip(), k.strip()) for k in str(v).split(",")) for v in values
        ]
    if col == "fetched_at":
        return [fmt_date(v) if not is_missing(v) else "" for v in values]
    return [
        ("oui" if v else "non") if isinstance(v, bool | np.bool_)
        else str(v) if k == "text" and not is_missing(v)
        else "" if k == "text"
        else _number(v, KIND_DIGITS[k], percent=k == "share")
        for v, k in zip(values, kinds, strict=True)
    ]  # fmt: skip


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


def french_tables(diagnostic: Diagnostic) -> dict[str, FrenchTable]:
    """Return the French CSV tables of the report (:func:`tables`, written for spreadsheets).

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

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
        for stem, frame in tables(d).items()
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


def table_html(
    frame: pd.DataFrame, columns: Mapping[str, str] | Sequence[str] | None = None
) -> str:
    """HTML table with French headers and every value formatted by its column.

    Parameters
    ----------
    frame
        A machine table.
    columns
        Columns to show, in order: a list of machine names (French headers from
        :func:`accessmap.labels.column_label`) or ``{machine name: French header}``.

    Returns
    -------
    str
        A ``<table class="table">`` (numbers right-aligned).
    """
    from html import escape

    chosen = list(columns) if columns is not None else list(frame.columns)
    chosen = [c for c in chosen if c in frame.columns]
    headers = (
        [columns[c] for c in chosen] if isinstance(columns, Mapping) else
        [column_label(c) for c in chosen]
    )  # fmt: skip
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and frame[c].dtype != bool for c in chosen]
    cls = [' class="num"' if n else "" for n in numeric]
    head = "".join(f"<th{k}>{escape(h)}</th>" for h, k in zip(headers, cls, strict=True))
    rows = [
        "<tr>"
        + "".join(
            f"<td{k}>{escape(format_value(c, v))}</td>"
            for c, v, k in zip(chosen, values, cls, strict=True)
        )
        + "</tr>"
        for values in frame[chosen].itertuples(index=False, name=None)
    ]
    return (
        f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def html_tables(d: Diagnostic) -> dict[str, str]:
    """Return the HTML tables of the report.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    dict
        ``options``, ``communes``, ``drees`` (when available), ``siting``, ``provenance``.
    """
    names = d.inputs.territory.communes.set_index("code")["nom"]
    out = {
        "options": table_html(
            d.comparison,
            ["option", "new_fte", "pop_within_10", "pop_within_20", "mean_minutes", "max_minutes",
             "apl_territory", "communes_apl_below", "pop_apl_below", "communes_losing_last_gp"],
        ),
    }  # fmt: skip
    inside = d.indicators.communes[d.indicators.communes["in_territory"]]
    communes = inside.assign(nom=inside["id"].map(names)).sort_values("apl")
    out["communes"] = table_html(
        communes, ["id", "nom", "population", "nearest_minutes", "apl", "apl_u65", "apl_class"]
    )
    if d.drees is not None:
        largest = d.drees.largest.assign(nom=d.drees.largest["id"].map(names))
        out["drees"] = table_html(
            largest, ["id", "nom", *[str(c) for c in largest.columns if c not in {"id", "nom"}]]
        )
    out["siting"] = table_html(_siting_frame(d, names))
    if d.official_effects is not None and not d.official_effects.empty:
        out["official_effects"] = table_html(official_effects_frame(d.official_effects))
    out["provenance"] = table_html(provenance_html_frame(d))
    return out


def official_effects_frame(effects: pd.DataFrame) -> pd.DataFrame:
    """French table of « APL officiel + effet modélisé » per option.

    Parameters
    ----------
    effects
        From :func:`accessmap.indicators.official.official_plus_effect`.

    Returns
    -------
    pandas.DataFrame
        Option, territory APL (published + modelled effect), communes and inhabitants below 2.5.
    """
    return pd.DataFrame(
        {
            "option": effects["option"].astype(str),
            "APL officiel + effet modélisé": [fmt_float(v, 2) for v in
                                              effects["apl_official_plus_effect"]],
            "communes sous 2,5": [fmt_int(v) for v in
                                  effects["communes_priority_official_plus_effect"]],
            "habitants sous 2,5": [fmt_int(v) for v in
                                   effects["pop_priority_official_plus_effect"]],
        }
    )  # fmt: skip


def _siting_frame(d: Diagnostic, names: pd.Series) -> pd.DataFrame:
    return siting_frame(d.options_siting, names)


def siting_frame(results: Iterable[SitingResult], names: pd.Series) -> pd.DataFrame:
    """French table of siting answers: model, chosen communes, solver status, objective, gap.

    Parameters
    ----------
    results
        Siting answers.
    names
        Commune (or site) names by id.

    Returns
    -------
    pandas.DataFrame
    """
    rows: list[dict[str, Any]] = [
        {
            "modèle": label("model", r.model),
            "sites (communes)": ", ".join(str(names.get(s, s)) for s in r.sites),
            "statut du solveur": label("status", r.status),
            "objectif": format_value("objective", r.objective),
            "écart d'optimalité": format_value("share", r.gap) if r.gap is not None else "—",
            "calcul (s)": fmt_float(r.solve_seconds, 1),
        }
        for r in results
    ]
    return pd.DataFrame(rows)


def with_names(
    frame: pd.DataFrame, study_area: pd.DataFrame, *, column: str = "id"
) -> pd.DataFrame:
    """Put the commune name (``nom``) right after the column of INSEE codes.

    Parameters
    ----------
    frame
        Any table with a column of INSEE codes.
    study_area
        Communes with ``code`` and ``nom``.
    column
        The column holding the codes.

    Returns
    -------
    pandas.DataFrame
    """
    names = study_area.set_index(study_area["code"].astype(str))["nom"]
    out = frame.drop(columns="nom", errors="ignore")
    position = list(out.columns).index(column) + 1
    out.insert(position, "nom", out[column].astype(str).map(names).to_numpy())
    return out


def zone_frame(zone: ZoneDeficitaire) -> pd.DataFrame:
    """Return the decree 2003-1140 test as a French table: criterion, status, detail.

    Parameters
    ----------
    zone
        From :func:`accessmap.indicators.zone_deficitaire`.

    Returns
    -------
    pandas.DataFrame
        ``critère``, ``statut``, ``détail``.
    """
    from accessmap.labels import criterion_detail

    return pd.DataFrame(
        [
            {
                "critère": label("criterion", c.key),
                "statut": label("criterion", c.status),
                "détail": criterion_detail(c.key, c.value, c.detail),
            }
            for c in zone.criteria
        ]
    )


# --- the professions: summary, pôle, communes losing several (every profession alike) -------


def profession_nouns() -> dict[str, str]:
    """French plural noun of every registered profession (« infirmiers »)."""
    return {k: p.plural for k, p in PROFESSIONS.items()}


def profession_headings() -> dict[str, str]:
    """French heading of every registered profession (« Infirmiers »)."""
    return {k: p.label for k, p in PROFESSIONS.items()}


def present_professions(part: pd.DataFrame, labels: dict[str, str]) -> str:
    """Return « médecins généralistes (2), infirmiers (4) » for one pôle site."""
    return ", ".join(
        f"{labels.get(p, p)} ({fmt_int(n)})"
        for p, n in zip(part["profession"], part["headcount"], strict=True)
    )


def summary_frame(p: ProfessionsResult) -> pd.DataFrame:
    """Return the summary table as a reader sees it (French headers, French numbers).

    Parameters
    ----------
    p
        The professions of a diagnostic.

    Returns
    -------
    pandas.DataFrame
        One row per profession beyond the primary one.
    """
    rows = []
    for r in p.others_summary.to_dict("records"):
        unit = str(r["unit"])
        digits = 1 if "minutes" in unit else 0
        projected = bool(pd.notna(r["headcount_future"]))
        ages = "illustratifs" if r["illustrative_ages"] else ("du fichier" if projected else "—")
        rows.append({
            "profession": r["label"],
            "source des effectifs": r["source"],
            "professionnels dans le territoire": fmt_int(r["practitioners"]),
            "ETP": fmt_float(r["fte"], 1),
            "indicateur (moyenne pondérée par la population)": fmt_float(r["indicator"], digits),
            "unité": unit,
            "habitants à 20 min ou plus": fmt_int(r["pop_beyond_20"]),
            "habitants à 30 min ou plus": fmt_int(r["pop_beyond_30"]),
            "effectif attendu dans 10 ans, sans remplacement": (
                f"{fmt_float(r['headcount_future'], 1)} en {int(float(r['future_year']))}"
                if projected else "non projeté"
            ),
            "âges": ages,
        })  # fmt: skip
    return pd.DataFrame(rows)


def pole_frames(d: Diagnostic) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the pôle tables as a reader sees them: professions per site, reach per profession.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    tuple of pandas.DataFrame
        Both empty when the territory has no MSP (or without the professions step).
    """
    labels, headings = profession_nouns(), profession_headings()
    pole = d.professions.pole
    if pole is None:
        return pd.DataFrame(), pd.DataFrame()
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    sites = [
        {
            "site du pôle": name,
            "commune": str(names.get(code, code)),
            "professions présentes (effectif)": present_professions(part, labels),
        }
        for (name, code), part in pole.sites.groupby(["name", "commune_code"], sort=True)
    ]
    wide = pole.wide()
    reach = pd.DataFrame({
        "profession": [headings.get(p, p) for p in wide["profession"]],
        "sites du pôle où elle exerce": [fmt_int(n) for n in wide["n_sites"]],
        **{
            f"part des habitants à moins de {c.removeprefix('share_within_')} min":
                [fmt_percent(v) for v in wide[c]]
            for c in wide.columns if str(c).startswith("share_within_")
        },
    })  # fmt: skip
    return pd.DataFrame(sites), reach


def losing_frame(d: Diagnostic) -> pd.DataFrame:
    """Return the communes losing two or more professions as a reader sees them.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    pandas.DataFrame
        French headers; empty when no commune qualifies.
    """
    p = d.professions
    if p.losing.empty:
        return pd.DataFrame()
    labels = profession_nouns()
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    return pd.DataFrame({
        "code INSEE": p.losing["commune_code"],
        "commune": p.losing["commune_code"].map(names),
        "dans le territoire": [format_value("", z == "territory") for z in p.losing["zone"]],
        "professions perdues à moins de 30 min": [
            ", ".join(labels.get(k.strip(), k.strip()) for k in str(s).split(","))
            for s in p.losing["professions"]
        ],
        "probabilité (la plus faible)": [fmt_percent(v) for v in p.losing["p_min"]],
        "année": [str(int(y)) for y in p.losing["year"]],
    })  # fmt: skip


def profession_tables(d: Diagnostic) -> dict[str, pd.DataFrame]:
    """CSV tables of the section (machine names; the French CSVs translate the headers).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    dict
        ``professions_synthese``, ``professions_communes`` (long format, every profession),
        ``pole_sites``, ``pole_acces`` (when the territory has MSPs) and ``pertes_professions``;
        empty without the professions step.
    """
    p = d.professions
    if not p.others:
        return {}
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    communes = pd.concat([r.communes for r in p.others], ignore_index=True)
    out = {
        "professions_synthese": p.others_summary,
        "professions_communes": communes.assign(nom=communes["id"].map(names)),
        "pertes_professions": p.losing.assign(nom=p.losing["commune_code"].map(names))
        if not p.losing.empty else pd.DataFrame(columns=["commune_code", "nom"]),
    }  # fmt: skip
    if p.pole is not None:
        out["pole_sites"] = p.pole.sites
        out["pole_acces"] = p.pole.reach
    return out
