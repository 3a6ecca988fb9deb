"""Accessibility indicators on the travel-time table: nearest GP, 2SFCA family, APL (DREES).

All functions are pure: they take the long-format travel-time table (``origin_id, dest_id,
minutes, method``), demand and supply tables, and return DataFrames.

Band convention (project-wide): bands are half-open ``[lower, upper)``; see
``docs/architecture.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["AGE_BANDS", "AplParameters", "DecayBand"]

#: The 19 DREES age bands, youngest first.
AGE_BANDS: tuple[str, ...] = (
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
    "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
)  # fmt: skip

_DREES_WEIGHTS_2022 = (
    0.93, 0.59, 0.55, 0.59, 0.73, 0.78, 0.84, 0.88, 0.9, 0.97,
    1.06, 1.14, 1.16, 1.19, 1.52, 1.53, 1.72, 1.99, 2.39,
)  # fmt: skip
_DREES_WEIGHTS_2023 = (
    1.12, 0.58, 0.51, 0.6, 0.75, 0.79, 0.82, 0.85, 0.89, 0.93,
    1.03, 1.15, 1.18, 1.23, 1.46, 1.57, 1.63, 1.89, 2.26,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DecayBand:
    """One step of a time-decay function: weight for ``lower <= minutes < upper``."""

    lower: float
    upper: float
    weight: float


@dataclass(frozen=True, slots=True)
class AplParameters:
    """Parameters of the DREES APL indicator (defaults: the DREES 2023 workbook).

    Attributes
    ----------
    zero_below
        Activity at or below this counts 0 ("moins de 250").
    floor_acts
        Activity above ``zero_below`` and up to this counts this ("entre 251 et 3 600": 3,600).
    cap_acts
        Activity above this counts this ("plus de 6 000": 6,000); in between it counts as is.
    new_gp_acts
        Activity imputed to a GP with no activity the previous year (5,400).
    decay
        Time-decay steps, half-open ``[lower, upper)``; beyond the last step the weight is 0.
    age_weights
        The 19 age-band weights by vintage year (see :data:`AGE_BANDS`).
    age_limit
        Age limit of the "GPs under 65" variant.
    source
        Where the values came from.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes », workbook
    sheet *Paramètres* (2022, 2023 vintages); Barlet M. et al., « L'Accessibilité potentielle
    localisée (APL) : une nouvelle mesure de l'accessibilité aux soins appliquée aux médecins
    généralistes libéraux en France », DREES, Document de travail n° 124, 2012.
    """

    zero_below: float = 250.0
    floor_acts: float = 3600.0
    cap_acts: float = 6000.0
    new_gp_acts: float = 5400.0
    decay: tuple[DecayBand, ...] = (
        DecayBand(0.0, 10.0, 1.0),
        DecayBand(10.0, 15.0, 2.0 / 3.0),
        DecayBand(15.0, 20.0, 1.0 / 3.0),
    )
    age_weights: Mapping[int, tuple[float, ...]] = field(
        default_factory=lambda: {2022: _DREES_WEIGHTS_2022, 2023: _DREES_WEIGHTS_2023}
    )
    age_limit: int = 65
    source: str = "DREES APL workbook 2023 (built-in defaults)"
