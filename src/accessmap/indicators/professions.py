"""One parameter table per health profession: what DREES publishes, our choices elsewhere.

DREES publishes an APL for general practitioners, nurses, physiotherapists, midwives and dentists
(method recast in 2015 with the Assurance maladie, the ARS and the professions). The GP parameters
are public in full (workbook sheet *Paramètres*, :class:`~accessmap.contracts.AplParameters`). For
the other professions the public notes give the unit and the activity rule, not every number:

- unit: **FTE per 100,000 inhabitants** (age-standardised), not consultations per inhabitant;
- activity: one FTE is, by convention, the **median activity** of the liberal members of the
  profession; each practitioner's FTE is their activity divided by that median; a practitioner
  newly installed in liberal practice during the year counts **1 FTE**; health centres are not
  bounded.

Where the notes are silent, :data:`PROFESSIONS` says which choice we made and why (``choices``):
the time decay (we use the GP bands: 1, 2/3, 1/3, 0 at 10, 15, 20 minutes), the activity floors
and caps (none: we do not know them) and the demand weighting (the standardised population the
caller gives). Pharmacies have no APL: their indicator is the time to the nearest pharmacy.

References
----------
DREES, « L'indicateur d'accessibilité potentielle localisée (APL) » (method page: professions
covered, field, 2015 recast); Observatoire des territoires (ANCT), « Accessibilité potentielle
localisée (APL) aux infirmiers » (unit ETP pour 100 000 habitants, 1 ETP = activité médiane des
infirmières libérales, 1 ETP imputé aux nouvelles installées, pas de bornes pour les centres de
santé; sources SNIIR-AM, distancier METRIC); Legendre B., Aberki C., Chaput H. (2019),
« L'accessibilité géographique aux infirmiers, masseurs-kinésithérapeutes et sages-femmes
s'améliore », DREES, *Études et Résultats* n° 1100; INSEE, BPE 2019 (codes D201, D221, D231,
D232, D233, D301).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from accessmap.contracts import AplParameters, validate_demand
from accessmap.conventions import NEAREST_BAND_EDGES
from accessmap.errors import ValidationError
from accessmap.indicators.apl import apl, site_activity
from accessmap.indicators.nearest import band_of, nearest_site

if TYPE_CHECKING:
    from accessmap.supply import Roster

__all__ = [
    "PROFESSIONS",
    "Profession",
    "fte_from_activity",
    "profession_indicators",
    "profession_parameters",
]

#: FTE per inhabitant -> FTE per 100,000 inhabitants (the DREES unit of the non-GP APL).
_PER_100K = 100_000.0


@dataclass(frozen=True, slots=True)
class Profession:
    """Parameters of one profession's accessibility indicator.

    Attributes
    ----------
    key
        Value of the roster's ``profession`` column.
    label
        French name, for readers.
    bpe_code
        INSEE BPE equipment code counting its practitioners (pharmacies: offices).
    indicator
        ``apl`` (two-step with the DREES decay) or ``nearest`` (time to the nearest only).
    unit
        French unit of the indicator.
    scale
        Factor applied to the APL (supply per standardised inhabitant): 1 for GPs (consultations
        per inhabitant), 100,000 for FTE per 100,000 inhabitants.
    params
        Activity rules and decay in :class:`~accessmap.contracts.AplParameters` form (activity in
        the profession's unit: acts for GPs, FTE otherwise); ``None`` for ``nearest``.
    public
        What DREES publishes for this profession, as used here.
    choices
        Our choices where DREES publishes nothing, each with its reason.
    """

    key: str
    label: str
    bpe_code: str
    indicator: Literal["apl", "nearest"]
    unit: str
    scale: float
    params: AplParameters | None
    public: tuple[str, ...]
    choices: tuple[str, ...]


def _fte_params(source: str) -> AplParameters:
    """APL parameters counting FTE: no floor or cap, 1 FTE for a new liberal installation."""
    return AplParameters(
        zero_below=0.0,
        floor_acts=0.0,
        cap_acts=math.inf,
        new_gp_acts=1.0,
        source=source,
    )


_FTE_PUBLIC = (
    "unité : ETP pour 100 000 habitants (population standardisée par l'âge)",
    "1 ETP = activité médiane des libéraux de la profession ; ETP = activité / médiane",
    "nouvelle installation en libéral : 1 ETP imputé",
    "centres de santé : pas de bornes d'activité",
)
_FTE_CHOICES = (
    (
        "décroissance avec le temps : celle des médecins généralistes (1 ; 2/3 ; 1/3 ; 0 à 10, "
        "15 et 20 min), la seule publiée en entier ; les seuils propres à la profession ne le "
        "sont pas"
    ),
    "bornes d'activité (planchers, plafonds) : aucune, faute de valeurs publiées",
    (
        "activité inconnue (comptes BPE) : 1 ETP par professionnel, ce qui surestime l'offre à "
        "temps partiel"
    ),
    (
        "pondération de la demande : la population standardisée fournie (celle des généralistes "
        "par défaut), faute des coefficients par âge propres à la profession"
    ),
)


def _registry() -> Mapping[str, Profession]:
    gp = AplParameters()
    fte = "DREES APL method (unit, FTE rule); decay and bounds: accessmap choices"
    items = (
        Profession("generaliste", "Médecins généralistes", "D201", "apl", "consultations par habitant standardisé et par an", 1.0, gp, ("paramètres complets du classeur DREES (feuille Paramètres)",), ()),  # noqa: E501
        Profession("infirmier", "Infirmiers", "D232", "apl", "ETP pour 100 000 habitants", _PER_100K, _fte_params(fte), _FTE_PUBLIC, _FTE_CHOICES),  # noqa: E501
        Profession("masseur_kinesitherapeute", "Masseurs-kinésithérapeutes", "D233", "apl", "ETP pour 100 000 habitants", _PER_100K, _fte_params(fte), _FTE_PUBLIC, _FTE_CHOICES),  # noqa: E501
        Profession("sage_femme", "Sages-femmes", "D231", "apl", "ETP pour 100 000 habitants", _PER_100K, _fte_params(fte), _FTE_PUBLIC, (*_FTE_CHOICES, "demande : passer la population féminine standardisée dans pop_std pour suivre la DREES, qui rapporte l'offre aux femmes")),  # noqa: E501
        Profession("chirurgien_dentiste", "Chirurgiens-dentistes", "D221", "apl", "ETP pour 100 000 habitants", _PER_100K, _fte_params(fte), _FTE_PUBLIC, _FTE_CHOICES),  # noqa: E501
        Profession("pharmacie", "Pharmacies", "D301", "nearest", "minutes jusqu'à la pharmacie la plus proche", 1.0, None, (), ("pas d'APL publiée : indicateur = temps d'accès à la plus proche",)),  # noqa: E501
    )  # fmt: skip
    return MappingProxyType({p.key: p for p in items})


#: Every profession by roster key (read-only).
PROFESSIONS: Mapping[str, Profession] = _registry()


def profession_parameters(key: str) -> Profession:
    """Return the parameters of a profession, or refuse an unknown key.

    Parameters
    ----------
    key
        Roster profession (``generaliste``, ``infirmier``, ``masseur_kinesitherapeute``,
        ``sage_femme``, ``chirurgien_dentiste``, ``pharmacie``).

    Returns
    -------
    Profession

    Raises
    ------
    ValidationError
        Unknown profession.

    References
    ----------
    DREES APL method page; see the module docstring.
    """
    if key not in PROFESSIONS:
        raise ValidationError(
            f"unknown profession {key!r}.",
            field="profession",
            fix=f"use one of {', '.join(PROFESSIONS)}.",
        )
    return PROFESSIONS[key]


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
        raise ValidationError(f"median={median!r}.", field="median", fix="give a median > 0.")
    act = pd.Series(activity, dtype="float64")
    if bool((act < 0).any()):
        raise ValidationError(
            "negative activity.", field="activity", fix="give activity >= 0 (NaN when unknown)."
        )
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
