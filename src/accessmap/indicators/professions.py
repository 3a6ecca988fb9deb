"""Per-profession indicators: FTE from activity, and each profession's access per commune.

The professions themselves (unit, scale, APL parameters, what DREES publishes and our choices)
are defined once, in the registry :mod:`accessmap.professions`; this module only computes.
:data:`PROFESSIONS`, :class:`Profession` and :func:`profession_parameters` are re-exported from
it for callers of :mod:`accessmap.indicators`.

References
----------
DREES, « L'indicateur d'accessibilité potentielle localisée (APL) » (method page); Observatoire
des territoires (ANCT), « Accessibilité potentielle localisée (APL) aux infirmiers » (unit ETP
pour 100 000 habitants, 1 ETP = activité médiane des infirmières libérales, 1 ETP imputé aux
nouvelles installées); Legendre B., Aberki C., Chaput H. (2019), DREES, *Études et Résultats*
n° 1100.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accessmap.contracts import AplParameters, validate_demand
from accessmap.conventions import NEAREST_BAND_EDGES
from accessmap.errors import ValidationError
from accessmap.indicators.apl import apl, site_activity
from accessmap.indicators.nearest import band_of, nearest_site
from accessmap.professions import PROFESSIONS, Profession, profession

if TYPE_CHECKING:
    from accessmap.supply import Roster

__all__ = [
    "PROFESSIONS",
    "Profession",
    "fte_from_activity",
    "profession_indicators",
    "profession_parameters",
]

#: The registry lookup under its former name (:func:`accessmap.professions.profession`).
profession_parameters = profession


def fte_from_activity(
    activity: Sequence[float] | pd.Series,
    *,
    median: float,
    new_install: Sequence[bool] | pd.Series | None = None,
) -> pd.Series:
    """Convert yearly activity to FTE as DREES does for the non-GP professions.

    Parameters
    ----------
    activity
        Yearly activity of each practitioner (acts or fees, NaN = unknown).
    median
        Median activity of the profession's liberal practitioners (1 FTE by convention).
    new_install
        Practitioners newly installed in liberal practice this year: 1 FTE whatever their
        activity.

    Returns
    -------
    pandas.Series
        FTE per practitioner (NaN where the activity is unknown and not a new installation).

    Raises
    ------
    ValidationError
        A non-positive median, or negative activity.

    References
    ----------
    Observatoire des territoires (ANCT), « APL aux infirmiers » (note: « on fixe la valeur d'1 ETP
    au niveau de l'activité médiane des infirmières libérales »).
    """
    if not (math.isfinite(median) and median > 0):
        raise ValidationError("indicators.not_positive", field="median", value=median)
    act = pd.Series(activity, dtype="float64")
    if bool((act < 0).any()):
        raise ValidationError("indicators.negative_activity", field="activity")
    fte = act / median
    if new_install is not None:
        fte = fte.where(~pd.Series(new_install, index=act.index, dtype=bool), 1.0)
    return fte.rename("fte")


def profession_indicators(
    od: pd.DataFrame,
    *,
    communes: pd.DataFrame,
    roster: Roster,
    profession: str,
    edges: Sequence[float] = NEAREST_BAND_EDGES,
    params: AplParameters | None = None,
) -> pd.DataFrame:
    """Per commune, one profession: time to the nearest practitioner, its band, the indicator.

    The indicator is the profession's APL (:func:`~accessmap.indicators.apl` with the profession's
    :attr:`Profession.params`, times :attr:`Profession.scale`) or, for pharmacies, the time to the
    nearest one. Only the practitioners of ``profession`` count: a nurse never stands in for a GP.

    Parameters
    ----------
    od
        Travel times from the communes to the roster sites.
    communes
        ``id``, ``population``, optionally ``pop_std`` (demand of the APL; see the profession's
        ``choices``).
    roster
        Practitioners of any professions, their sites and shares. Supply is counted in the
        profession's unit: acts for GPs; FTE for the others (``activity`` already converted with
        :func:`fte_from_activity`, or unknown: ``fte`` counts).
    profession
        A key of :data:`PROFESSIONS`.
    edges
        Band edges of the nearest time.
    params
        APL parameters replacing the profession's (e.g. the DREES workbook's values of a year,
        or a calibrated activity level); default :attr:`Profession.params`.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``profession``, ``nearest_minutes``, ``band``, ``value`` (the indicator, in
        :attr:`Profession.unit`).

    Raises
    ------
    ValidationError
        Unknown profession, invalid tables.

    References
    ----------
    DREES APL method page and notes (see the module docstring); Barlet et al. (2012), DREES
    Document de travail n° 124.
    """
    prof = profession_parameters(profession)
    clean = validate_demand(communes, weight="pop_std", name="communes")
    if params is None:
        params = prof.params if prof.params is not None else AplParameters()
    sites = site_activity(roster, params=params, profession=prof.key, acts_per_fte=None)
    present = sites.loc[sites["n_practitioners"] > 0, "site_id"]
    nearest = nearest_site(od, origins=clean["id"], sites=present)
    minutes = nearest["minutes"].to_numpy(dtype=np.float64)
    if prof.indicator == "nearest":
        value = minutes
    else:
        access = apl(od, demand=clean[["id", "pop_std"]], supply=sites[["site_id", "acts"]],
                     params=params)  # fmt: skip
        value = access["apl"].to_numpy(dtype=np.float64) * prof.scale
    return pd.DataFrame(
        {
            "id": clean["id"].to_numpy(dtype=object),
            "profession": prof.key,
            "nearest_minutes": minutes,
            "band": band_of(minutes, edges=edges),
            "value": value,
        }
    )
