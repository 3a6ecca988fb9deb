"""Siting options side by side: status quo, model answers, volunteer centres, rotas, future years.

An *option* is a supply of GP activity per site (``site_id, acts``): today's supply (the status
quo), the supply expected in an outlook year, plus new sites with their FTE (a new MSP, a Médecins
Solidaires centre, the days of a MilleSoins rota). :func:`compare` measures every option the same
way, in one table:

- population within 10 / 15 / 20 / 30 minutes of a site with a GP (``t < T``, the project's
  half-open band convention, :mod:`accessmap.conventions`), mean (population-weighted) and worst
  time;
- territory APL (DREES, population-standardised mean), communes and population with APL < 2.5;
- communes losing their last GP (relative to today), and how many of those losses the option's
  new sites avoid;

plus one row per option and commune (time, band, APL, GP present) for a map.

Options are built by hand (:class:`SitingOption`), from a model's answer
(:func:`option_from_result`), or from a small TOML/JSON options file (:func:`options_from_spec`;
format in ``docs/siting.md``, example in ``accessmap/data/options_example.toml``): models are run
by name through the registry of :mod:`accessmap.siting` (:func:`accessmap.siting.run`). Supply in
an outlook year is an *input* (``SitingOption.supply``), e.g. :func:`expected_supply` from the
roster and the retirement model. :func:`describe_option` says in one French sentence what an option
adds.

("Scenario" in accessmap means a workforce outlook scenario; this module was once called
``accessmap.scenarios``.)
"""

from accessmap.options.describe import describe_option
from accessmap.options.files import options_from_spec
from accessmap.options.model import (
    NEW_GP_ACTS,
    Comparison,
    ScenarioOption,
    SitingOption,
    compare,
    option_from_result,
    status_quo,
)
from accessmap.options.supply import expected_supply, staffed_sites

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
