"""Illustrative practitioner ages: drawn from a stated distribution, and flagged everywhere.

Practitioner ages are confidential; a demo built on public sites and counts (BPE) has none. This
module draws *illustrative* birth years from a documented age pyramid and marks the roster
``illustrative_ages=True``; every outlook table built on it then carries
``ages_basis == "illustrative ages"`` (:data:`ILLUSTRATIVE`) and a caveat. Never present such an
outlook as a fact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION, profession
from accessmap.supply import Roster

__all__ = [
    "DEFAULT_GP_AGE_BANDS",
    "ILLUSTRATIVE",
    "ROSTER_AGES",
    "ages_basis",
    "illustrative_roster",
    "resolve_year",
]

#: Age distribution of the default profession in activity used by :func:`illustrative_roster`,
#: as ``(lowest age, highest age, weight)`` bands (ages uniform within a band): the registry's
#: (:attr:`accessmap.professions.Profession.age_bands`, sources there). Never a fact. Each
#: profession has its own bands: pass ``profession(key).age_bands``.
DEFAULT_GP_AGE_BANDS: tuple[tuple[int, int, float], ...] = profession(DEFAULT_PROFESSION).age_bands

#: Value of the ``ages_basis`` column when ages were generated.
ILLUSTRATIVE = "illustrative ages"
#: Value of the ``ages_basis`` column when ages come from the roster.
ROSTER_AGES = "roster ages"


def resolve_year(year: int | None) -> int:
    """Return the given year, or the current calendar year (UTC) when ``None``.

    Parameters
    ----------
    year
        A year, or ``None`` for "now".

    Returns
    -------
    int

    References
    ----------
    Python documentation, :func:`datetime.datetime.now` (aware, UTC).
    """
    return int(year) if year is not None else dt.datetime.now(tz=dt.UTC).year


def ages_basis(roster: Roster) -> str:
    """Return the ``ages_basis`` label of every table built on ``roster``.

    Parameters
    ----------
    roster
        A roster, flagged or not.

    Returns
    -------
    str
        :data:`ILLUSTRATIVE` when the roster's ages were generated, :data:`ROSTER_AGES` otherwise.

    References
    ----------
    accessmap convention (``docs/workforce.md``, "Illustrative ages").
    """
    return ILLUSTRATIVE if roster.illustrative_ages else ROSTER_AGES


def _check_bands(age_bands: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    bands = [(int(lo), int(hi), float(w)) for lo, hi, w in age_bands]
    if (
        not bands
        or any(lo > hi or w < 0 or lo < 20 or hi > 90 for lo, hi, w in bands)
        or sum(w for *_, w in bands) <= 0
    ):
        raise ValidationError("workforce.age_bands_invalid", field="age_bands", bands=bands)
    return bands


def illustrative_roster(
    roster: Roster,
    *,
    age_bands: Sequence[tuple[int, int, float]] = DEFAULT_GP_AGE_BANDS,
    seed: int = 0,
    current_year: int | None = None,
    overwrite: bool = False,
) -> Roster:
    """Give a roster *illustrative* birth years, drawn from a stated age distribution.

    GP ages are confidential; a demo built on the public GP sites and counts has none. This draws
    an age for every practitioner without a birth year (or for all of them with ``overwrite``) and
    marks the roster ``illustrative_ages=True``: every outlook built on it says "illustrative
    ages" and must never be presented as a fact. The same bands serve every profession (the
    roster's ``profession`` column is kept as it is); pass a profession's own pyramid when known.

    Parameters
    ----------
    roster
        The roster (sites, assignments and FTE are kept as they are).
    age_bands
        ``(lowest age, highest age, weight)`` bands, ages uniform within a band; default
        :data:`DEFAULT_GP_AGE_BANDS`.
    seed
        Seed of :func:`numpy.random.default_rng` (same seed, same ages).
    current_year
        Year the ages refer to (default: the current year).
    overwrite
        Replace birth years already on the roster too.

    Returns
    -------
    Roster
        A new roster with ``birth_year`` filled and ``illustrative_ages=True``; the roster itself
        when no birth year had to be generated.

    Raises
    ------
    ValidationError
        Empty or invalid bands (negative weight, lowest age above highest, ages outside 20-90).

    References
    ----------
    CNOM, *Atlas de la démographie médicale en France*, 2023 (age pyramid of GPs in activity).
    """
    bands = _check_bands(age_bands)
    year = resolve_year(current_year)
    ages = np.concatenate([np.arange(lo, hi + 1) for lo, hi, _ in bands])
    weights = np.concatenate([np.full(hi - lo + 1, w / (hi - lo + 1)) for lo, hi, w in bands])
    weights = weights / weights.sum()
    prac = roster.practitioners.copy()
    target = np.ones(len(prac), dtype=bool) if overwrite else prac["birth_year"].isna().to_numpy()
    rng = np.random.default_rng(seed)
    drawn = rng.choice(ages, size=int(target.sum()), p=weights)
    births = pd.to_numeric(prac["birth_year"], errors="coerce").astype("Float64")
    births[target] = (year - drawn).astype(float)
    prac["birth_year"] = births.astype("Int64")
    if not target.any():  # nothing generated: the roster's ages stand as they are
        return roster
    label = str(Message("workforce.illustrative_ages_source", seed=seed, year=year))
    source = f"{roster.source} ; {label}" if roster.source else label
    return dataclasses.replace(roster, practitioners=prac, illustrative_ages=True, source=source)
