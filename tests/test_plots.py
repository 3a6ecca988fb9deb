"""Offline plotly figures: French numbers, readable maps, lines that never hide each other."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from accessmap import plots
from accessmap.errors import ValidationError
from accessmap.labels import NNBSP

NAMES = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa",
         "Lambda", "Mu"]  # fmt: skip


@pytest.fixture
def communes() -> gpd.GeoDataFrame:
    """Twelve 0.1° squares in Corrèze; the last two outside the territory."""
    rows = []
    for i, name in enumerate(NAMES):
        x, y = 1.9 + 0.1 * (i % 6), 45.5 + 0.1 * (i // 6)
        rows.append(
            {
                "code": f"19{i + 1:03d}", "nom": name, "population": 38474 - 3000 * i,
                "nearest_minutes": 4.0 * i + 0.26, "apl": 1.5 + 0.5 * i,
                "in_territory": i < 10, "geometry": box(x, y, x + 0.1, y + 0.1),
            }
        )  # fmt: skip
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


@pytest.fixture
def sites() -> pd.DataFrame:
    return pd.DataFrame(
        {"lon": [1.95, 2.25], "lat": [45.55, 45.55], "name": ["Cabinet A", "MSP B"],
         "kind": ["cabinet", "msp"]}
    )  # fmt: skip


def _map(communes: gpd.GeoDataFrame, sites: pd.DataFrame, **kw: object):
    inside = communes[communes["in_territory"]]
    return plots.commune_map(
        communes, "nearest_minutes", title="Temps", bins=plots.MINUTES_BINS,
        labels=plots.MINUTES_LABELS, colors=plots.MINUTES_COLORS,
        hover={"population": "habitants", "apl": "APL"}, outline=inside, sites=sites,
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_classes_are_half_open():
    values = pd.Series([0.0, 9.99, 10.0, 39.9, 40.0, np.inf, np.nan])
    got = plots.classify(values, plots.MINUTES_BINS, plots.MINUTES_LABELS).tolist()
    assert got == [
        "moins de 10 min", "moins de 10 min", "10 à 20 min", "30 à 40 min", "40 min et plus",
        plots.MISSING_LABEL, plots.MISSING_LABEL,
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="bins"):
        plots.classify(values, (0.0, 1.0), ("a", "b"))


def _luminance(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_palettes_are_sequential_and_use_the_official_thresholds():
    for colors in (plots.MINUTES_COLORS, plots.GAIN_COLORS, plots.DENSITY_COLORS):
        light = [_luminance(c) for c in colors]
        assert light == sorted(light, reverse=True), colors  # one hue ramp, light to dark
    apl = [_luminance(c) for c in plots.APL_COLORS]
    assert apl == sorted(apl)  # the lower the APL, the darker
    assert plots.APL_BINS[1:3] == (2.5, 4.0)
    assert plots.APL_LABELS[0].startswith("moins de 2,5")


def test_map_has_filled_legend_patches_names_scale_and_sites(communes, sites):
    fig = _map(communes, sites)
    assert fig.layout.separators == "," + NNBSP
    legend = [t for t in fig.data if t.showlegend is not False and t.name]
    patches = [t for t in legend if t.marker is not None and t.marker.symbol == "square"]
    assert [t.name for t in patches] == list(plots.MINUTES_LABELS)
    assert all(not re.search(r"\(\d+\)", t.name) for t in legend)  # no unexplained counts
    polygons = [t for t in fig.data if t.fill == "toself"]
    assert polygons
    assert all(t.showlegend is False for t in polygons)
    hover = next(t for t in fig.data if t.name == "communes")
    first = hover.hovertext[0]
    assert "<b>Alpha</b>" in first
    assert f"habitants : 38{NNBSP}474" in first
    assert "APL : 1,50" in first
    assert "temps jusqu'au médecin le plus proche (min) : 0,3" in first
    bourgs = next(t for t in fig.data if t.meta == "bourg-labels")
    assert list(bourgs.text) == NAMES[:10]  # territory communes only, most populous first
    assert any(a.text == "10 km" for a in fig.layout.annotations)
    assert any(s.type == "line" and s.name == "echelle" for s in fig.layout.shapes)
    bar = next(s for s in fig.layout.shapes if s.name == "echelle")
    assert bar.x1 - bar.x0 == pytest.approx(10_000.0)
    assert any(t.name == "Cabinets et maisons de santé" for t in fig.data)


def test_every_map_of_a_territory_has_the_same_extent(communes, sites):
    inside = communes[communes["in_territory"]]
    expected = plots.map_extent(inside)
    first = _map(communes, sites)
    second = plots.gain_map(
        communes.assign(after=communes["nearest_minutes"].where(communes["nom"] == "Alpha", 0.0)),
        before="nearest_minutes",
        after="after", title="Avant / après", outline=inside, sites=sites,
        new_sites=sites.head(1),
    )  # fmt: skip
    for fig in (first, second):
        assert tuple(fig.layout.xaxis.range) == pytest.approx((expected[0], expected[2]))
        assert tuple(fig.layout.yaxis.range) == pytest.approx((expected[1], expected[3]))
    assert any(t.name == "Nouveaux sites" and t.marker.symbol == "star" for t in second.data)
    patches = [t.name for t in second.data if t.marker is not None and t.marker.symbol == "square"]
    assert patches == list(plots.GAIN_LABELS)  # the same legend on every option map
    drawn = {t.legendgroup for t in second.data if t.fill == "toself"}
    assert drawn == set(plots.GAIN_LABELS)  # Alpha keeps its time; the others gain 4 to 44 min


@pytest.mark.parametrize(
    ("width", "length"), [(50_000, 10_000), (40_000, 5_000), (9_000, 1_000), (250_000, 50_000)]
)
def test_scale_bar_lengths_are_round(width: float, length: float):
    assert plots.scale_length(width) == length


def test_map_validates_its_input(communes):
    with pytest.raises(ValidationError, match="nope"):
        plots.commune_map(communes, "nope", title="", bins=(0, 1), labels=("a",), colors=("#fff",))
    with pytest.raises(ValidationError) as caught:
        plots.commune_map(
            communes.set_crs(None, allow_override=True), "apl", title="", bins=(0, 1),
            labels=("a",), colors=("#ffffff",),
        )  # fmt: skip
    assert caught.value.code == "plots.no_crs"


def test_lines_never_hide_each_other():
    frame = pd.DataFrame(
        {"year": [2026, 2027] * 2, "value": [41.0, 37.2] * 2,
         "measure": ["headcount"] * 2 + ["headcount_today"] * 2}
    )  # fmt: skip
    fig = plots.line_chart(frame, x="year", y="value", color="measure", title="t", x_label="année",
                           y_label="médecins")  # fmt: skip
    first, second = fig.data
    assert first.name == "médecins en exercice"
    assert second.name == "médecins d'aujourd'hui encore en exercice"
    assert first.line.dash != second.line.dash
    assert first.marker.symbol != second.marker.symbol
    assert first.line.width > second.line.width  # the one below stays visible around
    assert ",.1f" in first.hovertemplate


def test_options_bars_show_two_decimals_full_labels_and_thresholds():
    long = "3 MSP (couverture max.) : Valiergues, La Nouaille, Poussanges et un nom très long"
    frame = pd.DataFrame({"option": ["Aujourd'hui", long], "apl": [4.475, 4.711]})
    fig = plots.bar_chart(
        frame, x="option", y="apl", title="APL", x_label="", y_label="APL", decimals=2,
        horizontal=True, reference={2.5: "2,5 : zone prioritaire", 4.0: "4 : vigilance"},
    )  # fmt: skip
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["Aujourd'hui", long]  # not truncated
    assert bar.texttemplate == "%{text:,.2f}"
    assert fig.layout.yaxis.automargin is True
    lines = sorted(s.x0 for s in fig.layout.shapes if s.type == "line")
    assert lines == [2.5, 4.0]
    assert {a.text for a in fig.layout.annotations} == {"2,5 : zone prioritaire", "4 : vigilance"}
    assert fig.layout.separators == "," + NNBSP


def test_fan_chart_has_thresholds_and_french_hover():
    frame = pd.DataFrame(
        {"year": [2026, 2027], "q10": [4.0, 3.5], "q50": [4.4, 4.0], "q90": [4.8, 4.4],
         "e": [4.45, 4.0]}
    )  # fmt: skip
    fig = plots.fan_chart(
        frame, x="year", low="q10", mid="q50", high="q90", expected="e", title="t",
        x_label="année", y_label="APL", reference={2.5: "2,5"},
    )  # fmt: skip
    assert [t.name for t in fig.data if t.showlegend is not False] == [
        "80 % des tirages (10e au 90e centile)", "médiane", "moyenne attendue",
    ]  # fmt: skip
    assert any(s.y0 == 2.5 for s in fig.layout.shapes)
    # the threshold's label sits at the right end, away from the y axis's tick labels
    (label,) = fig.layout.annotations
    assert label.x == 1
    assert label.xanchor == "right"
    assert fig.layout.xaxis.ticklabelstandoff > 0  # « 0,0 » and the first year never touch
    assert fig.layout.yaxis.ticklabelstandoff > 0
    assert "%{y:,.2f}" in fig.data[2].hovertemplate


def test_show_inlines_plotlyjs_once_and_survives_nbconvert(communes, sites):
    import nbformat
    from nbconvert import HTMLExporter

    fig = _map(communes, sites)
    first = plots.show(fig, include_plotlyjs=True)
    second = plots.show(fig, include_plotlyjs=False)
    bundle = first._repr_mimebundle_()
    assert "text/html" in bundle
    assert bundle["text/plain"] == "<figure : Temps>"
    assert first.html.count("Plotly.register(") == 1
    assert "Plotly.register(" not in second.html
    assert len(first.html) > 1_000_000 > len(second.html)
    assert '"locale": "fr"' in second.html
    assert "sendChartToCloud" in second.html  # listed among the removed buttons
    notebook = nbformat.v4.new_notebook()
    for shown in (first, second):
        cell = nbformat.v4.new_code_cell("plots.show(fig)")
        cell.outputs = [nbformat.v4.new_output("display_data", data=shown._repr_mimebundle_())]
        notebook.cells.append(cell)
    body, _ = HTMLExporter().from_notebook_node(notebook)
    assert body.count('class="plotly-graph-div"') == 2
    assert not re.search(r"<script[^>]*src=[\"'][^\"']*plot\.ly", body)
    assert "Plotly.register(" in body


def test_show_includes_plotlyjs_by_default_only_the_first_time(communes, sites):
    from accessmap.plots import notebook

    notebook._SESSION.shown[0] = False
    fig = _map(communes, sites)
    assert "Plotly.register(" in plots.show(fig).html
    assert "Plotly.register(" not in plots.show(fig).html


def test_sites_without_a_practitioner_are_drawn_apart(communes, sites):
    staffed = sites.assign(fte=[0.0] + [1.0] * (len(sites) - 1))
    fig = _map(communes, staffed)
    empty = next(t for t in fig.data if t.name == "Maisons de santé sans médecin de la profession")
    assert len(empty.x) == 1
    assert empty.marker.symbol == "circle"
    crosses = next(t for t in fig.data if t.name == "Cabinets et maisons de santé")
    assert len(crosses.x) == len(sites) - 1


def test_option_map_prints_the_apl_gained(communes, sites):
    inside = communes[communes["in_territory"]]
    frame = communes.assign(
        after=communes["nearest_minutes"], apl_after=communes["apl"] + 0.25
    ).assign(apl_after=lambda f: f["apl_after"].where(f["nom"] == "Alpha", f["apl"]))
    fig = plots.gain_map(
        frame, before="nearest_minutes", after="after", title="t", outline=inside, sites=sites,
        apl=("apl", "apl_after"),
    )  # fmt: skip
    labels = next(t for t in fig.data if t.name == "APL modélisé gagné")
    assert list(labels.text) == ["+0,25"]
    xmin, xmax = fig.layout.xaxis.range
    assert xmin <= labels.x[0] <= xmax  # in the map's coordinates, on Alpha


def test_a_volunteer_centre_beyond_the_map_is_pointed_at_from_its_edge(communes, sites):
    far = pd.DataFrame(
        {"lon": [2.0], "lat": [46.2], "name": ["Centre Médecins Solidaires d'Ajain"],
         "kind": ["volunteer_centre"]}
    )  # fmt: skip
    fig = _map(communes, pd.concat([sites, far], ignore_index=True))
    (pointer,) = [a for a in fig.layout.annotations if a.name == "hors-carte"]
    assert pointer.text.startswith("Centre Médecins Solidaires d'Ajain (hors carte, à ")
    assert pointer.ay > 0  # north of the map: the text below the arrow, inside the map
    inside_fig = _map(communes, sites.assign(kind="volunteer_centre"))
    assert not [a for a in inside_fig.layout.annotations if a.name == "hors-carte"]


EMPTY_SITES = "Maisons de santé sans médecin de la profession"


def test_key_map_numbers_every_commune_with_no_marker_over_them(communes):
    inside = communes[communes["in_territory"]]
    fig = plots.key_map(inside, title="Repérage", outline=inside)
    numbers = next(t for t in fig.data if t.meta == "commune-numbers")
    assert list(numbers.text) == [str(i) for i in range(1, len(inside) + 1)]
    assert list(numbers.hovertext) == list(inside["nom"])
    crosses = {"Cabinets et maisons de santé", "Nouveaux sites", EMPTY_SITES}
    assert not [t for t in fig.data if t.name in crosses]  # no marker hides a number
    assert not [t for t in fig.data if t.meta == "bourg-labels"]


def test_commune_names_are_drawn_above_the_site_markers(communes, sites):
    fig = _map(communes, sites)
    order = [t.meta if t.meta == "bourg-labels" else t.name for t in fig.data]
    assert order.index("bourg-labels") > order.index("Cabinets et maisons de santé")


def test_a_bourg_s_name_never_hides_a_bigger_one():
    from accessmap.plots.maps import MAP_AREA_PX, _unhidden

    extent = (0.0, 0.0, 100_000.0, 80_000.0)  # 100 km wide: about 143 m per pixel
    per_px = max(100_000.0 / MAP_AREA_PX[0], 80_000.0 / MAP_AREA_PX[1])
    names = ["Limoges", "Panazol", "Couzeix", "Ussel", "Isle"]
    xs = np.array([50_000.0, 51_000.0, 49_000.0, 90_000.0, 50_000.0])
    ys = np.array([40_000.0, 40_500.0, 39_800.0, 10_000.0, 40_000.0 + 10 * per_px])
    # Panazol and Couzeix (1 km away) would cover Limoges' name; so would Isle, 10 px above
    assert _unhidden(names, xs, ys, extent=extent, top=10) == [0, 3]
    assert _unhidden(names, xs, ys, extent=extent, top=1) == [0]
    far = np.array([10_000.0, 30_000.0, 50_000.0, 70_000.0, 90_000.0])
    assert _unhidden(names, far, ys * 0, extent=extent, top=10) == [0, 1, 2, 3, 4]
    assert _unhidden(names, xs, ys, extent=None, top=3) == [0, 1, 2]  # no scale: the first
