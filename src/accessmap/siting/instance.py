"""The siting instance: validated inputs as integer-coded arrays, shared by every model.

Inputs are checked once, with the project's contracts (:func:`accessmap.contracts.validate_od`,
:func:`accessmap.contracts.validate_demand`), then held as arrays: demand ids and weights, site ids
(fixed sites first), and the travel times both as the sparse list of reachable pairs (the models
are built on it) and as a dense matrix (the vectorised heuristics read it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.contracts import validate_demand, validate_od
from accessmap.errors import ValidationError
from accessmap.messages import Message

__all__ = [
    "EPS",
    "BoolArray",
    "FloatArray",
    "Instance",
    "IntArray",
    "Method",
    "build_instance",
    "center_value",
    "check_method",
    "check_minutes",
    "check_p",
    "coverage_value",
    "id_list",
    "median_value",
    "model_name",
    "nearest_minutes",
    "params_of",
    "status_name",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
Method: TypeAlias = Literal["exact", "greedy"]

#: Numerical tolerance on times and objectives.
EPS = 1e-7


@dataclass(frozen=True, slots=True)
class Instance:
    """A validated siting instance.

    Attributes
    ----------
    demand_ids, weights
        Demand points and their weights (finite, >= 0).
    site_ids
        Sites (fixed ones first, then candidates).
    fixed
        Whether each site is fixed open.
    pair_i, pair_j, pair_t
        The reachable pairs (finite times) of demand ``pair_i`` to site ``pair_j``.
    minutes
        The same times as a dense ``(n_demand, n_sites)`` matrix, ``inf`` when unreachable.
    """

    demand_ids: npt.NDArray[np.object_]
    weights: FloatArray
    site_ids: npt.NDArray[np.object_]
    fixed: BoolArray
    pair_i: IntArray
    pair_j: IntArray
    pair_t: FloatArray
    minutes: FloatArray

    @property
    def free(self) -> IntArray:
        """Positions of the candidate (non-fixed) sites."""
        return np.flatnonzero(~self.fixed)

    def covered(self, threshold: float) -> BoolArray:
        """Dense coverage matrix: ``t < threshold`` (half-open convention)."""
        return self.minutes < threshold

    def pairs_within(self, threshold: float) -> tuple[IntArray, IntArray]:
        """Return the sparse pairs ``(i, j)`` with ``t_ij < threshold``."""
        keep = self.pair_t < threshold
        return self.pair_i[keep], self.pair_j[keep]


def id_list(values: object, *, name: str) -> list[str]:
    """Turn ``None``, one id or a list of ids into a list of str (refuse anything else)."""
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    if not isinstance(values, Sequence | pd.Index | pd.Series | np.ndarray | set | frozenset):
        raise ValidationError("siting.not_id_list", field=name, kind=type(values).__name__)
    return [str(v) for v in values]


def _site_ids(
    dests: pd.Index, *, candidates: object, exclude: object, fixed: object
) -> tuple[list[str], int]:
    fixed_ids = list(dict.fromkeys(id_list(fixed, name="fixed")))
    exclude_ids = set(id_list(exclude, name="exclude"))
    cand_ids = (
        [str(d) for d in dests if d not in exclude_ids]
        if candidates is None
        else list(dict.fromkeys(id_list(candidates, name="candidates")))
    )
    known = set(dests)
    for name, ids in (("candidates", cand_ids), ("fixed", fixed_ids), ("exclude", exclude_ids)):
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValidationError(
                "siting.unknown_sites", field=name, count=len(unknown), ids=sorted(unknown)
            )
    both = sorted(set(fixed_ids) & exclude_ids)
    if both:
        raise ValidationError("siting.fixed_and_excluded", field="exclude", ids=both)
    fixed_set = set(fixed_ids)
    site_ids = fixed_ids + [c for c in cand_ids if c not in exclude_ids and c not in fixed_set]
    if not site_ids:
        raise ValidationError("siting.no_candidate_left", field="candidates")
    return site_ids, len(fixed_ids)


def build_instance(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    weight: str,
    candidates: Sequence[str] | None,
    exclude: Sequence[str],
    fixed: Sequence[str],
) -> Instance:
    """Validate the inputs of a siting model and code them as arrays.

    Parameters
    ----------
    od
        Long travel-time table (``origin_id, dest_id, minutes[, method]``); a missing pair is
        unreachable.
    demand
        ``id`` and the ``weight`` column.
    weight
        Demand column.
    candidates
        Candidate site ids (default: every ``dest_id``).
    exclude
        Candidate ids never to open.
    fixed
        Sites fixed open.

    Returns
    -------
    Instance

    Raises
    ------
    ValidationError
        Bad tables (see the contracts), unknown or contradictory ids, no site left.
    """
    dem = validate_demand(demand, weight=weight)
    table = validate_od(od)
    site_ids, n_fixed = _site_ids(table.dests, candidates=candidates, exclude=exclude, fixed=fixed)
    site_pos = pd.Index(site_ids, dtype=object)
    dem_pos = pd.Index(dem["id"].to_numpy(dtype=object), dtype=object)
    rows = dem_pos.get_indexer(table.origins)[table.origin]
    cols = site_pos.get_indexer(table.dests)[table.dest]
    keep = (rows >= 0) & (cols >= 0) & np.isfinite(table.minutes)
    pair_i = rows[keep].astype(np.int64)
    pair_j = cols[keep].astype(np.int64)
    pair_t = table.minutes[keep].astype(np.float64)
    minutes = np.full((len(dem_pos), len(site_pos)), np.inf)
    minutes[pair_i, pair_j] = pair_t
    is_fixed = np.zeros(len(site_ids), dtype=bool)
    is_fixed[:n_fixed] = True
    return Instance(
        demand_ids=dem_pos.to_numpy(dtype=object),
        weights=dem["weight"].to_numpy(dtype=np.float64),
        site_ids=site_pos.to_numpy(dtype=object),
        fixed=is_fixed,
        pair_i=pair_i,
        pair_j=pair_j,
        pair_t=pair_t,
        minutes=minutes,
    )


def check_p(p: int, inst: Instance) -> None:
    """Refuse a ``p`` that is not a whole number in ``[0, free sites]``."""
    n_free = int((~inst.fixed).sum())
    if isinstance(p, bool) or not isinstance(p, int | np.integer) or p < 0:
        raise ValidationError("siting.p_invalid", field="p", p=p)
    if p > n_free:
        raise ValidationError("siting.p_too_large", field="p", p=p, available=n_free)


def check_minutes(minutes: float) -> float:
    """Return a coverage threshold as a float, refusing anything but a positive number."""
    value = float(minutes)
    if not (math.isfinite(value) and value > 0):
        raise ValidationError("siting.minutes_invalid", field="minutes", minutes=minutes)
    return value


def check_method(method: str) -> None:
    """Refuse a method other than ``exact`` or ``greedy``."""
    if method not in ("exact", "greedy"):
        raise ValidationError("siting.unknown_method", field="method", method=method)


def nearest_minutes(inst: Instance, open_mask: BoolArray) -> FloatArray:
    """Return each demand's time to its nearest open site (``inf`` when none)."""
    if not open_mask.any():
        return np.full(len(inst.demand_ids), np.inf)
    return inst.minutes[:, open_mask].min(axis=1)


def coverage_value(inst: Instance, open_mask: BoolArray, threshold: float) -> float:
    """Return the weight within ``t < threshold`` of an open site."""
    covered = nearest_minutes(inst, open_mask) < threshold
    return float(inst.weights[covered].sum())


def median_value(inst: Instance, open_mask: BoolArray) -> float:
    """Return the weighted time to the nearest open site (``inf`` if a demand reaches none)."""
    nearest = nearest_minutes(inst, open_mask)
    w = inst.weights
    with np.errstate(invalid="ignore"):  # 0 x inf: an uninhabited, unreachable demand
        return float(np.sum(np.where(w > 0, w * nearest, 0.0)))


def center_value(inst: Instance, open_mask: BoolArray) -> float:
    """Return the worst time to the nearest open site over inhabited demands."""
    nearest = nearest_minutes(inst, open_mask)[inst.weights > 0]
    return float(nearest.max()) if len(nearest) else 0.0


def params_of(**kwargs: Any) -> dict[str, Any]:
    """Keep the settings that are not ``None`` (for :attr:`SitingResult.parameters`)."""
    return {k: v for k, v in kwargs.items() if v is not None}


#: The French name of each siting model (``SitingResult.model``), for messages.
_MODEL_NAMES: Mapping[str, Message] = {
    "mclp": Message("siting.model_mclp"),
    "lscp": Message("siting.model_lscp"),
    "p_median": Message("siting.model_p_median"),
    "p_center": Message("siting.model_p_center"),
    "volunteer_centres": Message("siting.model_volunteer_centres"),
    "rotation": Message("siting.model_rotation"),
    "apl_recruits": Message("siting.model_apl_recruits"),
    "apl_best_use": Message("siting.model_apl_best_use"),
    "apl_robust": Message("siting.model_apl_robust"),
}


def model_name(model: str) -> Message:
    """Return the French name of a siting model as a message (``"mclp"`` -> « le modèle de ... »).

    Parameters
    ----------
    model
        A :attr:`SitingResult.model` value; another name gives a generic « le modèle ».

    Returns
    -------
    Message
    """
    return _MODEL_NAMES.get(model, Message("siting.model_other", model=model))


#: The French name of each status of a siting result (``SitingResult.status``).
_STATUS_NAMES: Mapping[str, Message] = {
    "optimal": Message("siting.status_optimal"),
    "time_limit": Message("siting.status_time_limit"),
    "heuristic": Message("siting.status_heuristic"),
    "unverified": Message("siting.status_unverified"),
}


def status_name(status: str) -> Message:
    """Return the French name of a result's status (``"optimal"`` -> « optimum prouvé »).

    Parameters
    ----------
    status
        A :attr:`SitingResult.status` value; another one is shown as it is.

    Returns
    -------
    Message
    """
    return _STATUS_NAMES.get(status, Message("siting.status_other", status=status))
