"""Tables of the report: machine CSVs, French CSVs for spreadsheets, HTML tables, provenance.

Machine CSVs keep English column names, ``,`` separators and full precision. French CSVs (for
Excel/LibreOffice in French) use French headers with units, ``;`` separators, decimal commas and
UTF-8 with a byte-order mark, so that they open in columns with their accents. HTML tables format
every value by its column (:func:`accessmap.labels.format_value`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import pandas as pd

from accessmap.labels import (
    column_label,
    fmt_date,
    fmt_float,
    fmt_int,
    format_value,
    label,
)
from accessmap.report.figures import communes_layer
from accessmap.report.professions import profession_tables

if TYPE_CHECKING:
    from accessmap.diagnostic import Diagnostic
    from accessmap.indicators import ZoneDeficitaire
    from accessmap.siting import SitingResult

#: Columns whose codes are written as French labels in the French CSVs.
_CODED = ("apl_class", "nearest_method", "method", "kind", "measure", "status", "model", "band")


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
            "millésime": [str(v) for v in prov["vintage"]],
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
        professions' tables (:func:`accessmap.report.professions.profession_tables`).
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


def french_frame(frame: pd.DataFrame, headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return a table for French spreadsheets: French headers with units, coded values in French.

    Numbers stay numbers (written with a decimal comma by :func:`write_french_csv`); booleans
    become ``oui``/``non``.

    Parameters
    ----------
    frame
        A machine table.
    headers
        French headers of this table's own columns, winning over
        :func:`accessmap.labels.column_label` (e.g. ``fte`` is « ETP », not « médecins (ETP) »,
        in a table of nurses).

    Returns
    -------
    pandas.DataFrame
        The same rows, French headers (made unique).
    """
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if col in _CODED:
            out[col] = series.map(lambda v, c=col: format_value(c, v))
        elif series.dtype == bool or str(series.dtype) == "boolean":
            out[col] = series.map(lambda v: format_value("", v))
    chosen: list[str] = []
    for col in out.columns:
        header = (headers or {}).get(str(col)) or column_label(str(col))
        while header in chosen:
            header = f"{header} ({col})"
        chosen.append(header)
    out.columns = pd.Index(chosen)
    return out


def write_french_csv(
    frame: pd.DataFrame, path: Path, headers: Mapping[str, str] | None = None
) -> Path:
    """Write a CSV for French spreadsheets: ``;``, decimal comma, UTF-8 with BOM.

    Parameters
    ----------
    frame
        A machine table (converted by :func:`french_frame`).
    path
        Destination file.
    headers
        French headers of the table's own columns (see :func:`french_frame`).

    Returns
    -------
    pathlib.Path
        ``path``. Read it back with ``pandas.read_csv(path, sep=";", decimal=",",
        encoding="utf-8-sig")``.
    """
    french_frame(frame, headers).to_csv(
        path, sep=";", decimal=",", index=False, encoding="utf-8-sig"
    )
    return path


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
