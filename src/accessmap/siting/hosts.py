"""Which communes may host a new site: the host rules of a siting study, as one pure function.

Elected officials do not pick a health centre's commune among all town halls: they want a bourg
large enough, a building available, or an existing MSP to extend. :func:`eligible_candidates`
applies those rules to the communes table and says, for each commune, whether it may host a new
site and why not (a :class:`~accessmap.messages.Message` whose text is French, for the
report). Pass ``table.loc[table["eligible"], "code"]`` as the ``candidates`` of a model.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from accessmap.contracts import require_columns
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.siting.instance import id_list

__all__ = ["eligible_candidates"]


def _codes(values: Iterable[str] | None, *, name: str, known: set[str]) -> set[str] | None:
    if values is None:
        return None
    codes = set(id_list(values, name=name))
    unknown = sorted(codes - known)
    if unknown:
        raise ValidationError(
            "siting.hosts_unknown_codes", field=name, count=len(unknown), codes=unknown
        )
    return codes


def eligible_candidates(
    communes: pd.DataFrame,
    *,
    min_population: float | None = None,
    premises: Iterable[str] | None = None,
    include_existing: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Apply host rules to the communes: which may host a new site, and why not.

    A commune is eligible when every rule given holds: ``population >= min_population`` and, when
    ``premises`` is given, it is listed there (a building is available). Communes listed in
    ``include_existing`` (an MSP or health centre already there, which could grow) are eligible
    whatever the other rules. With no rule, every commune is eligible.

    Parameters
    ----------
    communes
        ``code`` (INSEE), ``population`` and optionally ``nom`` (default: the code).
    min_population
        Smallest population of a host commune (population légale), or ``None``.
    premises
        INSEE codes of communes with premises available, or ``None`` (no such rule).
    include_existing
        INSEE codes of communes with an existing MSP or health centre, always eligible.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``nom``, ``population``, ``eligible`` (bool) and ``raison`` (why a commune is or
        is not eligible: a :class:`~accessmap.messages.Message` whose ``str()`` is French,
        « 180 habitants, moins de 500 », « pas de locaux déclarés », « MSP existante »...), in
        the input order.

    Raises
    ------
    ValidationError
        Missing column, duplicate or unknown code, negative or missing population, a negative
        ``min_population``.

    References
    ----------
    Issue 12 of the project (host rules: minimum population, declared premises, existing MSPs);
    Church R. L., ReVelle C. (1974) for the candidate sets of coverage models.
    """
    table = require_columns(communes, ("code", "population"), table="communes")
    codes = table["code"].astype(str)
    if codes.duplicated().any():
        raise ValidationError(
            "siting.hosts_duplicate_codes",
            field="communes.code",
            codes=codes[codes.duplicated()].unique().tolist(),
        )
    population = pd.to_numeric(table["population"], errors="coerce").to_numpy(dtype=np.float64)
    if (~np.isfinite(population) | (population < 0)).any():
        bad = codes[~np.isfinite(population) | (population < 0)]
        raise ValidationError(
            "siting.hosts_bad_population", field="communes.population", codes=bad.tolist()
        )
    if min_population is not None and not min_population >= 0:
        raise ValidationError(
            "siting.hosts_min_population", field="min_population", value=min_population
        )
    known = set(codes)
    with_premises = _codes(premises, name="premises", known=known)
    existing = _codes(include_existing, name="include_existing", known=known) or set()
    reasons = [
        _reason(code, pop, min_population=min_population, premises=with_premises, existing=existing)
        for code, pop in zip(codes, population, strict=True)
    ]
    return pd.DataFrame(
        {
            "code": codes.to_numpy(dtype=object),
            "nom": (table["nom"] if "nom" in table.columns else codes)
            .astype(str)
            .to_numpy(dtype=object),
            "population": population,
            "eligible": [ok for ok, _ in reasons],
            "raison": [reason for _, reason in reasons],
        }
    )


def _reason(
    code: str,
    population: float,
    *,
    min_population: float | None,
    premises: set[str] | None,
    existing: set[str],
) -> tuple[bool, Message]:
    """Whether one commune is eligible, and why (a message)."""
    if code in existing:
        return True, Message("siting.host_existing")
    too_small = min_population is not None and population < min_population
    no_premises = premises is not None and code not in premises
    inhabitants = round(population)
    if too_small:
        return False, (
            Message(
                "siting.host_too_small_no_premises", population=inhabitants, minimum=min_population
            )
            if no_premises
            else Message("siting.host_too_small", population=inhabitants, minimum=min_population)
        )
    if no_premises:
        return False, Message("siting.host_no_premises")
    if premises is not None:
        return True, Message("siting.host_premises")
    met = Message("siting.host_rules_met")
    return True, met if min_population is not None else Message("siting.host_no_rule")
