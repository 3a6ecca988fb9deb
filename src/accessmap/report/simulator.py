"""The report's offline what-if simulator: place teams, see every commune's APL at once.

The APL is linear in the supply placed: a plan ``{site: FTE}`` raises each commune's APL by
``sum_j g_ij x_j`` (:func:`accessmap.diagnostic.decisions.effect_matrix`). The page therefore
needs no server: :func:`simulator_data` exports, per profession, the territory's communes (names,
inhabitants, standardised population, a light map), one baseline per year (published APL plus the
modelled change of the retirements, :func:`accessmap.diagnostic.decisions.decision_years`), the
sparse matrix ``g`` of the eligible sites and the recommended plan; :func:`simulator_section`
writes the French HTML section whose script (``templates/simulator.js``) applies any plan the
way :func:`accessmap.diagnostic.decisions.evaluate_plan` does, with the same rounding rule for
"under the threshold". The plan lives in the page's address (``#plan=19033:2,23077:1&annee=2036``),
in the syntax of :func:`accessmap.diagnostic.decisions.parse_plan` and ``accessmap site --plan``.

References
----------
DREES (2023), L'accessibilité potentielle localisée (APL), méthodologie; issues 20 and 26 of the
project (decisions on the official indicator; the simulator).
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Mapping, Sequence
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from accessmap.conventions import APL_SECONDARY, VOLUNTEER_WEEKS_PER_CENTRE, WEEKS_PER_FTE
from accessmap.labels import label
from accessmap.messages import Message, render
from accessmap.siting._apl import APL_TOL

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from accessmap.diagnostic import Diagnostic
    from accessmap.diagnostic.decisions import DecisionInputs

__all__ = [
    "SECTION",
    "simulator_data",
    "simulator_for",
    "simulator_section",
    "standalone_html",
]

#: Anchor and title of the section (table of contents).
SECTION: tuple[str, str] = ("simulateur", "Simulateur")

#: Every label the page shows (rendered here, placeholders ``{name}`` filled by the page).
_LABELS: tuple[str, ...] = (
    "simulator.title", "simulator.lead", "simulator.noscript", "simulator.profession",
    "simulator.year", "simulator.plan", "simulator.site", "simulator.choose_site", "simulator.fte",
    "simulator.fte_hint", "simulator.add_site", "simulator.add_volunteer",
    "simulator.volunteer_row", "simulator.remove", "simulator.load_recommended",
    "simulator.clear", "simulator.group_existing", "simulator.group_host",
    "simulator.empty_plan", "simulator.unknown_site", "simulator.share",
    "simulator.cli_command", "simulator.figures_caption", "simulator.col_indicator",
    "simulator.col_today_without", "simulator.col_today_plan", "simulator.col_year_without",
    "simulator.col_year_plan", "simulator.col_year_recommended", "simulator.row_under",
    "simulator.row_communes_under", "simulator.row_apl", "simulator.row_fte",
    "simulator.recruits", "simulator.recruits_new_one", "simulator.recruits_new_many",
    "simulator.recruits_reinforced_one", "simulator.recruits_reinforced_many",
    "simulator.volunteer_weeks_one", "simulator.volunteer_weeks_many", "simulator.team_warning",
    "simulator.compare", "simulator.recommended_note", "simulator.recommended_none",
    "simulator.map_title", "simulator.map_mode", "simulator.map_apl", "simulator.map_gain",
    "simulator.legend_under_half", "simulator.legend_under", "simulator.legend_middle",
    "simulator.legend_over", "simulator.legend_gain_none", "simulator.legend_gain_small",
    "simulator.legend_gain_mid", "simulator.legend_gain_big", "simulator.legend_site",
    "simulator.map_tooltip", "simulator.gains_title", "simulator.col_commune",
    "simulator.col_population", "simulator.col_apl_without", "simulator.col_apl_with",
    "simulator.col_gain",
)  # fmt: skip

#: Short words for the kinds of existing sites (the labels of :mod:`accessmap.labels` otherwise).
_KINDS: dict[str, str] = {
    "msp": "simulator.kind_msp",
    "cabinet": "simulator.kind_cabinet",
    "centre_sante": "simulator.kind_centre_sante",
    "volunteer_centre": "simulator.kind_volunteer_centre",
}

#: Significant digits of the exported gains and baselines (the page's numbers). Seven digits keep
#: every APL within 1e-6 of the library's, far inside the threshold tolerance (``APL_TOL``).
DIGITS = 7
#: Map unit (metres of Lambert-93 per SVG unit) and simplification of the drawn communes.
MAP_UNIT_M = 100.0
MAP_TOLERANCE_M = 150.0


def _sig(value: float, digits: int = DIGITS) -> float:
    """Round to ``digits`` significant digits (0 and non-finite values unchanged)."""
    if value == 0 or not math.isfinite(value):
        return float(value)
    return float(round(value, digits - 1 - math.floor(math.log10(abs(value)))))


def _sort_key(text: str) -> str:
    """French alphabetical order without a locale: accents and case ignored."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return plain.casefold()


def _caveats(*, official: bool, vintage: int | None, crowfly: bool, illustrative: bool) -> str:
    """Return the caveat every figure of the simulator carries (one French paragraph)."""
    first = (
        Message("simulator.caveat_official", vintage=vintage if vintage is not None else "")
        if official
        else Message("simulator.caveat_modelled")
    )
    roads = Message("simulator.caveat_crowfly" if crowfly else "simulator.caveat_roads")
    ages = Message(
        "simulator.caveat_ages_illustrative" if illustrative else "simulator.caveat_ages_roster"
    )
    return " ".join(str(m) for m in (first, roads, ages))


def _map(communes: gpd.GeoDataFrame) -> tuple[list[str], list[float], Any]:
    """SVG paths of the communes (Lambert-93, hectometres, y down), the view box, a projector."""
    from pyproj import Transformer
    from shapely.geometry import MultiPolygon, Polygon

    from accessmap.plots._style import METRIC_CRS

    metric = communes.geometry.to_crs(METRIC_CRS).simplify(MAP_TOLERANCE_M)
    xmin, ymin, xmax, ymax = metric.total_bounds
    unit = MAP_UNIT_M

    def ring(coords: Any) -> str:
        points = [(round((x - xmin) / unit), round((ymax - y) / unit)) for x, y in coords]
        kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        return "M" + "L".join(f"{x} {y}" for x, y in kept) + "Z"

    paths = []
    for geom in metric:
        parts = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
        paths.append(
            "".join(
                ring(p.exterior.coords) + "".join(ring(h.coords) for h in p.interiors)
                for p in parts
                if isinstance(p, Polygon) and not p.is_empty
            )
        )
    view = [
        0.0,
        0.0,
        float(math.ceil((xmax - xmin) / unit)),
        float(math.ceil((ymax - ymin) / unit)),
    ]
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)

    def project(lon: float, lat: float) -> list[float]:
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return []
        x, y = to_metric.transform(lon, lat)
        return [round((x - xmin) / unit, 1), round((ymax - y) / unit, 1)]

    return paths, view, project


def _sites(
    dec: DecisionInputs, ids: list[str], sites: pd.DataFrame, names: Mapping[str, str],
    towns: Mapping[str, tuple[float, float]], project: Any,
) -> list[dict[str, Any]]:  # fmt: skip
    """Eligible sites with an effect in the territory: label, group, position, gains.

    The effect matrix is coded once (commune positions, sites in order of first appearance)
    and cut per site, instead of a lookup per site and row.
    """
    import pandas as pd

    from accessmap.diagnostic.decisions import effect_matrix

    matrix = effect_matrix(dec)
    pos = pd.Index(ids).get_indexer(pd.Index(matrix["id"].astype(str)))
    keep = pos >= 0
    codes, keys = pd.factorize(matrix["site_id"].astype(str).to_numpy(dtype=object)[keep])
    pos, gain = pos[keep], matrix["gain"].to_numpy(dtype=float)[keep]
    order = np.lexsort((gain, pos, codes))  # per site, by commune position (then gain)
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    rows = {
        str(r["site_id"]): r
        for r in sites.drop_duplicates("site_id").to_dict("records")
    }  # fmt: skip
    existing = set(dec.existing)
    out = []
    for site_key, block in zip(keys, np.split(order, bounds) if len(order) else [], strict=True):
        site = str(site_key)
        if site in existing and site in rows:
            row = rows[site]
            kind = str(row["kind"])
            word = render(_KINDS[kind]) if kind in _KINDS else label("kind", kind)
            text = render("simulator.site_existing", {"name": row["name"], "kind": word})
            lon, lat = float(str(row["lon"])), float(str(row["lat"]))
        else:
            text = render("simulator.site_host", {"name": names.get(site, site)})
            kind = "host"
            lon, lat = towns.get(site, (float("nan"), float("nan")))
        flat: list[float] = []
        for i, g in zip(pos[block].tolist(), gain[block].tolist(), strict=True):
            flat.extend((int(i), _sig(g)))
        out.append(
            {"id": site, "label": text, "group": "existing" if site in existing else "host",
             "kind": kind, "xy": project(lon, lat), "g": flat}
        )  # fmt: skip
    return sorted(out, key=lambda s: (s["group"] != "existing", _sort_key(str(s["label"]))))


def _profession(
    key: str, decs: Mapping[int, DecisionInputs], ids: list[str], sites: pd.DataFrame,
    names: Mapping[str, str], towns: Mapping[str, tuple[float, float]], project: Any,
    recommended: Mapping[str, float] | None,
) -> dict[str, Any]:  # fmt: skip
    """One profession's part of the page's data."""
    import pandas as pd

    from accessmap.diagnostic.decisions import territory_weights
    from accessmap.professions import profession

    years = sorted(decs)
    last = decs[years[-1]]

    def apl(table: pd.DataFrame) -> list[float]:
        # the table's APL in the order of ``ids`` (NaN where missing), without a reindexed copy
        pos = pd.Index(table["id"].astype(str)).get_indexer(pd.Index(ids))
        raw = table["apl"].to_numpy(float)
        values = np.where(pos >= 0, raw[pos] if len(raw) else np.nan, np.nan)
        return [_sig(v) for v in np.nan_to_num(values).tolist()]

    def weights(values: pd.Series) -> list[float]:
        return [round(float(v), 3) for v in values.reindex(ids).fillna(0.0)]

    usable = _sites(last, ids, sites, names, towns, project)
    known = {s["id"] for s in usable}
    plan = {str(k): float(v) for k, v in (recommended or {}).items() if float(v) > 0}
    return {
        "key": key,
        "label": profession(key).label,
        "threshold": float(last.threshold),
        "secondary": APL_SECONDARY if last.official_threshold else None,
        "official_threshold": bool(last.official_threshold),
        "official": bool(last.official),
        "team_min": int(last.team_min),
        "decision_year": int(last.year),
        "years": years,
        "today": apl(last.today),
        "baseline": {str(y): apl(decs[y].baseline) for y in years},
        "sites": usable,
        "recommended": {s: v for s, v in plan.items() if s in known} if plan else None,
        # the inhabitants counted and the territory APL's weights of this profession's problem
        "pop": weights(last.demand.set_index("id")["counted"]),
        "std": weights(territory_weights(last)),
    }


def simulator_data(
    decisions: Mapping[str, Mapping[int, DecisionInputs]],
    *,
    communes: gpd.GeoDataFrame,
    sites: Mapping[str, pd.DataFrame],
    recommended: Mapping[str, Mapping[str, float]] | None = None,
    apl_vintage: int | None = None,
    crowfly: bool = False,
    illustrative_ages: bool = True,
) -> dict[str, Any]:
    """Export what the simulator page computes with (JSON-able, compact).

    Parameters
    ----------
    decisions
        Per profession (the primary one first), the decision problem of every year a reader may
        choose (:func:`accessmap.diagnostic.decisions.decision_years`).
    communes
        The study area's communes: ``code``, ``nom``, ``geometry`` and, for the host sites' town
        halls, ``mairie_lon``/``mairie_lat`` (the territory's communes are drawn).
    sites
        Per profession, its sites: ``site_id, name, kind, lon, lat`` (the roster's).
    recommended
        Per profession, the recommended plan ``{site: FTE}`` (the decision models' answer).
    apl_vintage
        Year of the published APL (the caveat).
    crowfly, illustrative_ages
        How travel times and ages were obtained (the caveat each figure carries).

    Returns
    -------
    dict
        ``communes`` (ids, names, counted inhabitants, standardised population, SVG paths),
        ``professions`` (thresholds, baselines per year, sites and their sparse gains as
        ``[commune index, gain, ...]``, the recommended plan), ``labels``, ``tol``,
        ``volunteer_fte`` and ``volunteer_weeks``.

    References
    ----------
    :func:`accessmap.diagnostic.decisions.evaluate_plan` (the same arithmetic and tolerance).
    """
    keys = list(decisions)
    from accessmap.diagnostic.decisions import territory_weights

    first = next(iter(decisions[keys[0]].values()))
    demand = first.demand[first.demand["in_territory"]]
    ids = demand["id"].astype(str).tolist()
    study = communes.assign(code=communes["code"].astype(str)).set_index("code")
    names = study["nom"].astype(str).to_dict()
    towns = (
        {
            str(c): (float(lon), float(lat))
            for c, lon, lat in zip(study.index, study["mairie_lon"].tolist(),
                                   study["mairie_lat"].tolist(), strict=True)
        }
        if "mairie_lon" in study.columns
        else {}
    )  # fmt: skip
    paths, view, project = _map(study.loc[[c for c in ids if c in study.index]])
    drawn = set(study.index)
    professions = [
        _profession(
            k, decisions[k], ids, sites[k], names, towns, project, (recommended or {}).get(k)
        )
        for k in keys
    ]
    caveats = {
        p["key"]: _caveats(
            official=p["official"],
            vintage=apl_vintage,
            crowfly=crowfly,
            illustrative=illustrative_ages,
        )
        for p in professions
    }
    for p in professions:
        p["caveat"] = caveats[p["key"]]
        p["thresholds_note"] = str(
            Message(
                "simulator.threshold_official", threshold=p["threshold"], secondary=APL_SECONDARY
            )
            if p["official_threshold"]
            else Message("simulator.threshold_convention", threshold=round(p["threshold"], 2))
        )
    return {
        "communes": {
            "ids": ids,
            "names": [names.get(c, c) for c in ids],
            "pop": [round(float(v), 3) for v in demand["counted"]],
            "std": [round(float(v), 3) for v in territory_weights(first).reindex(demand["id"])],
            "paths": _align(ids, drawn, paths),
            "view": view,
        },
        "professions": professions,
        "labels": {code.split(".", 1)[1]: render(code) for code in _LABELS},
        "tol": APL_TOL,
        "volunteer_fte": round(VOLUNTEER_WEEKS_PER_CENTRE / WEEKS_PER_FTE, 2),
        "volunteer_weeks": VOLUNTEER_WEEKS_PER_CENTRE,
    }


def _align(ids: Sequence[str], drawn: set[str], paths: list[str]) -> list[str]:
    """One path per territory commune, in ``ids`` order (empty where no polygon is known)."""
    found = iter(paths)
    return [next(found) if c in drawn else "" for c in ids]


def _asset(name: str) -> str:
    """Return a file of the package's templates (the page's script or style)."""
    return resources.files("accessmap").joinpath("templates", name).read_text(encoding="utf-8")


def _button(sim: str, text: str) -> str:
    return f'<button type="button" data-sim="{sim}">{escape(text)}</button>'


def simulator_section(data: Mapping[str, Any], *, heading: str = "h2") -> str:
    """Write the simulator's HTML section (French, self-contained: style, data and script).

    Parameters
    ----------
    data
        :func:`simulator_data`.
    heading
        Tag of the section's title (``h2`` in the report).

    Returns
    -------
    str
        A ``<section>`` with its style, its data (JSON) and its vanilla script: no network, no
        library; the figures are computed in the page from ``data``.
    """
    labels: Mapping[str, str] = data["labels"]
    t = {k: escape(v) for k, v in labels.items()}
    volunteer = t["add_volunteer"].format(
        fte=str(data["volunteer_fte"]).replace(".", ","), weeks=f"{data['volunteer_weeks']:.0f}"
    )
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    anchor, _ = SECTION
    return f"""<section class="sim" data-sim-root>
<style>{_asset("simulator.css")}</style>
<{heading} id="{anchor}">{t["title"]}</{heading}>
<p class="lead">{t["lead"]}</p>
<noscript><p>{t["noscript"]}</p></noscript>
<div class="sim-app" data-sim="app" hidden>
<div class="sim-controls">
<label class="sim-field" data-sim="profession-field">{t["profession"]}
<select data-sim="profession" aria-label="{t["profession"]}"></select></label>
<label class="sim-field sim-year">{t["year"]}
<input type="range" data-sim="year" step="1" aria-label="{t["year"]}">
<output data-sim="year-out"></output></label>
</div>
<fieldset class="sim-plan"><legend>{t["plan"]}</legend>
<div data-sim="rows" class="sim-rows"></div>
<p class="sim-hint">{t["fte_hint"]}</p>
<div class="sim-buttons">{_button("add", labels["add_site"])}
<button type="button" data-sim="add-volunteer">{volunteer}</button>
{_button("recommended", labels["load_recommended"])}
{_button("clear", labels["clear"])}</div>
<p data-sim="notice" class="sim-notice" role="status"></p>
<p class="sim-share">{t["share"]} <code data-sim="cli"></code></p>
</fieldset>
<div class="sim-results">
<div class="sim-sentences" aria-live="polite"><p data-sim="recruits"></p>
<p data-sim="team" class="sim-warn"></p><p data-sim="compare"></p>
<p data-sim="recommended-note" class="sim-hint"></p></div>
<div class="sim-table-wrap"><table class="sim-figures" data-sim="figures"></table></div>
<p class="sim-caveat" data-sim="caveat"></p>
<figure class="sim-map"><figcaption data-sim="map-title"></figcaption>
<div class="sim-mode" role="radiogroup" aria-label="{t["map_mode"]}">{t["map_mode"]} :
<label><input type="radio" name="sim-map-mode" value="apl" checked> {t["map_apl"]}</label>
<label><input type="radio" name="sim-map-mode" value="gain"> {t["map_gain"]}</label></div>
<svg data-sim="map" role="img" preserveAspectRatio="xMidYMid meet"></svg>
<div data-sim="legend" class="sim-legend"></div>
<p class="sim-caveat" data-sim="caveat-map"></p></figure>
<div class="sim-table-wrap"><table class="sim-gains" data-sim="gains"></table></div>
<p class="sim-caveat" data-sim="caveat-gains"></p>
</div></div>
<script type="application/json" data-sim="data">{payload}</script>
<script>{_asset("simulator.js")}</script>
</section>"""


def standalone_html(data: Mapping[str, Any]) -> str:
    """Write the simulator alone as a complete French HTML page (opens offline).

    Parameters
    ----------
    data
        :func:`simulator_data`.

    Returns
    -------
    str
        A complete HTML document holding :func:`simulator_section`.
    """
    title = escape(data["labels"]["title"])
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>"
        '<body style="margin:0;font-family:Marianne,Arial,sans-serif;color:#1b2631">'
        f'<main style="max-width:1100px;margin:auto;padding:12px">{simulator_section(data)}'
        "</main></body></html>\n"
    )


def simulator_for(diagnostic: Diagnostic) -> dict[str, Any] | None:
    """Build the simulator's data of a diagnostic: every APL profession, every year.

    Parameters
    ----------
    diagnostic
        A computed diagnostic (its :attr:`~accessmap.diagnostic.Diagnostic.simulator` problems;
        the recommended plans are the recruits-needed answers of the decisions).

    Returns
    -------
    dict or None
        :func:`simulator_data`, or ``None`` when the diagnostic has no decision problem.
    """
    from accessmap.diagnostic.decisions import parse_plan

    d = diagnostic
    if not d.simulator:
        return None
    recommended: dict[str, Mapping[str, float]] = {}
    if d.decisions is not None and d.decisions.recruits is not None:
        recommended[d.professions.primary] = d.decisions.recruits.evaluation.plan
    for row in d.profession_recruits.to_dict("records") if len(d.profession_recruits) else []:
        key = str(row["profession"])
        if key in d.simulator and row.get("plan"):
            known = next(iter(d.simulator[key].values())).sites
            recommended[key] = parse_plan(str(row["plan"]), known=known)
    sites = {key: d.professions[key].roster.sites for key in d.simulator}
    return simulator_data(
        d.simulator,
        communes=d.inputs.territory.study_area,
        sites=sites,
        recommended=recommended,
        apl_vintage=d.inputs.options.apl_year,
        crowfly=d.traveltimes.method == "crowfly",
        illustrative_ages=bool(d.outlook.illustrative_ages),
    )
