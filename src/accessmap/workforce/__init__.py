"""Workforce outlook: retirements, replacements and what they do to access, year by year.

The outlook starts from a :class:`~accessmap.supply.Roster` (today's practitioners, their sites
and time shares), a retirement model (:class:`RetirementModel`), an optional workforce outlook
:class:`Scenario`, the long-format travel-time table (``origin_id, dest_id, minutes, method``) and
the demand (communes with their population). It projects, for every year of the horizon (the start
year, i.e. today, then ``horizon`` more years):

* headcount and FTE in the territory and in its buffer;
* the APL (DREES two-step indicator) of every commune and the territory mean;
* the population beyond 20 and 30 minutes of an active practitioner
  (:data:`accessmap.conventions.BEYOND_MINUTES`);
* the communes that lose their last practitioner (with a probability);
* the share of today's practitioners gone.

Two engines give the same means: ``"expected"`` (deterministic expected values, exact under the
independence of practitioners) and ``"monte_carlo"`` (seeded, vectorised over runs, with 10/50/90 %
quantiles). :func:`simulate_run` is the one-run function (one draw, or a what-if with given
retirement years). Both work on sparse access operators built from the pairs within reach, so an
outlook costs in proportion to the reachable commune-site pairs, not to communes x sites.

Where things are
----------------
- :mod:`~accessmap.workforce.retirement`: the retirement model, its age curve and stop-year
  probabilities;
- :mod:`~accessmap.workforce.ages`: illustrative ages (generated, flagged);
- :mod:`~accessmap.workforce.scenario`: outlook scenarios and their TOML format ("scenario" always
  means a workforce outlook scenario; sites compared for a new centre are *options*);
- :mod:`~accessmap.workforce.prepare`: tables to arrays and sparse operators;
- :mod:`~accessmap.workforce.engine`: the expected and Monte Carlo engines;
- :mod:`~accessmap.workforce.outlook`: the :class:`Outlook` result and :func:`outlook`;
- :mod:`~accessmap.workforce.professions`: one outlook per profession, and the communes losing
  access to several professions at once;
- :mod:`~accessmap.workforce.counts`: the communes losing their last practitioner, one definition
  (:func:`communes_losing_last`).

Conventions (documented in ``docs/workforce.md``):

* A practitioner who stops in year ``y`` (their *stop year*) practises in every year before ``y``
  and in no year from ``y`` on. Retiring at age ``A`` means stopping in ``birth_year + A``.
* Every practitioner on the roster practises in the start year (today). One whose stop year would
  fall at or before the start year (declared year in the past, or already past the model's last
  age) stops in the first projected year.
* A declared ``retirement_year`` wins over any age model.
* Bands are half-open: "within 20 minutes" is ``minutes < 20``; "beyond 20 minutes" is the rest.

Everything built on a roster with generated ages (:func:`illustrative_roster`) carries
``ages_basis == "illustrative ages"`` in every table and :attr:`Outlook.caveat`.
"""

from __future__ import annotations

from accessmap.workforce.ages import DEFAULT_GP_AGE_BANDS, ILLUSTRATIVE, illustrative_roster
from accessmap.workforce.counts import LOSS_PROBABILITY, communes_losing_last
from accessmap.workforce.draws import apl_draws
from accessmap.workforce.outlook import QUANTILES, Engine, Outlook, outlook, simulate_run
from accessmap.workforce.professions import (
    communes_losing_professions,
    outlook_by_profession,
    professions_in,
)
from accessmap.workforce.retirement import (
    DEFAULT_RETIREMENT_AGES,
    OPEN_BAND_WIDTH,
    RetirementModel,
    UnknownAgeRule,
    retirement_probabilities,
)
from accessmap.workforce.scenario import (
    DEFAULT_WEEKS_PER_FTE,
    Installation,
    NewSite,
    Replacement,
    Rotation,
    Scenario,
    VolunteerCentre,
    parse_scenario,
    scenario_from_mapping,
)

__all__ = [
    "DEFAULT_GP_AGE_BANDS",
    "DEFAULT_RETIREMENT_AGES",
    "DEFAULT_WEEKS_PER_FTE",
    "ILLUSTRATIVE",
    "LOSS_PROBABILITY",
    "OPEN_BAND_WIDTH",
    "QUANTILES",
    "Engine",
    "Installation",
    "NewSite",
    "Outlook",
    "Replacement",
    "RetirementModel",
    "Rotation",
    "Scenario",
    "UnknownAgeRule",
    "VolunteerCentre",
    "apl_draws",
    "communes_losing_last",
    "communes_losing_professions",
    "illustrative_roster",
    "outlook",
    "outlook_by_profession",
    "parse_scenario",
    "professions_in",
    "retirement_probabilities",
    "scenario_from_mapping",
    "simulate_run",
]
