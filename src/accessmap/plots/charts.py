"""Charts: bars, lines and Monte Carlo fans, French numbers, lines that never hide each other.

Each chart is built as a figure spec (plain dicts, :mod:`accessmap.plots._spec`) in the order a
figure built step by step holds its layout (:data:`accessmap.plots._spec.ORDERED`): the report
writes it without plotly's validation, in the same characters as the validated figure
(:func:`bar_chart` and the others return that figure).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from accessmap.labels import format_value
from accessmap.plots._spec import ORDERED, FigureSpec, figure_of
from accessmap.plots._style import (
    INK,
    SERIES_COLORS,
    SERIES_DASHES,
    SERIES_SYMBOLS,
    layout_spec,
)


def _number_format(decimals: int) -> str:
    """d3 format with thousands grouping (French separators come from ``layout.separators``)."""
    return f",.{decimals}f"


def _as_text(values: pd.Series) -> pd.Series:
    """Return the values printed on bars as plotly holds ``text``: numbers as float64."""
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    return values.astype("float64") if numeric else values


def _update(layout: dict[str, Any], props: Mapping[str, Any]) -> None:
    """Apply ``props`` to ``layout`` as plotly's ``update_layout`` orders them.

    Nested objects (given as dicts) first, merged into the ones already there, then the plain
    values, each in the order given; a property already set keeps its place.
    """
    for key, value in props.items():
        if isinstance(value, Mapping):
            _update(layout.setdefault(key, {}), value)
    layout.update({k: v for k, v in props.items() if not isinstance(v, Mapping)})


def _line(layout: dict[str, Any], shape: dict[str, Any], note: dict[str, Any] | None) -> None:
    """Add a reference line (``add_vline``/``add_hline``) and its label to ``layout``."""
    layout.setdefault("shapes", []).append({"type": "line", **shape})
    if note is not None:
        layout.setdefault("annotations", []).append({"showarrow": False, **note})


def _references(
    layout: dict[str, Any], reference: Mapping[float, str], *, horizontal: bool
) -> None:
    """Dotted reference lines (e.g. the APL thresholds 2,5 and 4) with their French labels."""
    line = {"color": INK, "dash": "dot", "width": 1.5}
    for i, (value, text) in enumerate(sorted(reference.items())):
        label = {"text": text, "bgcolor": "rgba(255,255,255,0.85)"}
        if horizontal:  # labels alternate left and right of their lines, at the top
            _line(
                layout,
                {"line": line, "x0": value, "x1": value, "xref": "x", "y0": 0, "y1": 1,
                 "yref": "y domain"},
                {**label, "x": value, "xanchor": "right" if i % 2 == 0 else "left", "xref": "x",
                 "y": 1, "yanchor": "top", "yref": "y domain"},
            )  # fmt: skip
        else:
            # at the right end, above its line: away from the y axis and its tick labels
            _line(
                layout,
                {"line": line, "x0": 0, "x1": 1, "xref": "x domain", "y0": value, "y1": value,
                 "yref": "y"},
                {**label, "x": 1, "xanchor": "right", "xref": "x domain", "y": value,
                 "yanchor": "bottom", "yref": "y"},
            )  # fmt: skip


def _spec(
    data: list[dict[str, Any]], layout: dict[str, Any], title: str, height: int
) -> FigureSpec:
    """Return the chart's spec with the house layout applied last (:func:`layout_spec`)."""
    _update(layout, layout_spec(title, height=height))
    return {"data": data, "layout": layout, ORDERED: True}


def bar_chart_spec(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    x_label: str,
    y_label: str,
    color: str | None = None,
    colors: Sequence[str] | None = None,
    decimals: int = 0,
    horizontal: bool = False,
    reference: Mapping[float, str] | None = None,
) -> FigureSpec:
    """Bar chart (population by band, options side by side...).

    Parameters
    ----------
    frame
        The data.
    x, y
        Column names: categories and values (``x`` stays the category axis when
        ``horizontal``, drawn vertically so long labels are never cut).
    title, x_label, y_label
        French labels (``x_label`` names the categories, ``y_label`` the values).
    color
        Optional column for grouped bars.
    colors
        Bar colours (one per bar, or per group).
    decimals
        Decimals of the values printed on the bars and on hover (APL: 2).
    horizontal
        Horizontal bars (for long category labels).
    reference
        Reference lines ``{value: French label}`` (e.g. ``{2.5: "2,5 : zone prioritaire"}``).

    Returns
    -------
    dict
        The figure spec (:data:`accessmap.plots._spec.FigureSpec`), written without plotly's
        validation.
    """
    fmt = _number_format(decimals)
    value_axis = "x" if horizontal else "y"
    hover = (
        f"%{{{'y' if horizontal else 'x'}}}<br>{y_label} : %{{{value_axis}:{fmt}}}<extra></extra>"
    )
    groups = [("", frame)] if color is None else list(frame.groupby(color, sort=False))
    data = []
    for i, (key, part) in enumerate(groups):
        if color is None:
            fill: str | list[str] = list(colors) if colors else SERIES_COLORS[0]
        else:
            fill = (colors or SERIES_COLORS)[i % len(colors or SERIES_COLORS)]
        cats, values = part[x].astype(str), part[y]
        data.append(
            {
                "type": "bar", "x": values if horizontal else cats,
                "y": cats if horizontal else values, "orientation": "h" if horizontal else "v",
                "name": format_value(color or "", key), "marker": {"color": fill},
                "text": _as_text(values), "texttemplate": f"%{{text:{fmt}}}",
                "textposition": "outside", "cliponaxis": False, "hovertemplate": hover,
            }
        )  # fmt: skip
    layout: dict[str, Any] = {}
    if color is not None:
        layout["barmode"] = "group"
    value_title = {"title": {"text": y_label}, "tickformat": ","}
    cat_title = {"title": {"text": x_label}}
    if horizontal:
        layout["xaxis"] = value_title
        layout["yaxis"] = {**cat_title, "automargin": True, "autorange": "reversed"}
    else:
        layout["xaxis"] = {**cat_title, "automargin": True}
        layout["yaxis"] = value_title
    if reference:
        _references(layout, reference, horizontal=horizontal)
    height = max(420, 60 + 38 * len(frame)) if horizontal else 420
    return _spec(data, layout, title, height)


bar_chart = figure_of(bar_chart_spec, returns="The chart.")


def line_chart_spec(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    x_label: str,
    y_label: str,
    color: str | None = None,
    dash_after: float | None = None,
    decimals: int = 1,
) -> FigureSpec:
    """Line chart, one line per ``color`` group, each with its own dash, marker and colour.

    Lines that coincide stay visible: the first is drawn widest and every later one thinner on
    top, with distinct dash styles and markers.

    Parameters
    ----------
    frame
        Long table.
    x, y
        Column names.
    title, x_label, y_label
        French labels.
    color
        Optional grouping column (codes such as outlook measures get their French label).
    dash_after
        Draw a vertical dotted line at this x (e.g. today's year).
    decimals
        Decimals on hover.

    Returns
    -------
    dict
        The figure spec (:data:`accessmap.plots._spec.FigureSpec`), written without plotly's
        validation.
    """
    fmt = _number_format(decimals)
    groups = [("", frame)] if color is None else list(frame.groupby(color, sort=False))
    data = []
    for i, (key, part) in enumerate(groups):
        name = format_value(color or "", key) if color else y_label
        data.append(
            {
                "type": "scatter", "x": part[x], "y": part[y], "mode": "lines+markers",
                "name": name,
                "line": {"color": SERIES_COLORS[i % len(SERIES_COLORS)],
                         "width": max(4.5 - 1.5 * i, 1.5),
                         "dash": SERIES_DASHES[i % len(SERIES_DASHES)]},
                "marker": {"symbol": SERIES_SYMBOLS[i % len(SERIES_SYMBOLS)],
                           "size": max(10 - 2 * i, 6)},
                "hovertemplate": f"%{{x}}<br>{name} : %{{y:{fmt}}}<extra></extra>",
            }
        )  # fmt: skip
    layout: dict[str, Any] = {}
    if dash_after is not None:
        _line(
            layout,
            {"line": {"color": "#7f8c8d", "dash": "dot"}, "x0": dash_after, "x1": dash_after,
             "xref": "x", "y0": 0, "y1": 1, "yref": "y domain"},
            None,
        )  # fmt: skip
    layout["xaxis"] = {"title": {"text": x_label}, "tickformat": "d"}
    layout["yaxis"] = {"title": {"text": y_label}, "tickformat": ",", "rangemode": "tozero"}
    _update(layout, {"hovermode": "x unified", "legend": {"orientation": "h", "y": -0.18}})
    return _spec(data, layout, title, 440)


line_chart = figure_of(line_chart_spec, returns="The chart.")


def fan_chart_spec(
    frame: pd.DataFrame,
    *,
    x: str,
    low: str,
    mid: str,
    high: str,
    title: str,
    x_label: str,
    y_label: str,
    expected: str | None = None,
    band_label: str = "80 % des tirages (10e au 90e centile)",
    reference: Mapping[float, str] | None = None,
    decimals: int = 2,
) -> FigureSpec:
    """Fan chart of Monte Carlo quantiles (10/50/90) with the expected value.

    Parameters
    ----------
    frame
        One row per x with the quantile columns.
    x, low, mid, high
        Column names (x, 10th, 50th and 90th percentiles).
    title, x_label, y_label
        French labels.
    expected
        Optional column of expected values (deterministic engine).
    band_label
        Legend label of the band.
    reference
        Horizontal reference lines ``{value: French label}`` (APL thresholds).
    decimals
        Decimals on hover.

    Returns
    -------
    dict
        The figure spec (:data:`accessmap.plots._spec.FigureSpec`), written without plotly's
        validation.
    """
    data = frame.sort_values(x)
    fmt = _number_format(decimals)
    traces: list[dict[str, Any]] = [
        {"type": "scatter", "x": data[x], "y": data[high], "mode": "lines", "line": {"width": 0},
         "showlegend": False, "hoverinfo": "skip"},
        {"type": "scatter", "x": data[x], "y": data[low], "mode": "lines", "line": {"width": 0},
         "fill": "tonexty", "fillcolor": "rgba(0,114,178,0.22)", "name": band_label,
         "hoverinfo": "skip"},
        {"type": "scatter", "x": data[x], "y": data[mid], "mode": "lines+markers",
         "name": "médiane", "line": {"color": SERIES_COLORS[0], "width": 3},
         "hovertemplate": f"%{{x}}<br>médiane : %{{y:{fmt}}}<extra></extra>"},
    ]  # fmt: skip
    if expected is not None:
        traces.append(
            {"type": "scatter", "x": data[x], "y": data[expected], "mode": "lines+markers",
             "name": "moyenne attendue",
             "line": {"dash": "dash", "color": SERIES_COLORS[1], "width": 2},
             "marker": {"symbol": "diamond", "size": 6},
             "hovertemplate": f"%{{x}}<br>moyenne attendue : %{{y:{fmt}}}<extra></extra>"}
        )  # fmt: skip
    layout: dict[str, Any] = {}
    if reference:
        _references(layout, reference, horizontal=False)
    # tick labels stand off their axes: « 0,0 » and the first year never touch in the corner
    layout["xaxis"] = {"title": {"text": x_label}, "tickformat": "d", "ticks": "outside",
                       "ticklen": 6, "ticklabelstandoff": 4}  # fmt: skip
    layout["yaxis"] = {"title": {"text": y_label}, "tickformat": ",.1f", "rangemode": "tozero",
                       "ticks": "outside", "ticklen": 6, "ticklabelstandoff": 4}  # fmt: skip
    return _spec(traces, layout, title, 440)


fan_chart = figure_of(fan_chart_spec, returns="The chart.")
