"""Figures as plain dicts, written out exactly as plotly writes the same figure validated.

plotly checks every property of a ``go.Figure`` against its schema when the figure is built;
a report of fifteen maps pays that check on tens of thousands of values for figures it only
writes out. A *figure spec* is the same figure as plain dicts (``{"data": [...], "layout":
{...}}``, every trace with its ``type``): :func:`plotly_dict` turns it into the dict plotly's
``Figure.to_dict`` returns for it (properties in plotly's order, arrays as typed arrays, the
default template), without the check, and :func:`spec_html` writes it as ``to_html`` does.
:func:`as_figure` gives the validated ``go.Figure`` when one is wanted (notebooks, tests).
"""

from __future__ import annotations

import base64
import inspect
import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ParamSpec

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: A figure as plain dicts: ``{"data": [trace, ...], "layout": {...}}``.
FigureSpec = dict[str, Any]

_P = ParamSpec("_P")

#: Key of a spec whose layout is already in the order of a figure built step by step
#: (``go.Figure()`` then ``add_trace``, ``update_xaxes``, ``add_hline``, ``update_layout``):
#: the template first, then every property in the order given, the objects made whole
#: (shapes, annotations) alphabetically. Without it, the layout is ordered as a figure built
#: from a dict (alphabetically, the template last).
ORDERED = "ordered"

#: Keys whose arrays plotly never writes as typed arrays (``_plotly_utils.utils``).
_UNTYPED = frozenset({"geojson", "layer", "layers", "range"})


#: plotly.js's short names of the numeric dtypes written as typed arrays.
_SHORT_TYPES = {
    "int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4",
    "float32": "f4", "float64": "f8",
}  # fmt: skip
#: Integer dtypes plotly narrows, widest last (``to_typed_array_spec``: no 64-bit integers).
_NARROWER = {
    "i": (np.int8, np.int16, np.int32),
    "u": (np.uint8, np.uint16, np.uint32),
}


def _typed(key: str, value: Any) -> dict[str, str] | None:
    """Return a numeric array's typed array spec as plotly writes it, or ``None``.

    The fast path of ``to_typed_array_spec(copy_to_readonly_numpy_array(value))`` for numpy
    arrays and numpy-backed pandas series of integers or floats (the coordinates, values and
    custom data of the maps): the same dtype narrowing and bytes, without plotly's conversion
    of every value through narwhals. ``None`` for anything else (plotly converts it).
    """
    if key in _UNTYPED:
        return None
    if isinstance(value, np.ndarray):
        array = value
    elif isinstance(value, pd.Series | pd.Index) and isinstance(value.dtype, np.dtype):
        array = value.to_numpy()
    else:
        return None
    kind = array.dtype.kind
    if kind not in "iuf" or array.size == 0:
        return None
    if array.dtype.itemsize == 8 and kind in _NARROWER:  # int64, uint64
        low, high = array.min(), array.max()
        narrow = next((t for t in _NARROWER[kind] if np.iinfo(t).min <= low
                       and high <= np.iinfo(t).max), None)  # fmt: skip
        if narrow is None:
            return None
        array = array.astype(narrow)
    short = _SHORT_TYPES.get(str(array.dtype))
    if short is None:
        return None
    out = {"dtype": short, "bdata": base64.b64encode(array.tobytes(order="C")).decode("ascii")}
    if array.ndim > 1:
        out["shape"] = str(array.shape)[1:-1]
    return out


def _plain(value: Any) -> list[Any] | None:
    """Return a text or boolean array as the list plotly writes for it, or ``None``.

    plotly holds such arrays as numpy object arrays and writes them as their ``tolist()``;
    missing texts (``None`` or NaN) are written ``null`` either way.
    """
    if isinstance(value, np.ndarray):
        return value.tolist() if value.dtype.kind in "OUb" else None
    if isinstance(value, pd.Series | pd.Index) and (
        pd.api.types.is_string_dtype(value.dtype) or pd.api.types.is_bool_dtype(value.dtype)
    ):
        return None if isinstance(value.dtype, pd.CategoricalDtype) else value.tolist()
    return None


def _value(key: str, value: Any) -> Any:
    """Return a property's value as plotly stores it once validated."""
    if isinstance(value, Mapping):
        return _compound(value)
    if isinstance(value, list | tuple):
        return [_compound(v) if isinstance(v, Mapping) else v for v in value]
    return _array(key, value)


def _array(key: str, value: Any) -> Any:
    """Return an array (or a scalar) as plotly stores it once validated."""
    typed = _typed(key, value)
    if typed is not None:
        return typed
    if isinstance(value, np.generic) or not (
        hasattr(value, "__array__") or hasattr(value, "__array_interface__")
    ):
        return value  # a scalar (plotly's ``is_homogeneous_array`` is false)
    plain = None if key in _UNTYPED else _plain(value)
    if plain is not None:
        return plain
    from _plotly_utils.basevalidators import (  # type: ignore[import-untyped]
        copy_to_readonly_numpy_array,
        is_homogeneous_array,
    )
    from _plotly_utils.utils import to_typed_array_spec  # type: ignore[import-untyped]

    if is_homogeneous_array(value):
        array = copy_to_readonly_numpy_array(value)
        return array if key in _UNTYPED else to_typed_array_spec(array)
    return value


def _compound(obj: Mapping[str, Any]) -> dict[str, Any]:
    """Properties of a plotly object in plotly's order (alphabetical), ``None`` left out."""
    return {k: _value(k, obj[k]) for k in sorted(obj) if obj[k] is not None}


def _in_order(obj: Mapping[str, Any]) -> dict[str, Any]:
    """Properties of an object updated step by step, in the order given (:data:`ORDERED`)."""
    return {
        k: _in_order(v) if isinstance(v, Mapping) else _value(k, v)
        for k, v in obj.items()
        if v is not None
    }


#: plotly's default template, whose JSON its package carries (``plotly.io.templates.default``).
_DEFAULT_TEMPLATE = "plotly"


@lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    """Return the default template, as every validated figure carries it in its layout.

    Read from plotly's own file of the template (``package_data/templates/plotly.json``), in
    the order a figure holds it (``data`` then ``layout``), without building a figure: plotly's
    validation of the template and its validators cost more than the rest of a spec's writing.
    A default template changed in this process (``plotly.io.templates.default``) is taken from
    a figure, as plotly does.
    """
    import importlib.util
    import sys
    from pathlib import Path

    templates = sys.modules.get("plotly.io._templates")
    found = importlib.util.find_spec("plotly")
    if (templates is None or templates.templates.default == _DEFAULT_TEMPLATE) and (
        found is not None and found.origin is not None
    ):
        folder = Path(found.origin).parent / "package_data" / "templates"
        path = folder / f"{_DEFAULT_TEMPLATE}.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = None
        if isinstance(raw, dict) and set(raw) == {"data", "layout"}:
            return {"data": raw["data"], "layout": raw["layout"]}
    import plotly.graph_objects as go

    template: dict[str, Any] = go.Figure().to_dict()["layout"]["template"]
    return template


def plotly_dict(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Return what ``go.Figure(spec).to_dict()`` returns, without plotly's validation.

    Traces list their properties in alphabetical order and their ``type`` last; nested objects
    (markers, lines, fonts, annotations, shapes) alphabetically; numeric arrays (numpy,
    pandas) become typed arrays (``{"dtype": "f4", "bdata": ...}``); ``None`` values are left
    out; the layout ends with plotly's default template (a spec marked :data:`ORDERED`: the
    layout starts with it, its properties in the order given). The spec must be valid: nothing is
    checked (:func:`as_figure` checks it).

    Parameters
    ----------
    spec
        ``{"data": [trace, ...], "layout": {...}}``, each trace with its ``type``.

    Returns
    -------
    dict
        ``{"data": [...], "layout": {...}}``, ready for ``plotly.io.to_html(..., validate=False)``.

    References
    ----------
    plotly.py, ``BaseFigure.to_dict`` and ``_plotly_utils.utils.convert_to_base64``.
    """
    data = []
    for trace in spec.get("data", []):
        kind = trace.get("type", "scatter")
        data.append({**_compound({k: v for k, v in trace.items() if k != "type"}), "type": kind})
    if spec.get(ORDERED):
        layout = {"template": _template(), **_in_order(spec.get("layout", {}))}
    else:
        layout = _compound(spec.get("layout", {}))
        layout["template"] = _template()
    return {"data": data, "layout": layout}


def as_figure(spec: go.Figure | Mapping[str, Any]) -> go.Figure:
    """Return a validated plotly figure (a figure is returned as it is).

    Parameters
    ----------
    spec
        A figure spec or a figure.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    if isinstance(spec, go.Figure):
        return spec
    return go.Figure({k: v for k, v in spec.items() if k != ORDERED})


def figure_of(spec: Callable[_P, FigureSpec], *, returns: str) -> Callable[_P, go.Figure]:
    """Return the ``go.Figure`` twin of a spec builder: the same parameters, the figure validated.

    The twin is named after the builder without its ``_spec`` suffix (``bar_chart_spec`` gives
    ``bar_chart``), in the builder's module, with the builder's signature and docstring (its
    ``Returns`` section the figure's). The report writes the specs without building figures;
    notebooks and tests want the validated figure.

    Parameters
    ----------
    spec
        A function returning a figure spec.
    returns
        What the figure is, for its ``Returns`` section.

    Returns
    -------
    collections.abc.Callable
        ``lambda *args, **kwargs: as_figure(spec(*args, **kwargs))``, documented.

    References
    ----------
    Python Software Foundation, :pep:`612` (parameter specification variables).
    """

    def figure(*args: _P.args, **kwargs: _P.kwargs) -> go.Figure:
        return as_figure(spec(*args, **kwargs))

    figure.__name__ = figure.__qualname__ = spec.__name__.removesuffix("_spec")
    figure.__module__ = spec.__module__
    figure.__doc__ = _figure_doc(spec.__doc__ or "", spec=spec.__name__, returns=returns)
    signature = inspect.signature(spec).replace(return_annotation="plotly.graph_objects.Figure")
    figure.__signature__ = signature  # type: ignore[attr-defined]
    return figure


def _figure_doc(doc: str, *, spec: str, returns: str) -> str:
    """Return the builder's numpydoc docstring said of its figure (one more line, other Returns)."""
    lines = inspect.cleandoc(doc).splitlines()
    heads = [
        i for i in range(len(lines) - 1)
        if lines[i] and lines[i + 1] == "-" * len(lines[i])
    ]  # fmt: skip
    start = next(i for i in heads if lines[i] == "Returns")
    end = next((i for i in heads if i > start), len(lines))
    body = ["plotly.graph_objects.Figure", f"    {returns}"] + [""] * (end < len(lines))
    intro = [f"The figure of :func:`{spec}`, validated by plotly.", ""]
    return "\n".join(
        [*lines[: heads[0]], *intro, *lines[heads[0] : start + 2], *body, *lines[end:]]
    )


def spec_html(
    spec: go.Figure | Mapping[str, Any], *, div_id: str, config: Mapping[str, Any]
) -> str:
    """Return ``fig.to_html(full_html=False, include_plotlyjs=False, ...)`` of a figure or spec.

    A spec is written without plotly's validation (:func:`plotly_dict`): the same characters
    as the validated figure's.

    Parameters
    ----------
    spec
        A figure spec or a figure.
    div_id
        Identifier of the figure's ``<div>``.
    config
        plotly.js configuration.

    Returns
    -------
    str
        A ``<div>`` and its ``<script>``.
    """
    fig = plotly_dict(spec) if isinstance(spec, Mapping) else spec.to_dict()
    return _html(fig, div_id=div_id, config=config)


#: Characters plotly escapes in the JSON of a figure inside a ``<script>`` (``plotly.io._json``).
_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("/", "\\u002f"))


def _encoded(obj: Any) -> Any:
    """JSON value of an object the json module does not know (plotly's ``PlotlyJSONEncoder``)."""
    if obj is np.ma.masked:
        return float("nan")
    if isinstance(obj, np.ndarray | np.generic):
        return obj.tolist()
    from _plotly_utils.utils import PlotlyJSONEncoder

    return PlotlyJSONEncoder().default(obj)


def plotly_json(obj: Any) -> str:
    """Return ``plotly.io.json.to_json_plotly(obj)`` (its ``json`` engine), without plotly.

    Compact separators; NaN and infinities written ``null`` (strict JSON, as plotly's encoder
    does: dumped, then loaded with those constants as ``None`` and dumped again); ``<``, ``>``
    and ``/`` escaped for a ``<script>``.

    Parameters
    ----------
    obj
        Plain dicts, lists, numbers, texts and numpy arrays (:func:`plotly_dict`).

    Returns
    -------
    str
        The JSON text.
    """
    text = json.dumps(obj, separators=(",", ":"), default=_encoded)
    if "NaN" in text or "Infinity" in text:
        text = json.dumps(json.loads(text, parse_constant=lambda _: None), separators=(",", ":"))
    for unsafe, safe in _UNSAFE:
        if unsafe in text:
            text = text.replace(unsafe, safe)
    return text


def _html(fig: Mapping[str, Any], *, div_id: str, config: Mapping[str, Any]) -> str:
    """``plotly.io.to_html(fig, full_html=False, include_plotlyjs=False, validate=False)``."""
    conf = dict(config)
    conf.setdefault("responsive", True)
    if not conf.get("showSendToCloud", False):
        conf.pop("plotlyServerURL", None)
    layout = fig.get("layout", {})
    template = layout.get("template", {}).get("layout", {})
    size = []
    for key in ("height", "width"):
        value = layout.get(key, template.get(key, "100%"))
        try:
            float(value)
        except (TypeError, ValueError):
            size.append(str(value))
        else:
            size.append(f"{value}px")
    data, layout_json = plotly_json(fig.get("data", [])), plotly_json(layout)
    # plotly's template, its lines joined: each piece after its indentation (spaces)
    script = "".join(
        " " * n + text
        for n, text in (
            (16, f'if (document.getElementById("{div_id}")) {{'), (20, "Plotly.newPlot("),
            (24, f'"{div_id}",'), (24, f"{data},"), (24, f"{layout_json},"),
            (24, json.dumps(conf)), (20, ")"), (16, "}"),
        )
    )  # fmt: skip
    return "".join(
        " " * n + text
        for n, text in (
            (0, f'<div style="height:{size[0]}; width:{size[1]};">'),
            (28, f'<div id="{div_id}" class="plotly-graph-div" style="height:100%; width:100%;">'),
            (0, "</div>"), (12, "<script>"),
            (16, "window.PLOTLYENV=window.PLOTLYENV || {};"), (16, f"{script};"),
            (12, "</script>"), (8, "</div>"),
        )
    )  # fmt: skip
