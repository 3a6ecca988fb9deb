"""The whole territorial diagnostic, step by step.

Territory → travel times → indicators → outlook → siting options → comparison.

Each step is a function the notebooks call one by one; :func:`run_diagnostic` chains them for
``accessmap diagnose`` and returns one frozen :class:`Diagnostic` that :mod:`accessmap.report`
renders. Inputs come from :mod:`accessmap.inputs` (the one input layer); the travel-time table is
cached in the store (:mod:`accessmap.store`) under a content hash of its inputs, so a rerun with
the same inputs reuses it and gives identical numbers.
"""

from __future__ import annotations

from accessmap.diagnostic.model import STEPS, Diagnostic, DiagnosticOptions
from accessmap.diagnostic.run import run_diagnostic
from accessmap.diagnostic.steps import (
    compare_options,
    compute_decision_options,
    compute_indicators,
    compute_outlook,
    compute_siting,
    compute_special_options,
    compute_traveltimes,
    demand_table,
    load_inputs,
    siting_by_key,
)
from accessmap.inputs import Inputs, candidate_points, site_points

__all__ = [
    "STEPS",
    "Diagnostic",
    "DiagnosticOptions",
    "Inputs",
    "candidate_points",
    "compare_options",
    "compute_decision_options",
    "compute_indicators",
    "compute_outlook",
    "compute_siting",
    "compute_special_options",
    "compute_traveltimes",
    "demand_table",
    "load_inputs",
    "run_diagnostic",
    "site_points",
    "siting_by_key",
]
