"""The application layer: one use case per command, runnable the same way from a notebook.

Each use case takes one options object (composed from :class:`accessmap.inputs.InputOptions`),
computes without writing anything, and returns a frozen result; :func:`save_results` writes any
result to the store (its ``results_*`` tables, its travel times, its provenance) in one
transaction. The command line (:mod:`accessmap.cli`) only parses options, calls these and prints.

- :func:`run_territory`: ``InputOptions`` → ``TerritoryResult`` (command ``territory``)
- :func:`run_fetch`: departments → ``FetchResult`` (``fetch``)
- :func:`run_traveltimes`: ``InputOptions`` → ``TravelTimesResult`` (``traveltimes``)
- :func:`run_indicators`: ``IndicatorsOptions`` → ``IndicatorsResult`` (``indicators``)
- :func:`run_outlook`: ``OutlookOptions`` → ``OutlookResult`` (``outlook``)
- :func:`run_site`: ``SiteOptions`` → ``SiteResult`` (``site``)
- :func:`run_compare`: ``CompareOptions`` → ``CompareResult`` (``compare``)
- :func:`run_diagnose`: ``DiagnoseOptions`` → ``DiagnoseResult`` (``diagnose``, publishes)

Examples
--------
>>> from accessmap.app import IndicatorsOptions, run_indicators, save_results  # doctest: +SKIP
>>> from accessmap.inputs import InputOptions  # doctest: +SKIP
>>> result = run_indicators(IndicatorsOptions(inputs=InputOptions(territory="19001,19002")))
>>> save_results(result)  # doctest: +SKIP
"""

from __future__ import annotations

from accessmap.app.diagnose import (
    DiagnoseOptions,
    DiagnoseResult,
    check_diagnose_run,
    diagnose_session,
    run_diagnose,
)
from accessmap.app.indicators import IndicatorsOptions, IndicatorsResult, run_indicators
from accessmap.app.outlook import OutlookOptions, OutlookResult, run_outlook
from accessmap.app.results import InputsResult, Saved, save_results
from accessmap.app.site import (
    CompareOptions,
    CompareResult,
    SiteOptions,
    SiteResult,
    run_compare,
    run_site,
)
from accessmap.app.territory import (
    FETCHED_DATASETS,
    FetchResult,
    TerritoryResult,
    fetch_departments,
    run_fetch,
    run_territory,
)
from accessmap.app.traveltimes import TravelTimesResult, run_traveltimes, save_road_graph

__all__ = [
    "FETCHED_DATASETS",
    "CompareOptions",
    "CompareResult",
    "DiagnoseOptions",
    "DiagnoseResult",
    "FetchResult",
    "IndicatorsOptions",
    "IndicatorsResult",
    "InputsResult",
    "OutlookOptions",
    "OutlookResult",
    "Saved",
    "SiteOptions",
    "SiteResult",
    "TerritoryResult",
    "TravelTimesResult",
    "check_diagnose_run",
    "diagnose_session",
    "fetch_departments",
    "run_compare",
    "run_diagnose",
    "run_fetch",
    "run_indicators",
    "run_outlook",
    "run_site",
    "run_territory",
    "run_traveltimes",
    "save_results",
    "save_road_graph",
]
