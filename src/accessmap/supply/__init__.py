"""Health supply: who practises where, and for what share of their time.

A :class:`Roster` is one row per practitioner, one row per site, and one row per practitioner x site
with the **share of their time** at that site. A MilleSoins-style GP working two days in Bugeat and
one in Peyrelevade has two assignment rows with shares 2/3 and 1/3, and counts as 2/3 and 1/3 of a
practitioner at each site.

Build one with :func:`make_roster` (validation: one error listing every bad row), from the rows of
a user's roster file (:func:`roster_from_table`), or from official data with
:func:`study_area_roster` (BPE counts, the Creuse annuaire and declared MSP / volunteer sites,
combined without counting a GP twice; see ``docs/indicators.md``). Reading files is
:mod:`accessmap.inputs`' job; everything here is pure.
"""

from __future__ import annotations

from accessmap.supply.official import study_area_roster
from accessmap.supply.roster import (
    ASSIGNMENT_COLUMNS,
    DECLARED_COLUMNS,
    PRACTITIONER_COLUMNS,
    SHARE_TOLERANCE,
    SITE_COLUMNS,
    SITE_KINDS,
    Roster,
    make_roster,
    mark_territory,
)
from accessmap.supply.table import ROSTER_COLUMNS, roster_from_table

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "DECLARED_COLUMNS",
    "PRACTITIONER_COLUMNS",
    "ROSTER_COLUMNS",
    "SHARE_TOLERANCE",
    "SITE_COLUMNS",
    "SITE_KINDS",
    "Roster",
    "make_roster",
    "mark_territory",
    "roster_from_table",
    "study_area_roster",
]
