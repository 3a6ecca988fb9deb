"""One siting model, or an options file, answered for a territory (``site`` and ``compare``).

The command line only parses options; the work — today's or a future year's supply, which sites
stay open, which communes are candidates, the comparison with the status quo — is done here, on
the same inputs and travel times as :func:`accessmap.diagnostic.run_diagnostic`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from accessmap import options as siting_options
from accessmap import siting
from accessmap.conventions import ISOCHRONE_BANDS, SITING_MINUTES
from accessmap.diagnostic.site_decisions import AplSiteAnswer, answer_apl_site
from accessmap.indicators import site_activity
from accessmap.inputs import ILLUSTRATIVE_NOTE, Inputs, candidate_points
from accessmap.options import Comparison, SitingOption, expected_supply
from accessmap.professions import DEFAULT_PROFESSION

if TYPE_CHECKING:
    from accessmap.network import TravelTimes
    from accessmap.siting import SitingResult

__all__ = [
    "SiteAnswer",
    "answer_options",
    "answer_site",
    "host_candidates",
    "site_names",
    "supply_in",
]


@dataclass(frozen=True, slots=True)
class SiteAnswer:
    """A siting model's answer and its effect on access, next to the status quo.

    Attributes
    ----------
    result
        The model's solution (sites, objective, status, gap).
    comparison
        Status quo and the answer side by side (``summary``, per-commune ``communes``).
    year
        The outlook year the answer is for (``None``: today).
    notes
        What a reader must know (French).
    """

    result: SitingResult
    comparison: Comparison
    year: int | None
    notes: tuple[str, ...]


def calibrated(inputs: Inputs) -> Inputs:
    """Return the inputs with the GPs' unknown activity calibrated as ``diagnose`` does it.

    Parameters
    ----------
    inputs
        The territory's inputs (GPs).

    Returns
    -------
    Inputs
        ``params.unknown_acts`` set by :func:`accessmap.diagnostic.official.calibrate` (unchanged
        without a published APL), so that a plan evaluated here gives the report's figures.
    """
    from accessmap.diagnostic.model import DiagnosticOptions
    from accessmap.diagnostic.official import calibrate

    return calibrate(inputs, DiagnosticOptions(inputs=inputs.options)).inputs


def supply_in(inputs: Inputs, year: int | None, notes: list[str]) -> pd.DataFrame:
    """Practitioner supply per site today (``year=None``) or expected in ``year``, no replacement.

    Parameters
    ----------
    inputs
        Loaded inputs (their roster's ages are the user's or illustrative, already seeded).
    year
        Outlook year, or ``None`` for today.
    notes
        Receives the illustrative-ages caveat when it applies.

    Returns
    -------
    pandas.DataFrame
        ``site_id``, ``acts``, and ``fte`` for a future year.

    References
    ----------
    DREES APL workbook (activity rules); CARMF retirement ages (see :mod:`accessmap.workforce`).
    """
    if year is None:
        return site_activity(inputs.roster, params=inputs.params)[["site_id", "acts"]]
    if inputs.ages_are_illustrative:
        notes.append(ILLUSTRATIVE_NOTE)
    return expected_supply(inputs.roster, year=year, params=inputs.params)


def host_candidates(
    inputs: Inputs,
    *,
    min_population: float | None = None,
    premises: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
) -> list[str]:
    """Town halls that may host a new site under the host rules (all of them without rules).

    Parameters
    ----------
    inputs
        Loaded inputs (the territory's communes, the roster's MSPs and health centres).
    min_population
        Smallest population of a host commune.
    premises
        INSEE codes of communes with premises available (only those, when given).
    exclude
        Ids never to propose (e.g. sites already open).

    Returns
    -------
    list of str
        INSEE codes; communes with an existing MSP or health centre stay eligible whatever the
        rules (they could grow).

    References
    ----------
    :func:`accessmap.siting.eligible_candidates`.
    """
    communes = inputs.territory.communes[["code", "nom", "population"]]
    sites = inputs.roster.sites
    existing = sites.loc[sites["kind"].isin(["msp", "centre_sante"]), "commune_code"].astype(str)
    if min_population is None and premises is None:
        table = communes.assign(eligible=True)
    else:
        table = siting.eligible_candidates(
            communes,
            min_population=min_population,
            premises=premises,
            include_existing=sorted(set(existing) & set(communes["code"].astype(str))),
        )
    skip = set(exclude)
    return [str(c) for c in table.loc[table["eligible"], "code"] if str(c) not in skip]


def answer_site(
    inputs: Inputs,
    times: TravelTimes,
    *,
    model: str,
    params: Mapping[str, Any],
    year: int | None = None,
    keep_existing: bool = True,
    mandatory: Sequence[str] = (),
    min_population: float | None = None,
    premises: Sequence[str] | None = None,
    plan: str | Mapping[str, float] | None = None,
    runs: int = 200,
    seed: int = 0,
    profession: str = DEFAULT_PROFESSION,
) -> SiteAnswer | AplSiteAnswer:
    """Run one siting model (by name, through the registry) and compare it with the status quo.

    An APL decision model (:attr:`accessmap.siting.registry.ModelSpec.apl_baseline`), or a
    ``plan`` given, is answered on the official APL plus the modelled change in the decision year
    (:func:`accessmap.diagnostic.site_decisions.answer_apl_site`): the baseline, the threshold
    and the eligible sites come from the inputs, the plan is evaluated today and in the year.

    Parameters
    ----------
    inputs
        Loaded inputs.
    times
        The shared travel-time table (communes → sites and candidate town halls).
    model
        A model name of :mod:`accessmap.siting.registry` (``mclp``, ``p-median``...).
    params
        The model's parameters by name (``p``, ``minutes``, ``candidates``, ``exclude``...).
        ``candidates`` defaults to the territory's town halls.
    year
        Outlook year: existing sites count only if still staffed (expected FTE >= 0.5).
    keep_existing
        Keep today's (or the year's) staffed sites open.
    mandatory
        Sites that must be open.
    min_population, premises
        Host rules for the default candidates (:func:`host_candidates`).
    plan
        A plan to evaluate on the official indicator (``"19033:2,23077:1"``), no model solved.
    runs, seed
        Monte Carlo draws of the retirements for the APL answers' band, and their seed.
    profession
        The inputs' profession (APL answers: its outlook, its published APL or modelled one).

    Returns
    -------
    SiteAnswer or AplSiteAnswer
        ``AplSiteAnswer`` for the APL models and given plans; ``year`` (APL answers) is the
        decision year, this year + 10 by default.

    References
    ----------
    Church R. L., ReVelle C. (1974), The maximal covering location problem, Papers of the
    Regional Science Association 32; DREES APL (2012, 2023).
    """
    spec = siting.get_model(model)
    if spec.apl_baseline or plan is not None:
        if profession == DEFAULT_PROFESSION:  # the activity imputed as the diagnostic does
            inputs = calibrated(inputs)
        return answer_apl_site(
            inputs, times, model=spec.name, params=params, plan=plan, year=year, runs=runs,
            seed=seed, keep_existing=keep_existing, profession_key=profession,
            candidates=host_candidates(inputs, min_population=min_population, premises=premises),
            names=site_names(inputs),
        )  # fmt: skip
    notes: list[str] = []
    supply = supply_in(inputs, year, notes)
    demand = inputs.demand[inputs.demand["in_territory"]]
    od = times.table[times.table["origin_id"].isin(set(demand["id"]))]
    # a staffed site that no commune of the territory reaches within the table's horizon serves
    # none of its inhabitants: it is left out of the model (it changes no answer)
    reached = set(od["dest_id"].astype(str))
    staffed = siting_options.staffed_sites(supply) if keep_existing else []
    fixed = list(dict.fromkeys([*(s for s in staffed if str(s) in reached), *mandatory]))
    kwargs = dict(params)
    if "candidates" not in kwargs:
        kwargs["candidates"] = host_candidates(
            inputs, min_population=min_population, premises=premises, exclude=fixed
        )
    if spec.unserved_demand:
        demand = siting.unserved_demand(
            demand,
            od=od,
            existing_sites=fixed,
            minutes=float(kwargs.get("minutes", SITING_MINUTES)),
        )
        kwargs.setdefault("fixed", list(mandatory))
    elif not spec.keeps_existing:
        kwargs.setdefault("fixed", list(mandatory))
    else:
        kwargs.setdefault("fixed", fixed)
    result = siting.run(spec.name, od=od, demand=demand, **kwargs)
    comparison = _compare(inputs, times, result, supply=supply, year=year, kwargs=kwargs)
    return SiteAnswer(result=result, comparison=comparison, year=year, notes=tuple(notes))


def _compare(
    inputs: Inputs,
    times: TravelTimes,
    result: SitingResult,
    *,
    supply: pd.DataFrame,
    year: int | None,
    kwargs: Mapping[str, Any],
) -> Comparison:
    option = siting_options.option_from_result(result, supply=supply, year=year)
    base = SitingOption(
        name="Statu quo" if year is None else f"Statu quo {year}", supply=supply, year=year
    )
    minutes = float(kwargs.get("minutes", SITING_MINUTES))
    return siting_options.compare(
        [base, option], od=times.table, demand=inputs.demand,
        supply=supply_in(inputs, None, []), params=inputs.params,
        site_communes=inputs.roster.sites, territory=set(inputs.territory.codes),
        bands=sorted({*ISOCHRONE_BANDS, minutes}),
    )  # fmt: skip


def answer_options(
    inputs: Inputs,
    times: TravelTimes,
    spec: Mapping[str, Any],
    *,
    time_limit: float = 60.0,
) -> tuple[list[SitingOption], Comparison, tuple[str, ...]]:
    """Build and compare every option of an options file (status quo, models, centres, years).

    Parameters
    ----------
    inputs
        Loaded inputs.
    times
        The shared travel-time table.
    spec
        The parsed options file (``[[option]]`` tables; ``accessmap/data/options_example.toml``).
    time_limit
        Solver seconds per model.

    Returns
    -------
    tuple
        The options, their comparison, and notes for readers.

    References
    ----------
    DREES APL (2012, 2023); Church & ReVelle (1974).
    """
    notes: list[str] = []
    cache: dict[int, pd.DataFrame] = {}

    def supply_for_year(year: int) -> pd.DataFrame:
        if year not in cache:
            cache[year] = supply_in(inputs, year, notes)
        return cache[year]

    today = supply_in(inputs, None, notes)
    codes = set(inputs.territory.codes)
    halls = candidate_points(inputs.territory)["id"].tolist()
    raw = [o for o in spec.get("option", []) if isinstance(o, dict)]
    options = siting_options.options_from_spec(
        {**spec, "option": [{"candidates": halls, **o} if "model" in o else o for o in raw]},
        od=times.table, demand=inputs.demand[inputs.demand["id"].isin(codes)],
        supply_for_year=supply_for_year, existing_sites=siting_options.staffed_sites(today),
        solver=siting.SolverOptions(time_limit=time_limit),
    )  # fmt: skip
    comparison = siting_options.compare(
        options, od=times.table, demand=inputs.demand, supply=today, params=inputs.params,
        site_communes=inputs.roster.sites, territory=codes,
    )  # fmt: skip
    return options, comparison, tuple(dict.fromkeys(notes))


def site_names(inputs: Inputs) -> dict[str, str]:
    """Commune name of every site and commune id of the study area (for tables).

    Parameters
    ----------
    inputs
        Loaded inputs.

    Returns
    -------
    dict
        Id → French name.
    """
    study = inputs.territory.study_area
    names = dict(zip(study["code"].astype(str), study["nom"].astype(str), strict=True))
    sites = inputs.roster.sites
    by_site = {
        str(s): names.get(str(c), str(c))
        for s, c in zip(sites["site_id"], sites["commune_code"], strict=True)
    }
    return {**by_site, **names}
