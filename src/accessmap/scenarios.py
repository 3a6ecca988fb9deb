"""Deprecated alias of :mod:`accessmap.options` (siting options side by side).

"Scenario" has one meaning in accessmap: a workforce outlook scenario (:mod:`accessmap.workforce`).
The comparison of siting options moved to :mod:`accessmap.options`; this module re-exports its
names so that existing code and notebooks keep working. Import :mod:`accessmap.options` instead
(``ScenarioOption`` is now :class:`accessmap.options.SitingOption`).
"""

from __future__ import annotations

from accessmap.options import (
    NEW_GP_ACTS,
    Comparison,
    ScenarioOption,
    SitingOption,
    compare,
    describe_option,
    expected_supply,
    option_from_result,
    options_from_spec,
    staffed_sites,
    status_quo,
)

__all__ = [
    "NEW_GP_ACTS",
    "Comparison",
    "ScenarioOption",
    "SitingOption",
    "compare",
    "describe_option",
    "expected_supply",
    "option_from_result",
    "options_from_spec",
    "staffed_sites",
    "status_quo",
]
