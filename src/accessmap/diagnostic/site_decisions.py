"""``site`` with the APL decision models, and any plan evaluated on the official indicator.

The APL models of :mod:`accessmap.siting.registry` (those with
:attr:`~accessmap.siting.registry.ModelSpec.apl_baseline`) decide on each commune's reference APL
in the decision year: its published APL plus the modelled change of the retirements. This module
builds that problem for a profession from loaded inputs (the expected-value outlook, the host
rules' candidates, Monte Carlo draws for the 10-90 % band) with
:func:`accessmap.diagnostic.decisions.decision_inputs`, solves the model, or reads a plan given
by the reader, and evaluates the plan today and in the year with
:func:`accessmap.diagnostic.decisions.evaluate_plan`: the same figures whichever way the plan
came (the report's simulator shows them too).

References
----------
DREES (2023), L'accessibilité potentielle localisée (APL), méthodologie; issues 20 and 26 of the
project (decisions on the official indicator, the plan simulator).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from accessmap import siting, workforce
from accessmap.conventions import OUTLOOK_HORIZON_YEARS
from accessmap.diagnostic.decisions import (
    DecisionInputs,
    PlanEvaluation,
    decision_inputs,
    evaluate_plan,
    parse_plan,
)
from accessmap.errors import ValidationError
from accessmap.inputs import ILLUSTRATIVE_NOTE, Inputs
from accessmap.messages import Message
from accessmap.messages.formats import fmt_float
from accessmap.professions import DEFAULT_PROFESSION, profession
from accessmap.workforce.ages import resolve_year

if TYPE_CHECKING:
    from accessmap.network import TravelTimes
    from accessmap.siting import SitingResult

__all__ = [
    "DEFAULT_DRAWS",
    "AplSiteAnswer",
    "answer_apl_site",
    "expected_outlook",
    "plan_table",
    "threshold_text",
]

#: Monte Carlo draws of the retirements behind every APL answer's 10-90 % band (and the sample
#: the robust model draws from).
DEFAULT_DRAWS = 200


@dataclass(frozen=True, slots=True)
class AplSiteAnswer:
    """A plan on the official indicator (solved by an APL model, or given), evaluated.

    Attributes
    ----------
    decision
        The decision problem (baselines today and in the year, threshold, eligible sites).
    result
        The model's solution, or ``None`` when the plan was given (evaluated, not solved).
    plan
        One row per site of the plan: ``site_id, name, fte, kind`` (``new_msp``: a new site;
        ``reinforced``: an existing practice or MSP given more FTE).
    before, after
        The territory without any plan, and with the plan, today and in the year.
    stuck
        Inhabited communes no eligible site can bring to the threshold: ``id, name, population,
        apl_year, reason`` (``no_site``: no site within reach; ``capacity``: every site within
        reach at its cap is not enough). Empty for a given plan.
    reading
        How to read the figures (French): the baseline's source, the threshold's nature (official
        or this project's convention), the band.
    notes
        Caveats (French): illustrative ages, the model's own notes.
    """

    decision: DecisionInputs
    result: SitingResult | None
    plan: pd.DataFrame
    before: PlanEvaluation
    after: PlanEvaluation
    stuck: pd.DataFrame
    reading: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def year(self) -> int:
        """The decision year."""
        return self.decision.year

    def summary(self) -> pd.DataFrame:
        """Return the figures, one row per plan and moment (no plan or the plan; today, the year).

        Returns
        -------
        pandas.DataFrame
            ``option, year, new_fte, threshold, pop_apl_below, communes_apl_below,
            pop_apl_below_secondary, apl_territory, band_median, band_q10, band_q90`` (the band
            in the year only).
        """
        rows = []
        for option, ev in (("statu_quo", self.before), ("plan", self.after)):
            for year, under, communes, second, apl in (
                (self.decision.start_year, ev.under_today, ev.communes_under_today,
                 ev.under_secondary_today, ev.apl_today),
                (self.decision.year, ev.under_year, ev.communes_under_year,
                 ev.under_secondary_year, ev.apl_year),
            ):  # fmt: skip
                band = ev.band if year == self.decision.year else None
                rows.append({
                    "option": option, "year": year, "new_fte": ev.fte,
                    "threshold": self.decision.threshold, "pop_apl_below": under,
                    "communes_apl_below": communes, "pop_apl_below_secondary": second,
                    "apl_territory": apl,
                    "band_median": band.median if band else float("nan"),
                    "band_q10": band.q10 if band else float("nan"),
                    "band_q90": band.q90 if band else float("nan"),
                })  # fmt: skip
        return pd.DataFrame(rows)


def expected_outlook(
    inputs: Inputs, times: TravelTimes, *, profession_key: str, year: int | None, seed: int = 0
) -> workforce.Outlook:
    """Return a profession's expected-value outlook, long enough to reach ``year``.

    Parameters
    ----------
    inputs
        Inputs adapted to the profession
        (:func:`accessmap.diagnostic.measures.inputs_for_profession`).
    times
        Travel times (communes to sites and candidate town halls).
    profession_key
        The profession (its registered retirement curve).
    year
        Decision year (``None``: this year + :data:`~accessmap.conventions.OUTLOOK_HORIZON_YEARS`).
    seed
        Seed of any draw of the outlook.

    Returns
    -------
    accessmap.workforce.Outlook
        Start year: this year.

    References
    ----------
    DREES, démographie des médecins (projections); ``docs/workforce.md``.
    """
    start = resolve_year(None)
    horizon = OUTLOOK_HORIZON_YEARS if year is None else max(OUTLOOK_HORIZON_YEARS, year - start)
    return workforce.outlook(
        inputs.roster, times.table, inputs.demand, engine="expected", runs=1,
        model=workforce.RetirementModel.for_profession(profession_key), seed=seed,
        start_year=start, horizon=horizon, params=inputs.params, profession=profession_key,
    )  # fmt: skip


def answer_apl_site(
    inputs: Inputs,
    times: TravelTimes,
    *,
    model: str,
    params: Mapping[str, Any],
    candidates: Sequence[str],
    names: Mapping[str, str],
    plan: str | Mapping[str, float] | None = None,
    year: int | None = None,
    runs: int = DEFAULT_DRAWS,
    seed: int = 0,
    keep_existing: bool = True,
    profession_key: str = DEFAULT_PROFESSION,
) -> AplSiteAnswer:
    """Solve an APL model (or read a plan) on the official indicator and evaluate the plan.

    Parameters
    ----------
    inputs
        Inputs adapted to the profession (roster, APL parameters, published APL for GPs).
    times
        Travel times (communes to sites and candidate town halls).
    model
        An APL model of the registry (ignored when ``plan`` is given).
    params
        The model's parameters by name; ``threshold`` and ``candidates`` shape the problem
        itself (default: 2,5 for GPs, the reference convention otherwise; ``candidates``).
    candidates
        Town halls that may host a new site when ``params`` names none (the host rules',
        :func:`accessmap.diagnostic.answers.host_candidates`).
    names
        Site or commune id to its French name (:func:`accessmap.diagnostic.answers.site_names`).
    plan
        A plan to evaluate instead of solving (``"19033:2,23077:1"`` or ``{site: FTE}``).
    year
        Decision year (default: this year + 10).
    runs, seed
        Monte Carlo draws of the retirements (the band; the robust model's sample) and their seed.
    keep_existing
        Existing practices and MSPs may be reinforced.
    profession_key
        A profession with an APL.

    Returns
    -------
    AplSiteAnswer

    Raises
    ------
    ValidationError
        A model that is not an APL model, a bad plan, a year outside the outlook, bad parameters.

    References
    ----------
    :func:`accessmap.diagnostic.decisions.decision_inputs`, :func:`~.decisions.evaluate_plan`.
    """
    spec = siting.get_model(model)
    if plan is None and not spec.apl_baseline:
        raise ValidationError("siting.site_not_apl", field="model", model=spec.name)
    kwargs = dict(params)
    threshold = kwargs.pop("threshold", None)
    hosts = list(kwargs.pop("candidates", None) or candidates)
    outlook = expected_outlook(inputs, times, profession_key=profession_key, year=year, seed=seed)
    dec = decision_inputs(
        inputs, times.table, outlook, candidates=hosts, profession=profession_key,
        year=year, threshold=None if threshold is None else float(threshold), runs=runs,
        seed=seed, model=workforce.RetirementModel.for_profession(profession_key),
    )  # fmt: skip
    result = None
    if plan is not None:
        chosen = parse_plan(plan, known=dec.sites if keep_existing else dec.candidates)
    else:
        result = _solve(spec, dec, kwargs, keep_existing=keep_existing, seed=seed)
        table = result.site_table
        chosen = {str(s): float(f) for s, f in zip(table["site_id"], table["fte"], strict=True)}
    reading = _reading(inputs, dec, runs=runs, threshold_given=threshold is not None)
    notes = [ILLUSTRATIVE_NOTE] if inputs.ages_are_illustrative else []
    table = plan_table(dec, chosen, names=names)
    team = int(kwargs.get("team_min") or dec.team_min)
    small = table[(table["kind"] == "new_msp") & (table["fte"] < team)]
    notes += [
        str(Message("siting.site_small_team", name=n, site=s, fte=f, team=team))
        for n, s, f in zip(small["name"], small["site_id"], small["fte"], strict=True)
    ]
    notes += [str(n) for n in (result.notes if result is not None else ())]
    return AplSiteAnswer(
        decision=dec, result=result, plan=table,
        before=evaluate_plan(dec, {}), after=evaluate_plan(dec, chosen),
        stuck=_stuck(result, names), reading=reading, notes=tuple(dict.fromkeys(notes)),
    )  # fmt: skip


def _solve(
    spec: siting.ModelSpec,
    dec: DecisionInputs,
    params: Mapping[str, Any],
    *,
    keep_existing: bool,
    seed: int,
) -> SitingResult:
    """Run an APL model on the decision problem (the reader's parameters over the problem's)."""
    call = dec.model_kwargs()
    if not keep_existing:
        call["fixed"] = []
    if spec.needs_draws:
        if dec.draws is None:
            raise ValidationError("siting.site_draws_needed", field="runs", model=spec.name)
        call["draws"] = dec.draws
        if spec.parameter("seed") is not None:
            call["seed"] = seed
    else:
        call["baseline"] = dec.baseline[["id", "apl"]]
    call.update(params)
    return siting.run(spec.name, od=dec.od, demand=dec.demand, **call)


def plan_table(
    dec: DecisionInputs, plan: Mapping[str, float], *, names: Mapping[str, str]
) -> pd.DataFrame:
    """One row per site of a plan: ``site_id, name, fte, kind`` (``new_msp`` or ``reinforced``).

    Parameters
    ----------
    dec
        The decision problem (its existing sites are reinforced, the others are new).
    plan
        New FTE per site (sites with 0 FTE are left out).
    names
        Site or commune id to its French name.

    Returns
    -------
    pandas.DataFrame
    """
    existing = set(dec.existing)
    rows = [
        {"site_id": s, "name": names.get(s, s), "fte": float(f),
         "kind": "reinforced" if s in existing else "new_msp"}
        for s, f in plan.items() if float(f) > 0
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["site_id", "name", "fte", "kind"])


def _stuck(result: SitingResult | None, names: Mapping[str, str]) -> pd.DataFrame:
    columns = ["id", "name", "population", "apl_year", "reason"]
    communes = None if result is None else result.communes
    if communes is None:
        return pd.DataFrame(columns=columns)
    stuck = communes[communes["reason"].notna() & (communes["weight"] > 0)]
    return pd.DataFrame(
        {
            "id": stuck["id"].astype(str),
            "name": [names.get(str(i), str(i)) for i in stuck["id"]],
            "population": stuck["weight"].astype(float),
            "apl_year": stuck["baseline_apl"].astype(float),
            "reason": stuck["reason"].astype(str),
        },
        columns=columns,
    ).reset_index(drop=True)


def threshold_text(value: float) -> str:
    """Write a threshold as readers do: ``2,5``, ``4``, ``112,98`` (French decimals).

    Parameters
    ----------
    value
        The threshold.

    Returns
    -------
    str
    """
    if round(value, 6).is_integer():
        return fmt_float(value, 0)
    return fmt_float(value, 1) if round(value, 1) == round(value, 6) else fmt_float(value, 2)


def _reading(
    inputs: Inputs, dec: DecisionInputs, *, runs: int, threshold_given: bool
) -> tuple[str, ...]:
    """Say the baseline's source, the threshold's nature and the band."""
    if dec.official:
        source = Message("siting.site_baseline_official", vintage=inputs.options.apl_year,
                         year=dec.year)  # fmt: skip
    else:
        label = profession(dec.profession).label.lower()
        source = Message("siting.site_baseline_modelled", profession=label, year=dec.year)
    t = threshold_text(dec.threshold)
    if dec.official_threshold:
        level = Message("siting.site_threshold_official", threshold=t)
    elif threshold_given:
        level = Message("siting.site_threshold_given", threshold=t)
    else:
        level = Message("siting.site_threshold_convention", threshold=t)
    reading = [str(source), str(level)]
    if dec.draws is not None:
        reading.append(str(Message("siting.site_band", runs=runs, year=dec.year)))
    return tuple(reading)
