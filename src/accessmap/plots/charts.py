"""Charts: bars, lines and Monte Carlo fans, French numbers, lines that never hide each other."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from accessmap.labels import format_value
from accessmap.plots._style import (
    INK,
    SERIES_COLORS,
    SERIES_DASHES,
    SERIES_SYMBOLS,
    base_layout,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go


def _number_format(decimals: int) -> str:
    """d3 format with thousands grouping (French separators come from ``layout.separators``)."""
    return f",.{decimals}f"


def _references(fig: go.Figure, reference: Mapping[float, str], *, horizontal: bool) -> None:
    """Dotted reference lines (e.g. the APL thresholds 2,5 and 4) with their French labels."""
    for i, (value, text) in enumerate(sorted(reference.items())):
        line = {"line_dash": "dot", "line_color": INK, "line_width": 1.5}
        label = {"annotation_text": text, "annotation_bgcolor": "rgba(255,255,255,0.85)"}
        if horizontal:
            side = "left" if i % 2 == 0 else "right"
            fig.add_vline(x=value, annotation_position=f"top {side}", **label, **line)
        else:
            # at the right end, above its line: away from the y axis and its tick labels
            fig.add_hline(y=value, annotation_position="top right", **label, **line)


def bar_chart(
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
) -> go.Figure:
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
    plotly.graph_objects.Figure
        The chart.
    """
    import plotly.graph_objects as go

    fmt = _number_format(decimals)
    value_axis = "x" if horizontal else "y"
    hover = (
        f"%{{{'y' if horizontal else 'x'}}}<br>{y_label} : %{{{value_axis}:{fmt}}}<extra></extra>"
    )
    groups = [("", frame)] if color is None else list(frame.groupby(color, sort=False))
    fig = go.Figure()
    for i, (key, part) in enumerate(groups):
        if color is None:
            fill: str | list[str] = list(colors) if colors else SERIES_COLORS[0]
        else:
            fill = (colors or SERIES_COLORS)[i % len(colors or SERIES_COLORS)]
        cats, values = part[x].astype(str), part[y]
        fig.add_trace(
            go.Bar(
                x=values if horizontal else cats, y=cats if horizontal else values,
                orientation="h" if horizontal else "v", name=format_value(color or "", key),
                marker={"color": fill}, text=values, texttemplate=f"%{{text:{fmt}}}",
                textposition="outside", cliponaxis=False, hovertemplate=hover,
            )
        )  # fmt: skip
    if color is not None:
        fig.update_layout(barmode="group")
    value_title, cat_title = {"title": y_label, "tickformat": ","}, {"title": x_label}
    if horizontal:
        fig.update_xaxes(**value_title)
        fig.update_yaxes(**cat_title, automargin=True, autorange="reversed")
    else:
        fig.update_xaxes(**cat_title, automargin=True)
        fig.update_yaxes(**value_title)
    if reference:
        _references(fig, reference, horizontal=horizontal)
    height = max(420, 60 + 38 * len(frame)) if horizontal else 420
    return base_layout(fig, title, height=height)


def line_chart(
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
) -> go.Figure:
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
    plotly.graph_objects.Figure
        The chart.
    """
    import plotly.graph_objects as go

    fmt = _number_format(decimals)
    fig = go.Figure()
    groups = [("", frame)] if color is None else list(frame.groupby(color, sort=False))
    for i, (key, part) in enumerate(groups):
        name = format_value(color or "", key) if color else y_label
        fig.add_trace(
            go.Scatter(
                x=part[x], y=part[y], mode="lines+markers", name=name,
                line={"color": SERIES_COLORS[i % len(SERIES_COLORS)],
                      "width": max(4.5 - 1.5 * i, 1.5),
                      "dash": SERIES_DASHES[i % len(SERIES_DASHES)]},
                marker={"symbol": SERIES_SYMBOLS[i % len(SERIES_SYMBOLS)],
                        "size": max(10 - 2 * i, 6)},
                hovertemplate=f"%{{x}}<br>{name} : %{{y:{fmt}}}<extra></extra>",
            )
        )  # fmt: skip
    if dash_after is not None:
        fig.add_vline(x=dash_after, line_dash="dot", line_color="#7f8c8d")
    fig.update_xaxes(title=x_label, tickformat="d")
    fig.update_yaxes(title=y_label, tickformat=",", rangemode="tozero")
    fig.update_layout(hovermode="x unified", legend={"orientation": "h", "y": -0.18})
    return base_layout(fig, title, height=440)


def fan_chart(
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
) -> go.Figure:
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
    plotly.graph_objects.Figure
        The chart.
    """
    import plotly.graph_objects as go

    data = frame.sort_values(x)
    fmt = _number_format(decimals)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=data[x], y=data[high], mode="lines", line={"width": 0}, showlegend=False,
            hoverinfo="skip",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=data[x], y=data[low], mode="lines", line={"width": 0}, fill="tonexty",
            fillcolor="rgba(0,114,178,0.22)", name=band_label, hoverinfo="skip",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=data[x], y=data[mid], mode="lines+markers", name="médiane",
            line={"color": SERIES_COLORS[0], "width": 3},
            hovertemplate=f"%{{x}}<br>médiane : %{{y:{fmt}}}<extra></extra>",
        )
    )  # fmt: skip
    if expected is not None:
        fig.add_trace(
            go.Scatter(
                x=data[x], y=data[expected], mode="lines+markers", name="moyenne attendue",
                line={"dash": "dash", "color": SERIES_COLORS[1], "width": 2},
                marker={"symbol": "diamond", "size": 6},
                hovertemplate=f"%{{x}}<br>moyenne attendue : %{{y:{fmt}}}<extra></extra>",
            )
        )  # fmt: skip
    if reference:
        _references(fig, reference, horizontal=False)
    # tick labels stand off their axes: « 0,0 » and the first year never touch in the corner
    fig.update_xaxes(title=x_label, tickformat="d", ticks="outside", ticklen=6,
                     ticklabelstandoff=4)  # fmt: skip
    fig.update_yaxes(title=y_label, tickformat=",.1f", rangemode="tozero", ticks="outside",
                     ticklen=6, ticklabelstandoff=4)  # fmt: skip
    return base_layout(fig, title, height=440)
