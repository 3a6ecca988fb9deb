"""Tables of the report: machine CSVs, French CSVs for spreadsheets, HTML tables, provenance.

Machine CSVs keep English column names, ``,`` separators and full precision. French CSVs (for
Excel/LibreOffice in French) use French headers with units, ``;`` separators, decimal commas and
UTF-8 with a byte-order mark, so that they open in columns with their accents. HTML tables format
every value by its column (:func:`accessmap.labels.format_value`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import pandas as pd

from accessmap.labels import (
    column_label,
    fmt_date,
    fmt_float,
    fmt_int,
    fmt_percent,
    format_value,
    label,
)
from accessmap.messages import format_rows
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
    return {**out, **decision_tables(d), **profession_tables(d)}


def decision_tables(d: Diagnostic) -> dict[str, pd.DataFrame]:
    """Return the decision tables: the ranked options, MilleSoins and the losses of the last GP.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    dict
        ``decisions`` and ``millesoins`` (with decisions), ``derniers_medecins`` (always).
    """
    from accessmap.report.decisions import decisions_frame, millesoins_frame

    names = d.inputs.territory.study_area.set_index("code")["nom"]
    losing = d.losing_last
    out = {"derniers_medecins": losing.assign(nom=losing["commune_code"].map(names))}
    if not d.profession_recruits.empty:
        out["recrues_professions"] = d.profession_recruits
    if d.decisions is not None:
        out["decisions"] = decisions_frame(d)
        out["millesoins"] = millesoins_frame(d)
    return out


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
    out["communes"] = table_html(*communes_frame(d, inside, names))
    if d.drees is not None:
        largest = d.drees.largest.assign(nom=d.drees.largest["id"].map(names))
        u65 = ["apl_u65_drees", "apl_u65", "diff_u65"] if _known(largest, "apl_u65") else []
        out["drees"] = table_html(largest, ["id", "nom", "apl_drees", "apl", "diff", *u65])
    out["siting"] = table_html(_siting_frame(d, names))
    if d.official_effects is not None and not d.official_effects.empty:
        out["official_effects"] = table_html(official_effects_frame(d.official_effects))
    out["provenance"] = table_html(provenance_html_frame(d))
    return out


def _known(frame: pd.DataFrame, column: str) -> bool:
    """Whether ``column`` holds at least one value (the modelled under-65 APL needs real ages)."""
    return column in frame.columns and bool(frame[column].notna().any())


def communes_frame(
    d: Diagnostic, inside: pd.DataFrame, names: pd.Series
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Return the communes table: the published APL and its class first, then the modelled APL.

    Parameters
    ----------
    d
        A computed diagnostic.
    inside
        Its indicators' communes of the territory.
    names
        Commune names by INSEE code.

    Returns
    -------
    tuple
        The table (sorted by published APL, else modelled) and its French headers by column.
    """
    from accessmap.report.fiches import apl_class

    frame = inside.assign(nom=inside["id"].map(names))
    headers = {"id": "code INSEE", "nom": "commune", "population": "habitants",
               "nearest_minutes": "minutes jusqu'au médecin le plus proche"}  # fmt: skip
    if d.drees is not None:
        published = d.drees.table.set_index("id")["apl_drees"]
        frame = frame.assign(apl_drees=frame["id"].map(published))
        frame = frame.assign(classe=[apl_class(v) for v in frame["apl_drees"]])
        headers |= {"apl_drees": f"APL publié (DREES {d.drees.year})", "classe": "classe (publiée)"}
    headers |= {"apl": "APL modélisé"}
    if _known(frame, "apl_u65"):  # not modelled from illustrative ages: no column of dashes
        headers |= {"apl_u65": "APL modélisé, médecins de moins de 65 ans"}
    order = "apl_drees" if "apl_drees" in frame else "apl"
    return frame.sort_values(order), headers


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
        With a column naming the communes a model left out of reach, when one did.
    """
    results = list(results)
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
    if any(r.unreached is not None and len(r.unreached) for r in results):
        # communes the model left out (no site reaches them): named where the answer is read
        for row, r in zip(rows, results, strict=True):
            left = r.unreached if r.unreached is not None else pd.DataFrame({"id": []})
            row["communes laissées de côté (accès non optimisé)"] = (
                f"{fmt_int(len(left))} : {format_rows(str(names.get(c, c)) for c in left['id'])}"
                if len(left)
                else "—"
            )
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
