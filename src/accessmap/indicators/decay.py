"""Named decay functions: binary, linear, exponential, power, logistic and stepped.

Each factory returns a :data:`~accessmap.indicators._common.WeightFunction` (minutes -> weights,
``inf`` = unreachable weighs 0) usable by every gravity, floating-catchment and constrained measure.
:data:`DECAYS` names them, as IPEA ``accessibility`` does with its ``decay_*`` functions, so that a
caller (or a command line) can choose one by name with :func:`decay_function`. They reproduce IPEA's
definitions exactly (``tests/test_ipea_parity.py``):

- ``binary``: 1 within the cutoff (IPEA includes the cutoff itself: ``include_cutoff=True``; the
  project convention, ``t < T``, is the default);
- ``linear``: ``max(0, 1 - t / T)``;
- ``exponential``: ``exp(-rate * t)``;
- ``power``: ``min(1, t ** -exponent)``;
- ``logistic``: ``(1 + exp(-pi m / (s sqrt 3))) / (1 + exp(pi (t - m) / (s sqrt 3)))``, 1 at
  ``t = 0`` and one half near the median ``m`` (Bauer & Groenewold 2016);
- ``stepped``: 1 before the first step, then the weight of the last step reached (steps are
  closed on the left: a time equal to a step takes that step's weight; the last weight holds
  beyond the last step).

References
----------
Pereira R. H. M., Herszenhut D. (2023), *Introduction to urban accessibility: a practical guide
with R*, IPEA; IPEA ``accessibility`` R package (``decay_binary``, ``decay_linear``,
``decay_exponential``, ``decay_power``, ``decay_logistic``, ``decay_stepped``).
Kwan M.-P. (1998), "Space-time and integral measures of individual accessibility: a comparative
analysis using a point-based framework", *Geographical Analysis* 30(3): 191-216.
Bauer J., Groenewold D. L. (2016), "Spatial accessibility to jobs: a critical assessment of
different measurement approaches", *Journal of Transport and Land Use* 9(2): 133-152 (logistic).
Levinson D. M., Kumar A. (1994), "Multimodal trip distribution: structure and application",
*Transportation Research Record* 1466 (power).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from accessmap.errors import ValidationError
from accessmap.indicators._common import FloatArray, WeightFunction

__all__ = [
    "DECAYS",
    "Decay",
    "binary_decay",
    "decay_function",
    "exponential_decay",
    "linear_decay",
    "logistic_decay",
    "power_decay",
    "stepped_decay",
]


def _number(value: object, *, name: str, strict: bool) -> float:
    """Return ``value`` as a finite float ``> 0`` (``strict``) or ``>= 0``; refuse anything else."""
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    number = float(value) if ok else math.nan  # type: ignore[arg-type]
    if math.isfinite(number) and (number > 0 if strict else number >= 0):
        return number
    if strict:
        raise ValidationError("measures.decay_positive", field=name, value=value)
    raise ValidationError("measures.decay_non_negative", field=name, value=value)


def _minutes(minutes: FloatArray) -> FloatArray:
    return np.asarray(minutes, dtype=np.float64)


def _reachable(m: FloatArray, w: FloatArray) -> FloatArray:
    return np.where(np.isfinite(m), w, 0.0)


def binary_decay(*, cutoff: float, include_cutoff: bool = False) -> WeightFunction:
    """Binary decay: 1 within ``cutoff`` minutes, 0 beyond.

    Parameters
    ----------
    cutoff
        ``T`` in minutes (finite, >= 0).
    include_cutoff
        ``False`` (project convention) keeps ``t < T``; ``True`` keeps ``t <= T`` as IPEA
        ``decay_binary`` does.

    Returns
    -------
    WeightFunction

    Raises
    ------
    ValidationError
        ``measures.decay_non_negative``: a negative, infinite or non-numeric cutoff.

    References
    ----------
    IPEA ``accessibility`` (``decay_binary``: ``as.integer(travel_cost <= cutoff)``).
    """
    t = _number(cutoff, name="cutoff", strict=False)

    def weight(minutes: FloatArray) -> FloatArray:
        m = _minutes(minutes)
        inside = (m <= t) if include_cutoff else (m < t)
        return np.where(inside, 1.0, 0.0)

    return weight


def linear_decay(*, cutoff: float) -> WeightFunction:
    """Linear decay ``max(0, 1 - t / T)``: 1 at 0 minutes, 0 from ``T`` on.

    Parameters
    ----------
    cutoff
        ``T`` in minutes (finite, > 0).

    Returns
    -------
    WeightFunction

    Raises
    ------
    ValidationError
        ``measures.decay_positive``: a non-positive, infinite or non-numeric cutoff.

    References
    ----------
    IPEA ``accessibility`` (``decay_linear``); Pereira & Herszenhut (2023), ch. 3.
    """
    t = _number(cutoff, name="cutoff", strict=True)

    def weight(minutes: FloatArray) -> FloatArray:
        m = _minutes(minutes)
        return _reachable(m, np.clip(1.0 - m / t, 0.0, None))

    return weight


def exponential_decay(*, rate: float) -> WeightFunction:
    """Negative exponential decay ``exp(-rate * t)``.

    Parameters
    ----------
    rate
        Decay rate per minute (finite, >= 0; 0 weighs every reachable pair 1).

    Returns
    -------
    WeightFunction

    Raises
    ------
    ValidationError
        ``measures.decay_non_negative``: a negative, infinite or non-numeric rate.

    References
    ----------
    IPEA ``accessibility`` (``decay_exponential``); Kwan M.-P. (1998), *Geographical Analysis*
    30(3): 191-216.
    """
    beta = _number(rate, name="rate", strict=False)

    def weight(minutes: FloatArray) -> FloatArray:
        m = _minutes(minutes)
        return _reachable(m, np.exp(-beta * np.where(np.isfinite(m), m, 0.0)))

    return weight


def power_decay(*, exponent: float) -> WeightFunction:
    """Inverse power decay ``min(1, t ** -exponent)`` (1 for every time up to one minute).

    Parameters
    ----------
    exponent
        Friction exponent (finite, >= 0).

    Returns
    -------
    WeightFunction

    Raises
    ------
    ValidationError
        ``measures.decay_non_negative``: a negative, infinite or non-numeric exponent.

    References
    ----------
    IPEA ``accessibility`` (``decay_power``); Levinson & Kumar (1994); Hansen W. G. (1959), "How
    accessibility shapes land use", *JAIP* 25(2): 73-76.
    """
    alpha = _number(exponent, name="exponent", strict=False)

    def weight(minutes: FloatArray) -> FloatArray:
        m = _minutes(minutes)
        return _reachable(m, np.power(np.maximum(np.where(np.isfinite(m), m, 1.0), 1.0), -alpha))

    return weight


def logistic_decay(*, median: float, sd: float) -> WeightFunction:
    r"""Logistic decay: 1 at 0 minutes, about one half at ``median`` minutes.

    .. math::

        f(t) = \frac{g(0)}{g(t)}, \qquad
        g(t) = 1 + \exp\left(\frac{\pi (t - m)}{s \sqrt{3}}\right)

    Parameters
    ----------
    median
        ``m``: the inflection point in minutes (finite, > 0; IPEA's ``cutoff``).
    sd
        ``s``: the standard deviation of the logistic distribution in minutes (finite, > 0).

    Returns
    -------
    WeightFunction

    Raises
    ------
    ValidationError
        ``measures.decay_positive``: a non-positive, infinite or non-numeric parameter.

    References
    ----------
    IPEA ``accessibility`` (``decay_logistic``); Bauer J., Groenewold D. L. (2016), *Journal of
    Transport and Land Use* 9(2): 133-152.
    """
    mid = _number(median, name="median", strict=True)
    scale = _number(sd, name="sd", strict=True) * math.sqrt(3.0) / math.pi
    at_zero = 1.0 + math.exp(-mid / scale)

    def weight(minutes: FloatArray) -> FloatArray:
        m = _minutes(minutes)
        finite = np.where(np.isfinite(m), m, mid)
        with np.errstate(over="ignore"):
            w = at_zero / (1.0 + np.exp((finite - mid) / scale))
        return _reachable(m, w)

    return weight


def stepped_decay(*, steps: Sequence[float], weights: Sequence[float]) -> WeightFunction:
    """Weigh 1 before ``steps[0]``, then ``weights[k]`` from ``steps[k]`` on (stepped decay).

    Steps are closed on the left (a time equal to ``steps[k]`` weighs ``weights[k]``) and the last
    weight holds beyond the last step (give 0 to cut there). Unlike
    :func:`~accessmap.indicators.fca.step_weights` (bands with their own bounds, 0 outside), this
    is IPEA's definition.

    Parameters
    ----------
    steps
        Step times in minutes: finite, > 0, strictly increasing.
    weights
        The weight from each step on, in ``[0, 1]``; as many as ``steps``.

    Returns
    -------
    WeightFunction

    Raises
    ------
    ValidationError
        ``measures.decay_steps``: no step, unsorted or repeated steps, a weight outside
        ``[0, 1]``, or lengths that differ.

    References
    ----------
    IPEA ``accessibility`` (``decay_stepped``: intervals open on the right).
    """
    edges = np.asarray([_number(s, name="steps", strict=True) for s in steps])
    values = np.asarray([_number(w, name="weights", strict=False) for w in weights])
    if (
        not len(edges)
        or len(values) != len(edges)
        or bool((np.diff(edges) <= 0).any())
        or bool((values > 1).any())
    ):
        raise ValidationError(
            "measures.decay_steps", field="steps", steps=list(steps), weights=list(weights)
        )
    table = np.r_[1.0, values]

    def weight(minutes: FloatArray) -> FloatArray:
        m = _minutes(minutes)
        return _reachable(m, table[np.searchsorted(edges, m, side="right")])

    return weight


@dataclass(frozen=True, slots=True)
class Decay:
    """One named decay function of :data:`DECAYS`.

    Attributes
    ----------
    name
        Registry key (``linear``, ``logistic``...).
    factory
        The factory: keyword parameters -> :data:`WeightFunction`.
    parameters
        Its parameter names, in order.
    """

    name: str
    factory: Callable[..., WeightFunction]
    parameters: tuple[str, ...]


#: Every decay function by name (read-only), as IPEA ``accessibility``'s ``decay_*``.
DECAYS: Mapping[str, Decay] = MappingProxyType(
    {
        "binary": Decay("binary", binary_decay, ("cutoff", "include_cutoff")),
        "linear": Decay("linear", linear_decay, ("cutoff",)),
        "exponential": Decay("exponential", exponential_decay, ("rate",)),
        "power": Decay("power", power_decay, ("exponent",)),
        "logistic": Decay("logistic", logistic_decay, ("median", "sd")),
        "stepped": Decay("stepped", stepped_decay, ("steps", "weights")),
    }
)


def decay_function(name: str, **parameters: object) -> WeightFunction:
    """Build the decay function registered under ``name`` (see :data:`DECAYS`).

    Parameters
    ----------
    name
        A key of :data:`DECAYS`.
    **parameters
        The decay's parameters (``cutoff=30``, ``rate=0.1``, ``median=30, sd=10``...).

    Returns
    -------
    WeightFunction

    Raises
    ------
    ValidationError
        ``measures.unknown_decay`` for an unknown name, ``measures.decay_options`` for missing or
        unknown parameters, or the decay's own errors.

    References
    ----------
    IPEA ``accessibility`` (``decay_*``); see each factory.
    """
    if name not in DECAYS:
        raise ValidationError(
            "measures.unknown_decay", field="decay", name=name, known=list(DECAYS)
        )
    decay = DECAYS[name]
    unknown = sorted(set(parameters) - set(decay.parameters))
    required = [p for p in decay.parameters if p != "include_cutoff"]
    missing = [p for p in required if p not in parameters]
    if unknown or missing:
        raise ValidationError(
            "measures.decay_options",
            field="decay",
            name=name,
            unknown=unknown,
            missing=missing,
            expected=list(decay.parameters),
        )
    return decay.factory(**parameters)
