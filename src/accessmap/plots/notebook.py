"""Figures that survive a notebook's HTML export: plotly.js inlined once, French and offline."""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accessmap.labels import plotly_config, plotly_locale_script

if TYPE_CHECKING:
    import plotly.graph_objects as go

_COUNTER = itertools.count(1)


@dataclass(frozen=True, slots=True)
class _Session:
    """Whether plotly.js was already written into this kernel's outputs."""

    shown: list[bool] = field(default_factory=lambda: [False])


_SESSION = _Session()


@dataclass(frozen=True, slots=True)
class ShownFigure:
    """A figure displayed as self-contained HTML (``text/html``), offline.

    Attributes
    ----------
    figure
        The plotly figure.
    html
        The HTML written into the notebook's output (with plotly.js the first time).
    """

    figure: go.Figure
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, **_: Any) -> dict[str, str]:
        return {"text/html": self.html, "text/plain": f"<figure : {self._title()}>"}

    def _title(self) -> str:
        title = self.figure.layout.title.text
        return str(title) if title else "graphique"


def figure_html(fig: go.Figure, *, include_plotlyjs: bool, div_id: str | None = None) -> str:
    """HTML of a figure with the French configuration; plotly.js inlined when asked.

    Parameters
    ----------
    fig
        The figure.
    include_plotlyjs
        Inline plotly.js and the French locale before the figure (once per page).
    div_id
        The figure's element id.

    Returns
    -------
    str
        An HTML fragment that needs no network.
    """
    body = fig.to_html(
        full_html=False, include_plotlyjs=False, config=plotly_config(), div_id=div_id
    )
    if not include_plotlyjs:
        return body
    import plotly.offline

    return (
        f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script>'
        f'<script type="text/javascript">{plotly_locale_script()}</script>{body}'
    )


def show(fig: go.Figure, *, include_plotlyjs: bool | None = None) -> ShownFigure:
    """Display a figure in a notebook so that its HTML export shows it offline.

    The first figure of the kernel carries plotly.js (about 4,8 Mo) inline; the next ones reuse
    it. ``jupyter nbconvert --to html`` then keeps every figure, with no CDN.

    Parameters
    ----------
    fig
        The figure.
    include_plotlyjs
        Force (``True``) or skip (``False``) inlining plotly.js; default: the first time only.

    Returns
    -------
    ShownFigure
        An object whose ``text/html`` representation is the figure.
    """
    first = not _SESSION.shown[0] if include_plotlyjs is None else include_plotlyjs
    html = figure_html(fig, include_plotlyjs=first, div_id=f"accessmap-fig-{next(_COUNTER)}")
    _SESSION.shown[0] = _SESSION.shown[0] or first
    return ShownFigure(figure=fig, html=html)


def plain_warnings() -> None:
    """Show accessmap's warnings in a notebook as their French text only.

    Python prints a warning with the file and line of the code that raised it, an absolute path
    of the machine (``/home/.../accessmap/inputs/areas.py:58``); a notebook shared or exported
    should not. After this call an :class:`~accessmap.messages.AccessmapWarning` prints as
    ``⚠ text``; other warnings keep Python's format. Call it once, in the notebook's first cell.
    """
    from accessmap.messages import AccessmapWarning

    if getattr(warnings.formatwarning, "_accessmap_plain", False):
        return
    python_format = warnings.formatwarning

    def formatwarning(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        line: str | None = None,
    ) -> str:
        if issubclass(category, AccessmapWarning):
            return f"⚠ {message}\n"
        return python_format(message, category, filename, lineno, line)

    formatwarning._accessmap_plain = True  # type: ignore[attr-defined]
    warnings.formatwarning = formatwarning
