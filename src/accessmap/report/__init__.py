"""The territorial diagnostic report: a self-contained French HTML file, a PDF, a GeoPackage, CSVs.

:func:`verdict` distils a :class:`~accessmap.diagnostic.Diagnostic` into the one-page verdict an
elected official reads and :func:`verdict_cards` into its cards (each with its caveat line);
:func:`figures` builds the offline plotly maps and charts; :func:`render_html` fills the French
template (table of contents, one explanatory paragraph per section, print stylesheet for A4,
plotly.js inlined once); :func:`write_report` writes ``diagnostic.html``, ``diagnostic.gpkg``
(QGIS styles and French aliases stored inside) and the CSV tables (machine and French) atomically;
:func:`write_pdf` prints the HTML to an A4 PDF through headless Chromium.

Modules: :mod:`~accessmap.report.verdict`, :mod:`~accessmap.report.figures`,
:mod:`~accessmap.report.tables`, :mod:`~accessmap.report.spreadsheets` (French CSVs and their
data dictionary), :mod:`~accessmap.report.fiches` (a printable page per commune and per EPCI),
:mod:`~accessmap.report.html`, :mod:`~accessmap.report.exports`,
:mod:`~accessmap.report.qgis`, :mod:`~accessmap.report.pdf`.
"""

from __future__ import annotations

from accessmap.report.decisions import decisions_table, decisions_text
from accessmap.report.exports import ReportFiles, geopackage_layers, write_report
from accessmap.report.figures import figures
from accessmap.report.html import fr, render_html
from accessmap.report.pdf import ChromiumMissingError, PdfError, write_pdf
from accessmap.report.spreadsheets import french_frame, write_french_csv
from accessmap.report.tables import siting_frame, tables, with_names, zone_frame
from accessmap.report.verdict import (
    Verdict,
    VerdictCard,
    best_options,
    losing_table,
    official_figures,
    verdict,
    verdict_cards,
    verdict_table,
)

__all__ = [
    "ChromiumMissingError",
    "PdfError",
    "ReportFiles",
    "Verdict",
    "VerdictCard",
    "best_options",
    "decisions_table",
    "decisions_text",
    "figures",
    "fr",
    "french_frame",
    "geopackage_layers",
    "losing_table",
    "official_figures",
    "render_html",
    "siting_frame",
    "tables",
    "verdict",
    "verdict_cards",
    "verdict_table",
    "with_names",
    "write_french_csv",
    "write_pdf",
    "write_report",
    "zone_frame",
]
