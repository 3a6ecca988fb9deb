"""Figure specs: written without plotly's validation, the same figures as validated ones."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from accessmap.plots import _spec
from accessmap.plots.charts import bar_chart_spec, fan_chart_spec, line_chart_spec
from accessmap.report.spreadsheets import _each, _numbers

_REFERENCE = {4.0: "4 : seuil de vigilance", 2.5: "2,5 : zone prioritaire"}


def _same_figure(spec: dict) -> None:
    """The spec written without validation is the validated figure (properties and values)."""
    from _plotly_utils.utils import PlotlyJSONEncoder

    def text(fig: dict) -> str:
        return json.dumps(json.loads(json.dumps(fig, cls=PlotlyJSONEncoder)), sort_keys=True)

    assert text(_spec.plotly_dict(spec)) == text(_spec.as_figure(spec).to_dict())


@pytest.mark.parametrize("horizontal", [False, True])
@pytest.mark.parametrize("color", [None, "g"])
def test_bar_chart_spec_is_the_validated_figure(horizontal: bool, color: str | None) -> None:
    frame = pd.DataFrame({"label": ["a", "b", "c"], "n": [1, 20, 300], "g": ["x", "y", "x"]})
    _same_figure(
        bar_chart_spec(frame, x="label", y="n", title="t", x_label="x", y_label="y", color=color,
                       horizontal=horizontal, reference=_REFERENCE)
    )  # fmt: skip


@pytest.mark.parametrize("dash_after", [None, 2027])
def test_line_and_fan_chart_specs_are_the_validated_figures(dash_after: int | None) -> None:
    long = pd.DataFrame({"year": [2026, 2027] * 2, "value": [1.0, 2.0, 1.5, np.nan],
                         "measure": ["headcount"] * 2 + ["headcount_today"] * 2})  # fmt: skip
    _same_figure(line_chart_spec(long, x="year", y="value", title="t", x_label="x", y_label="y",
                                 color="measure", dash_after=dash_after))  # fmt: skip
    fan = pd.DataFrame({"year": [2027, 2026], "q10": [1.0, 2.0], "q50": [1.5, 2.5],
                        "q90": [2.0, 3.0], "e": [1.2, np.nan]})  # fmt: skip
    _same_figure(
        fan_chart_spec(fan, x="year", low="q10", mid="q50", high="q90", title="t", x_label="x",
                       y_label="y", expected="e", reference=_REFERENCE)
    )  # fmt: skip


def test_chart_spec_keeps_the_layout_order_of_a_figure_built_step_by_step() -> None:
    frame = pd.DataFrame({"label": ["a"], "v": [1.0]})
    spec = bar_chart_spec(frame, x="label", y="v", title="t", x_label="x", y_label="y")
    layout = _spec.plotly_dict(spec)["layout"]
    assert list(layout)[:4] == ["template", "xaxis", "yaxis", "title"]
    assert list(layout["title"]) == ["font", "text", "x"]
    assert _spec.ORDERED not in _spec.as_figure(spec).to_dict()


@pytest.mark.parametrize(
    "values",
    [
        np.array([1, 2, 300], dtype=np.int64), np.array([-5, 70000], dtype=np.int64),
        np.array([3, 2**40], dtype=np.int64), np.array([1, 2], dtype=np.uint64),
        np.array([1.5, np.nan], dtype=np.float32), np.array([[1.0, 2.0], [3.0, 4.0]]),
        pd.Series([1.25, 2.5]), pd.Series([7, 8], dtype="int32"), pd.Series([True, False]),
        pd.Series(["a", "b"]), np.array([], dtype=float),
    ],
)  # fmt: skip
def test_typed_arrays_are_plotlys(values: object) -> None:
    from _plotly_utils.basevalidators import copy_to_readonly_numpy_array
    from _plotly_utils.utils import to_typed_array_spec

    plotly = to_typed_array_spec(copy_to_readonly_numpy_array(values))
    ours = _spec._value("x", values)
    if isinstance(plotly, dict):
        assert ours == plotly
    else:
        assert np.array_equal(np.asarray(ours), plotly)


def test_french_cells_are_written_once_per_value_with_the_same_text() -> None:
    values = np.array([0.0, -0.0, -0.001, 2.345, 2.345, np.nan, 1e6])
    assert _numbers(values, 2) == ["0", "0", "0", "2,35", "2,35", "", "1000000"]
    assert _numbers(np.array([0.125]), 1, percent=True) == ["12,5"]
    assert _each([True, 1, 1.0, "1", None], repr) == ["True", "1", "1.0", "'1'", "None"]
    assert _each([[1], [1]], str) == ["[1]", "[1]"]  # unhashable: converted each time


def test_template_is_the_one_a_figure_carries() -> None:
    import plotly.graph_objects as go

    assert _spec.plotly_json(_spec._template()) == _spec.plotly_json(
        go.Figure().to_dict()["layout"]["template"]
    )


def test_spec_html_is_plotlys_to_html() -> None:
    import plotly.io as pio

    frame = pd.DataFrame({"label": ["<b>a</b>", "b/c"], "v": [1.5, np.nan]})
    spec = bar_chart_spec(frame, x="label", y="v", title="t </script>", x_label="x", y_label="y")
    figure = {"data": [{"type": "scatter", "x": np.array([1.0, np.inf]), "y": [None, 2],
                        "text": np.array(["é", None], dtype=object)}],
              "layout": {"height": 300.0, "width": "50%"}}  # fmt: skip
    config = {"displaylogo": False, "locale": "fr", "showSendToCloud": False}
    for fig in (spec, figure, _spec.as_figure(spec)):
        ours = _spec.spec_html(fig, div_id="f", config=config)
        plain = _spec.plotly_dict(fig) if isinstance(fig, dict) else fig.to_dict()
        theirs = pio.to_html(plain, config=dict(config), full_html=False, include_plotlyjs=False,
                             div_id="f", validate=False)  # fmt: skip
        assert ours == theirs
