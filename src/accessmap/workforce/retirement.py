"""When practitioners stop practising: the retirement model and its stop-year probabilities.

A practitioner who stops in year ``y`` (their *stop year*) practises in every year before ``y`` and
in no year from ``y`` on; retiring at age ``A`` means stopping in ``birth_year + A``. Every
practitioner on the roster practises in the start year (today); one whose stop year would fall at
or before it stops in the first projected year. A declared ``retirement_year`` wins over any age
model. The curves and their sources are in ``docs/workforce.md``.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.errors import ValidationError
from accessmap.messages import Message, warn
from accessmap.professions import DEFAULT_PROFESSION, profession
from accessmap.supply import Roster
from accessmap.workforce.ages import ages_basis, resolve_year

__all__ = [
    "DEFAULT_RETIREMENT_AGES",
    "OPEN_BAND_WIDTH",
    "RetirementModel",
    "UnknownAgeRule",
    "check_horizon",
    "retirement_frame",
    "retirement_probabilities",
    "stop_pmf",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
UnknownAgeRule = Literal["territory", "exclude", "keep"]

#: Distribution of the age at which a practitioner of the default profession stops practising
#: (age → weight; weights are normalised): the registry's curve
#: (:attr:`accessmap.professions.Profession.retirement_ages`, sources there). Each profession has
#: its own: :meth:`RetirementModel.for_profession`.
DEFAULT_RETIREMENT_AGES: Mapping[int, float] = profession(DEFAULT_PROFESSION).retirement_ages

#: An open age band "65+" covers this many ages (65 to 74).
OPEN_BAND_WIDTH = 10


@dataclass(frozen=True, slots=True)
class RetirementModel:
    """When GPs stop practising.

    Attributes
    ----------
    age_distribution
        Age at which a GP stops (age → weight, normalised); default
        :data:`DEFAULT_RETIREMENT_AGES`. The distribution is conditioned on the GP still practising
        in the start year (ages already passed are ruled out).
    fixed_age
        When set, every GP with a birth year stops at exactly this age (overrides
        ``age_distribution``).
    unknown_age
        GPs with neither a birth year, an ``age_band`` (optional practitioners column, ages in the
        start year: ``"60-64"``, or ``"65+"`` for :data:`OPEN_BAND_WIDTH` ages; uniform within
        the band) nor a declared year: ``"territory"`` gives them the ages of the
        roster's GPs with a known birth year (a mixture over those ages); ``"exclude"`` leaves them
        out of the outlook, with a warning; ``"keep"`` assumes they practise through the horizon.

    References
    ----------
    CARMF, *Statistiques démographiques* (age at retirement of médecins libéraux); DREES, « Cumul
    emploi-retraite des médecins libéraux », Études et Résultats, 2018; CNOM, *Atlas de la
    démographie médicale en France*, 2023.
    """

    age_distribution: Mapping[int, float] = field(
        default_factory=lambda: dict(DEFAULT_RETIREMENT_AGES)
    )
    fixed_age: int | None = None
    unknown_age: UnknownAgeRule = "territory"

    def __post_init__(self) -> None:
        if self.fixed_age is not None and not 40 <= int(self.fixed_age) <= 100:
            raise ValidationError(
                "workforce.fixed_age_invalid", field="fixed_age", age=self.fixed_age
            )
        weights = list(self.age_distribution.values())
        if self.fixed_age is None and (
            not weights or any(w < 0 or not math.isfinite(w) for w in weights) or sum(weights) <= 0
        ):
            raise ValidationError("workforce.age_distribution_invalid", field="age_distribution")
        if self.unknown_age not in ("territory", "exclude", "keep"):
            raise ValidationError(
                "workforce.unknown_age_rule", field="unknown_age", rule=self.unknown_age
            )

    @classmethod
    def for_profession(
        cls, key: str, *, fixed_age: int | None = None, unknown_age: UnknownAgeRule = "territory"
    ) -> RetirementModel:
        """Return the model of one profession: its registered retirement curve.

        Parameters
        ----------
        key
            A registered profession (:func:`accessmap.professions.profession`).
        fixed_age, unknown_age
            As the attributes.

        Returns
        -------
        RetirementModel
        """
        ages = dict(profession(key).retirement_ages)
        return cls(age_distribution=ages, fixed_age=fixed_age, unknown_age=unknown_age)


def _age_pmf(model: RetirementModel) -> tuple[IntArray, FloatArray]:
    if model.fixed_age is not None:
        return np.array([int(model.fixed_age)]), np.array([1.0])
    ages = np.array(sorted(model.age_distribution), dtype=np.int64)
    weights = np.array([float(model.age_distribution[int(a)]) for a in ages])
    return ages, weights / weights.sum()


def _pmf_from_birth(
    birth: IntArray, *, model: RetirementModel, start_year: int, horizon: int
) -> FloatArray:
    """Stop-index probabilities (columns: stop in ``start_year + 1 .. + horizon``, then beyond)."""
    ages, weights = _age_pmf(model)
    n = len(birth)
    out = np.zeros((n, horizon + 1))
    if n == 0:
        return out
    stop_year = birth[:, None] + ages[None, :]
    w = np.where(stop_year > start_year, weights[None, :], 0.0)
    total = w.sum(axis=1)
    # Already past every modelled age: stops in the first projected year.
    none_left = total <= 0
    w[none_left] = 0.0
    w = np.divide(w, total[:, None], out=np.zeros_like(w), where=total[:, None] > 0)
    idx = np.clip(stop_year - start_year, 1, horizon + 1) - 1
    rows = np.repeat(np.arange(n), len(ages))
    np.add.at(out, (rows, idx.ravel()), w.ravel())
    out[none_left, 0] = 1.0
    return out


def _validate_practitioners(prac: pd.DataFrame, *, start_year: int) -> None:
    pid = prac["practitioner_id"].astype(str)
    birth = pd.to_numeric(prac["birth_year"], errors="coerce")
    retire = pd.to_numeric(prac["retirement_year"], errors="coerce")
    problems: list[Message] = []
    future = birth > start_year
    if bool(future.any()):
        problems.append(
            Message("workforce.birth_after_start", year=start_year, ids=pid[future].tolist())
        )
    before = birth.notna() & retire.notna() & (retire <= birth)
    if bool(before.any()):
        problems.append(Message("workforce.retirement_before_birth", ids=pid[before].tolist()))
    if problems:
        raise ValidationError(
            "workforce.practitioner_years", field="practitioners", problems=problems
        )


def _unknown_age_pmf(
    ids: npt.NDArray[np.object_],
    known_birth: IntArray,
    *,
    model: RetirementModel,
    start_year: int,
    horizon: int,
) -> FloatArray:
    """Stop-index pmf of the practitioners without any age, by the model's rule."""
    out = np.zeros(horizon + 1)
    if model.unknown_age == "territory":
        if len(known_birth) == 0:
            raise ValidationError(
                "workforce.no_birth_year",
                field="practitioners.birth_year",
                count=len(ids),
                ids=list(ids),
            )
        return _pmf_from_birth(
            known_birth, model=model, start_year=start_year, horizon=horizon
        ).mean(axis=0)
    out[horizon] = 1.0
    if model.unknown_age == "exclude":
        warn("workforce.unknown_age_excluded", count=len(ids), ids=list(ids), stacklevel=4)
    return out


_BAND = re.compile(r"^\s*(\d{2})\s*(?:-|to|à|a)\s*(\d{2})\s*(?:ans)?\s*$")
_BAND_OPEN = re.compile(r"^\s*(\d{2})\s*(?:\+|ans et plus|and over)\s*$")


def _age_bands(prac: pd.DataFrame, *, start_year: int) -> list[tuple[int, int] | None]:
    """Parse the optional ``age_band`` column ("60-64", "65+"), ages in the start year."""
    if "age_band" not in prac.columns:
        return [None] * len(prac)
    out: list[tuple[int, int] | None] = []
    bad: dict[str, str] = {}
    for pid, raw in zip(prac["practitioner_id"].astype(str), prac["age_band"], strict=True):
        text = "" if raw is None or raw is pd.NA else str(raw).strip().lower()
        if text in ("", "nan", "<na>"):
            out.append(None)
            continue
        closed, open_ = _BAND.match(text), _BAND_OPEN.match(text)
        if closed:
            low, high = int(closed.group(1)), int(closed.group(2))
        elif open_:
            low = int(open_.group(1))
            high = low + OPEN_BAND_WIDTH - 1
        else:
            low, high = 1, 0
        if not 18 <= low <= high <= 99:
            bad[pid] = str(raw)
            out.append(None)
            continue
        out.append((low, high))
    if bad:
        raise ValidationError(
            "workforce.age_band_unreadable",
            field="practitioners.age_band",
            bands=bad,
            year=start_year,
        )
    return out


def stop_pmf(
    prac: pd.DataFrame, *, model: RetirementModel, start_year: int, horizon: int
) -> tuple[FloatArray, list[str], npt.NDArray[np.bool_]]:
    """Stop-year probabilities of every practitioner, the basis of each row, and a keep mask.

    Parameters
    ----------
    prac
        Practitioners (``practitioner_id``, ``birth_year``, ``retirement_year``, optionally
        ``age_band``).
    model
        The retirement model.
    start_year
        Today: everyone practises in it.
    horizon
        Projected years after the start year.

    Returns
    -------
    pmf : numpy.ndarray
        ``(P, horizon + 1)``: column ``k - 1`` is the probability of stopping in
        ``start_year + k`` (``k = 1..horizon``), the last column of practising beyond the horizon.
    basis : list of str
        How each row was obtained (``declared year``, ``age model``...).
    keep : numpy.ndarray of bool
        False for practitioners left out (``unknown_age="exclude"``, with a warning).

    Raises
    ------
    ValidationError
        Birth year after the start year, retirement year not after birth year, bad ``age_band``,
        or no birth year at all under the ``"territory"`` rule.

    References
    ----------
    CARMF, *Statistiques démographiques*; CNOM, *Atlas de la démographie médicale en France*, 2023.
    """
    _validate_practitioners(prac, start_year=start_year)
    n = len(prac)
    birth = pd.to_numeric(prac["birth_year"], errors="coerce").to_numpy(dtype=float)
    declared = pd.to_numeric(prac["retirement_year"], errors="coerce").to_numpy(dtype=float)
    pmf = np.zeros((n, horizon + 1))
    keep = np.ones(n, dtype=bool)
    has_decl = ~np.isnan(declared)
    has_birth = ~np.isnan(birth) & ~has_decl
    bands = _age_bands(prac, start_year=start_year)
    has_band = np.array([b is not None for b in bands], dtype=bool) & np.isnan(birth) & ~has_decl
    unknown = np.isnan(birth) & ~has_decl & ~has_band
    if has_decl.any():
        idx = np.clip(declared[has_decl].astype(np.int64) - start_year, 1, horizon + 1) - 1
        pmf[np.flatnonzero(has_decl), idx] = 1.0
    if has_birth.any():
        pmf[has_birth] = _pmf_from_birth(
            birth[has_birth].astype(np.int64), model=model, start_year=start_year, horizon=horizon
        )
    for i in np.flatnonzero(has_band):
        low, high = bands[i] or (0, 0)
        births = start_year - np.arange(low, high + 1)
        pmf[i] = _pmf_from_birth(births, model=model, start_year=start_year, horizon=horizon).mean(
            axis=0
        )
    if unknown.any():
        ids = prac["practitioner_id"].astype(str).to_numpy()[unknown]
        known_birth = birth[~np.isnan(birth)].astype(np.int64)
        pmf[unknown] = _unknown_age_pmf(
            ids, known_birth, model=model, start_year=start_year, horizon=horizon
        )
        keep[unknown] = model.unknown_age != "exclude"
    age_label = f"fixed age {model.fixed_age}" if model.fixed_age is not None else "age model"
    unknown_label = {
        "territory": "territory ages",
        "keep": "kept (age unknown)",
        "exclude": "excluded (age unknown)",
    }[model.unknown_age]
    basis = np.where(
        has_decl,
        "declared year",
        np.where(has_birth, age_label, np.where(has_band, f"age band, {age_label}", unknown_label)),
    )
    return pmf, [str(b) for b in basis], keep


def retirement_probabilities(
    roster: Roster,
    *,
    model: RetirementModel | None = None,
    start_year: int | None = None,
    horizon: int = 15,
) -> pd.DataFrame:
    """Probability that each practitioner has stopped practising by each year of the horizon.

    Parameters
    ----------
    roster
        Today's practitioners (``birth_year``, ``retirement_year``).
    model
        Retirement model (default: :class:`RetirementModel` with its documented age curve).
    start_year
        Today (default: the current calendar year); everyone on the roster practises in it.
    horizon
        Number of projected years after the start year.

    Returns
    -------
    pandas.DataFrame
        Long format: ``practitioner_id``, ``year``, ``p_stopped`` (probability of having stopped
        by that year, i.e. of not practising in it), ``p_stop_in_year``, ``basis`` (``declared
        year``, ``age model``, ``fixed age A``, ``territory ages``...), ``ages_basis``.

    Raises
    ------
    ValidationError
        Birth year after the start year, retirement year not after birth year, horizon < 1, or no
        birth year at all under the ``"territory"`` rule.

    References
    ----------
    CARMF, *Statistiques démographiques*; CNOM, *Atlas de la démographie médicale en France*, 2023.
    """
    model = model or RetirementModel()
    year0 = resolve_year(start_year)
    check_horizon(horizon)
    horizon = int(horizon)
    prac = roster.practitioners
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pmf, basis, _ = stop_pmf(prac, model=model, start_year=year0, horizon=horizon)
    return retirement_frame(
        prac["practitioner_id"].astype(str).to_numpy(),
        pmf,
        basis,
        start_year=year0,
        basis_label=ages_basis(roster),
    )


def retirement_frame(
    pids: npt.NDArray[np.object_] | npt.NDArray[np.str_],
    pmf: FloatArray,
    basis: list[str],
    *,
    start_year: int,
    basis_label: str,
) -> pd.DataFrame:
    """Long table of the probability of having stopped by, and of stopping in, each year.

    Parameters
    ----------
    pids
        Practitioner ids, in the rows' order of ``pmf``.
    pmf
        Stop-year probabilities from :func:`stop_pmf`.
    basis
        Basis of each row (from :func:`stop_pmf`).
    start_year
        Today.
    basis_label
        The ``ages_basis`` column (``"illustrative ages"`` or ``"roster ages"``).

    Returns
    -------
    pandas.DataFrame
        ``practitioner_id, year, p_stopped, p_stop_in_year, basis, ages_basis``.

    References
    ----------
    accessmap conventions (``docs/workforce.md``, "Stop year").
    """
    n_prac, horizon = len(pids), pmf.shape[1] - 1
    zero = np.zeros((n_prac, 1))
    stopped = np.concatenate([zero, np.cumsum(pmf, axis=1)[:, :horizon]], axis=1).clip(0.0, 1.0)
    in_year = np.concatenate([zero, pmf[:, :horizon]], axis=1)
    years = np.arange(start_year, start_year + horizon + 1, dtype=np.int64)
    return pd.DataFrame(
        {
            "practitioner_id": np.repeat(pids, horizon + 1),
            "year": np.tile(years, n_prac),
            "p_stopped": stopped.ravel(),
            "p_stop_in_year": in_year.ravel(),
            "basis": np.repeat(np.array(basis, dtype=object), horizon + 1),
            "ages_basis": basis_label,
        }
    )


def check_horizon(horizon: int) -> None:
    """Refuse a horizon that is not a positive number of years.

    Parameters
    ----------
    horizon
        Projected years after the start year.

    Raises
    ------
    ValidationError
        ``horizon < 1``.

    References
    ----------
    accessmap conventions (``docs/workforce.md``).
    """
    if int(horizon) < 1:
        raise ValidationError("workforce.horizon_invalid", field="horizon", horizon=horizon)
