"""Options files (TOML or JSON): ``[[option]]`` tables turned into :class:`SitingOption`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.options.model import SitingOption, option_from_result
from accessmap.options.supply import staffed_sites

if TYPE_CHECKING:
    from accessmap.siting import SitingResult, SolverOptions

__all__ = ["options_from_spec"]


# --- options files ------------------------------------------------------------------------------

#: Keys of an ``[[option]]`` that are not model parameters.
_OPTION_KEYS = frozenset({"name", "sites", "model", "year", "fte", "description", "hosts"})
#: Keys of a ``[hosts]`` table (see :func:`accessmap.siting.hosts.eligible_candidates`).
_HOST_KEYS = frozenset({"min_population", "premises", "include_existing"})


def options_from_spec(
    spec: Mapping[str, Any],
    *,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    supply_for_year: Callable[[int], pd.DataFrame] | None = None,
    existing_sites: Sequence[str] = (),
    solver: SolverOptions | None = None,
) -> list[SitingOption]:
    """Build options from a parsed options file (TOML or JSON; format in ``docs/siting.md``).

    Each ``[[option]]`` has a ``name`` and either ``sites`` (``{site_id: fte}`` or a list: new
    sites by hand), or ``model`` (a name of :data:`accessmap.siting.MODELS`) with that model's
    parameters (``p``, ``minutes``, ``team``, ``candidates``, ``exclude``, ``fixed``,
    ``volunteer_weeks``...: see :func:`accessmap.siting.describe_models`), or neither (status
    quo). An optional ``year`` takes the supply of that year from ``supply_for_year``; ``fte``
    sets the FTE per new site; models run with the ``existing_sites`` fixed open unless ``fixed``
    is given (for a ``year``: the sites still staffed that year, :func:`staffed_sites`; a rota
    spreads its team over the candidates and fixes nothing by default).

    Host rules: a top-level ``[hosts]`` table (or an option's own ``hosts``) with
    ``min_population``, ``premises`` (INSEE codes with premises available) and/or
    ``include_existing`` (communes with an MSP, always eligible) restricts the candidates of the
    model options to the communes passing them (:func:`accessmap.siting.eligible_candidates`);
    candidate ids that are not communes of ``demand`` are kept, and sites chosen by hand are not
    filtered.

    Parameters
    ----------
    spec
        The parsed file: ``{"option": [{...}, ...]}``.
    od
        Long travel-time table (communes x sites and candidates).
    demand
        ``id``, ``population`` (and ``pop_std``).
    supply_for_year
        Called with a year, returns ``site_id, acts`` for that year (e.g.
        :func:`expected_supply`); needed when an option has a ``year``.
    existing_sites
        Today's GP sites, fixed open in the models by default.
    solver
        HiGHS options for the models (an option's own ``time_limit``... override them).

    Returns
    -------
    list of SitingOption
        In file order.

    Raises
    ------
    ValidationError
        Unknown keys, models or parameters, values of the wrong kind, a year without
        ``supply_for_year``.

    References
    ----------
    See :mod:`accessmap.siting` for each model's references.
    """
    raw = spec.get("option", spec.get("options"))
    if not isinstance(raw, list) or not raw:
        raise ValidationError("options.file_empty", field="option")
    hosts = spec.get("hosts")
    options: list[SitingOption] = []
    for k, entry in enumerate(raw):
        if not isinstance(entry, Mapping) or "name" not in entry:
            raise ValidationError("options.entry_no_name", field="option", number=k + 1)
        options.append(
            _option_from_entry(
                {"hosts": hosts, **entry} if hosts is not None else entry,
                od=od,
                demand=demand,
                supply_for_year=supply_for_year,
                existing_sites=existing_sites,
                solver=solver,
            )
        )
    return options


def _option_from_entry(
    entry: Mapping[str, Any],
    *,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    supply_for_year: Callable[[int], pd.DataFrame] | None,
    existing_sites: Sequence[str],
    solver: SolverOptions | None,
) -> SitingOption:
    name = str(entry["name"])
    if "model" not in entry:
        unknown = sorted(set(entry) - _OPTION_KEYS)
        if unknown:
            raise ValidationError(
                "options.unknown_keys", field=f"option.{unknown[0]}", option=name, keys=unknown
            )
    year = int(entry["year"]) if entry.get("year") is not None else None
    supply = None
    if year is not None:
        if supply_for_year is None:
            raise ValidationError(
                "options.year_without_outlook", field="year", option=name, year=year
            )
        supply = supply_for_year(year)
    if "sites" in entry and "model" in entry:
        raise ValidationError("options.sites_and_model", field="option", option=name)
    if "model" in entry:
        existing = existing_sites if supply is None else staffed_sites(supply)
        result = _run_entry_model(
            entry, name=name, od=od, demand=demand, existing_sites=existing, solver=solver
        )
        fte = entry.get("fte")
        return option_from_result(
            result, name=name, fte=None if fte is None else float(fte), supply=supply, year=year
        )
    if "sites" in entry:
        sites = entry["sites"]
        new_sites = (
            {str(s): float(entry.get("fte", 1.0)) for s in sites}
            if isinstance(sites, list)
            else {str(s): float(v) for s, v in dict(sites).items()}
        )
        text = str(entry.get("description", Message("options.sites_by_hand")))
        return SitingOption(
            name=name, new_sites=new_sites, supply=supply, year=year, description=text
        )
    text = str(entry.get("description", Message("options.no_new_site")))
    return SitingOption(name=name, supply=supply, year=year, description=text, kind="")


def _run_entry_model(
    entry: Mapping[str, Any],
    *,
    name: str,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    existing_sites: Sequence[str],
    solver: SolverOptions | None,
) -> SitingResult:
    """Run an option's model through the siting registry, its parameters checked there."""
    from accessmap import siting

    spec = siting.get_model(str(entry["model"]))
    params = {k: v for k, v in entry.items() if k not in _OPTION_KEYS}
    if entry.get("hosts") is not None:
        params["candidates"] = _eligible(
            entry["hosts"], params.get("candidates"), od=od, demand=demand, name=name
        )
    if "fixed" not in params:
        # a rota spreads the team's days; today's sites stay as they are
        params["fixed"] = list(existing_sites) if spec.keeps_existing else []
    dests = set(od["dest_id"].astype(str).unique()) if "dest_id" in od.columns else set()
    if isinstance(params["fixed"], list | tuple):
        params["fixed"] = [str(s) for s in params["fixed"] if str(s) in dests]
    if solver is not None and "solver" not in params:
        params["solver"] = solver
    try:
        return siting.run(spec.name, od=od, demand=demand, **params)
    except ValidationError as exc:
        raise ValidationError(
            "options.model_error",
            field=exc.field,
            option=name,
            cause=exc.code,
            message=exc.message,
            advice=exc.fix or "",
        ) from exc


def _eligible(
    rules: Any, candidates: Any, *, od: pd.DataFrame, demand: pd.DataFrame, name: str
) -> list[str]:
    """Keep the candidates whose commune passes the host rules (other site ids are kept)."""
    from accessmap.contracts import validate_demand
    from accessmap.siting.hosts import eligible_candidates

    if not isinstance(rules, Mapping):
        raise ValidationError("options.hosts_not_table", field="hosts", option=name)
    unknown = sorted(set(rules) - _HOST_KEYS)
    if unknown:
        raise ValidationError(
            "options.unknown_host_rules",
            field=f"hosts.{unknown[0]}",
            option=name,
            rules=unknown,
            allowed=sorted(_HOST_KEYS),
        )
    dem = validate_demand(demand)
    table = eligible_candidates(
        pd.DataFrame({"code": dem["id"], "population": dem["population"]}), **dict(rules)
    )
    ok = set(table.loc[table["eligible"], "code"])
    communes = set(table["code"])
    pool = (
        [str(c) for c in candidates]
        if candidates is not None
        else [str(d) for d in pd.unique(od["dest_id"].astype(str))]
    )
    kept = [c for c in pool if c in ok or c not in communes]
    if not kept:
        raise ValidationError("options.no_eligible_candidate", field="hosts", option=name)
    return kept
