"""The profession registry: the only place a health profession is defined.

A profession is a **parameter** of every step (supply, indicators, outlook, siting inputs,
options, report), never a branch of the code: each step reads what it needs from the
:class:`Profession` registered under the roster's ``profession`` key. Adding a profession is one
:func:`register_profession` call (or one entry of :func:`_builtin`); nothing else changes.

What a profession holds:

- its **key** (the roster's ``profession`` code) and French **labels** (plural heading, singular
  and plural nouns, grammatical gender, for sentences such as « 3 médecins généralistes » or
  « aucune sage-femme »: :meth:`Profession.count`);
- the INSEE **BPE** code counting its practitioners, and what the BPE counts (practitioners, or
  offices for pharmacies, which then get no workforce outlook);
- its **indicator**: ``apl`` (two-step with the DREES decay, :attr:`Profession.params`, times
  :attr:`Profession.scale`, in :attr:`Profession.unit`) or ``nearest`` (time to the nearest);
- its **retirement curve** (age → weight) and its **illustrative age bands**; every built-in
  profession shares today's GP values (:data:`GP_RETIREMENT_AGES`, :data:`GP_AGE_BANDS`), the only
  ones documented, which is itself a documented choice;
- what DREES publishes (``public``), our choices where it is silent (``choices``), and sources.

DREES publishes an APL for general practitioners, nurses, physiotherapists, midwives and dentists
(method recast in 2015 with the Assurance maladie, the ARS and the professions). The GP parameters
are public in full (workbook sheet *Paramètres*, :class:`~accessmap.contracts.AplParameters`). For
the other professions the public notes give the unit and the activity rule, not every number:
unit FTE per 100,000 inhabitants (age-standardised); one FTE is the median activity of the
liberal members of the profession; a newly installed liberal practitioner counts 1 FTE; health
centres are not bounded. Pharmacies have no APL: their indicator is the time to the nearest.

References
----------
DREES, « L'indicateur d'accessibilité potentielle localisée (APL) » (method page: professions
covered, field, 2015 recast); Observatoire des territoires (ANCT), « Accessibilité potentielle
localisée (APL) aux infirmiers »; Legendre B., Aberki C., Chaput H. (2019), « L'accessibilité
géographique aux infirmiers, masseurs-kinésithérapeutes et sages-femmes s'améliore », DREES,
*Études et Résultats* n° 1100; INSEE, BPE 2019 (codes D201, D221, D231, D232, D233, D301); CARMF,
*Statistiques démographiques*; CNOM, *Atlas de la démographie médicale en France*, 2023.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, TypeAlias

from accessmap.contracts import AplParameters
from accessmap.errors import ValidationError

__all__ = [
    "DEFAULT_PROFESSION",
    "GP_AGE_BANDS",
    "GP_RETIREMENT_AGES",
    "PROFESSIONS",
    "AgeBands",
    "Profession",
    "profession",
    "profession_keys",
    "register_profession",
    "unregister_profession",
]

#: The profession every command uses when none is asked for (general practitioners).
DEFAULT_PROFESSION = "generaliste"

#: ``(lowest age, highest age, weight)`` bands, ages uniform within a band.
AgeBands: TypeAlias = tuple[tuple[int, int, float], ...]

#: Distribution of the age at which a GP stops practising (age → weight; weights are
#: normalised). An assumption, shaped on the CARMF statistics of departures (1 July 2007 - 30 June
#: 2008: general practitioners in private practice stop at 65.24 years on average, the largest
#: single peak of departures at 66; Le Quotidien du médecin, 2009): the curve's mean is 65.24 and
#: its mode 66 (``docs/workforce.md``; a test computes both). 60 to 72 years, 57 % between 65
#: and 67, a tail to 72 for *cumul emploi-retraite* (DREES: about 8 % of GPs practise after
#: retirement, more in sparse rural areas).
GP_RETIREMENT_AGES: Mapping[int, float] = MappingProxyType({
    60: 0.07, 61: 0.05, 62: 0.05, 63: 0.05, 64: 0.06, 65: 0.19, 66: 0.30,
    67: 0.08, 68: 0.06, 69: 0.03, 70: 0.03, 71: 0.02, 72: 0.01,
})  # fmt: skip

#: Age distribution of GPs in activity drawn by illustrative rosters. Illustrative: shaped on the
#: CNOM *Atlas de la démographie médicale* (about one GP in three aged 60 or more in rural
#: departments) and on the territory's "half of its GPs near retirement". Never a fact.
GP_AGE_BANDS: AgeBands = (
    (30, 39, 0.18),
    (40, 49, 0.20),
    (50, 54, 0.10),
    (55, 59, 0.14),
    (60, 64, 0.20),
    (65, 69, 0.13),
    (70, 74, 0.05),
)

#: FTE per inhabitant -> FTE per 100,000 inhabitants (the DREES unit of the non-GP APL).
_PER_100K = 100_000.0


@dataclass(frozen=True, slots=True)
class Profession:
    """One health profession: labels, supply source, indicator, workforce curves, sources.

    Attributes
    ----------
    key
        Value of the roster's ``profession`` column.
    label
        French heading (plural, capitalised): « Médecins généralistes ».
    singular, plural
        French nouns for sentences: « médecin généraliste », « médecins généralistes ».
    gender
        Grammatical gender of the noun (``"f"`` or ``"m"``): « aucune sage-femme ».
    bpe_code
        INSEE BPE equipment code counting it (pharmacies: offices).
    bpe_counts
        What the BPE counts: ``practitioners`` (one FTE each) or ``offices`` (no ages, no outlook).
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
    retirement_ages
        Age at which a practitioner stops (age → weight), used by the outlook.
    age_bands
        Age distribution drawn for illustrative ages.
    public
        What DREES publishes for this profession, as used here (French).
    choices
        Our choices where DREES publishes nothing, each with its reason (French).
    sources
        References of the figures above.
    """

    key: str
    label: str
    singular: str
    plural: str
    gender: Literal["f", "m"]
    bpe_code: str
    indicator: Literal["apl", "nearest"]
    unit: str
    scale: float = 1.0
    params: AplParameters | None = None
    bpe_counts: Literal["practitioners", "offices"] = "practitioners"
    retirement_ages: Mapping[int, float] = field(default_factory=lambda: GP_RETIREMENT_AGES)
    age_bands: AgeBands = GP_AGE_BANDS
    public: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check the entry at the boundary (a key, a known indicator, APL parameters)."""
        if not self.key or not self.key.replace("_", "").isalnum():
            raise ValidationError("profession.bad_entry", field="key", key=self.key)
        if self.indicator not in ("apl", "nearest") or self.gender not in ("f", "m"):
            raise ValidationError("profession.bad_entry", field="indicator", key=self.key)
        if self.indicator == "apl" and self.params is None:
            raise ValidationError("profession.bad_entry", field="params", key=self.key)
        if not (math.isfinite(self.scale) and self.scale > 0):
            raise ValidationError("profession.bad_entry", field="scale", key=self.key)

    def count(self, n: float) -> str:
        """Return a French count of practitioners: « aucune sage-femme », « 3 infirmiers ».

        Parameters
        ----------
        n
            Number of practitioners (rounded to a whole number).

        Returns
        -------
        str
        """
        whole = round(n)
        if whole == 0:
            return f"{'aucune' if self.gender == 'f' else 'aucun'} {self.singular}"
        noun = self.singular if whole == 1 else self.plural
        return f"{whole:,d}".replace(",", "\u202f") + f" {noun}"


def _fte_params(source: str) -> AplParameters:
    """APL parameters counting FTE: no floor or cap, 1 FTE for a new liberal installation."""
    return AplParameters(
        zero_below=0.0, floor_acts=0.0, cap_acts=math.inf, new_gp_acts=1.0, source=source
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
    (
        "âges de départ et âges illustratifs : ceux des médecins généralistes, faute de "
        "distributions publiées pour la profession"
    ),
)
_FTE_SOURCES = (
    "DREES, méthode de l'APL (professions couvertes, refonte 2015)",
    "ANCT, Observatoire des territoires, APL aux infirmiers (unité, règle des ETP)",
    "DREES, Études et Résultats n° 1100 (2019)",
)
_GP_SOURCES = (
    "DREES, classeur APL (feuille Paramètres)",
    "CARMF, statistiques démographiques (âges de départ)",
    "CNOM, Atlas de la démographie médicale 2023 (pyramide des âges illustrative)",
)
_FTE_UNIT = "ETP pour 100 000 habitants"


def _builtin() -> dict[str, Profession]:
    fte = _fte_params("DREES APL method (unit, FTE rule); decay and bounds: accessmap choices")
    apl_fte = {"indicator": "apl", "unit": _FTE_UNIT, "scale": _PER_100K, "params": fte,
               "public": _FTE_PUBLIC, "sources": _FTE_SOURCES}  # fmt: skip
    midwife_choice = (
        "demande : passer la population féminine standardisée dans pop_std pour suivre la DREES, "
        "qui rapporte l'offre aux femmes"
    )
    items = (
        Profession(
            DEFAULT_PROFESSION, "Médecins généralistes", "médecin généraliste",
            "médecins généralistes", "m", "D201", "apl",
            "consultations par habitant standardisé et par an", params=AplParameters(),
            public=("paramètres complets du classeur DREES (feuille Paramètres)",),
            sources=_GP_SOURCES,
        ),
        Profession("infirmier", "Infirmiers", "infirmier", "infirmiers", "m", "D232",
                   choices=_FTE_CHOICES, **apl_fte),  # type: ignore[arg-type]
        Profession("masseur_kinesitherapeute", "Masseurs-kinésithérapeutes",
                   "masseur-kinésithérapeute", "masseurs-kinésithérapeutes", "m", "D233",
                   choices=_FTE_CHOICES, **apl_fte),  # type: ignore[arg-type]
        Profession("sage_femme", "Sages-femmes", "sage-femme", "sages-femmes", "f", "D231",
                   choices=(*_FTE_CHOICES, midwife_choice), **apl_fte),  # type: ignore[arg-type]
        Profession("chirurgien_dentiste", "Chirurgiens-dentistes", "chirurgien-dentiste",
                   "chirurgiens-dentistes", "m", "D221", choices=_FTE_CHOICES,
                   **apl_fte),  # type: ignore[arg-type]
        Profession(
            "pharmacie", "Pharmacies", "pharmacie", "pharmacies", "f", "D301", "nearest",
            "minutes jusqu'à la pharmacie la plus proche", bpe_counts="offices",
            choices=("pas d'APL publiée : indicateur = temps d'accès à la plus proche",),
            sources=("INSEE, BPE 2019 (code D301)",),
        ),
    )  # fmt: skip
    return {p.key: p for p in items}


_REGISTRY: dict[str, Profession] = _builtin()

#: Every registered profession by key, in registration order (a read-only live view: a
#: profession registered later appears in it).
PROFESSIONS: Mapping[str, Profession] = MappingProxyType(_REGISTRY)


def profession_keys() -> tuple[str, ...]:
    """Return the keys of every registered profession, the default first, then in order.

    Returns
    -------
    tuple of str
    """
    return (DEFAULT_PROFESSION, *(k for k in _REGISTRY if k != DEFAULT_PROFESSION))


def profession(key: str) -> Profession:
    """Return the registered profession of a roster key, or refuse an unknown key.

    Parameters
    ----------
    key
        Roster profession (``infirmier``, ``sage_femme``, ... or a registered one).

    Returns
    -------
    Profession

    Raises
    ------
    ValidationError
        ``profession.unknown`` (``profession.unknown_near`` with the near misses) for a key
        that is not registered.

    References
    ----------
    DREES APL method page; see the module docstring.
    """
    try:
        return _REGISTRY[key]
    except (KeyError, TypeError):
        near = difflib.get_close_matches(str(key), list(_REGISTRY), n=3, cutoff=0.6)
        if near:
            raise ValidationError(
                "profession.unknown_near", field="profession", key=key, near=near
            ) from None
        raise ValidationError(
            "profession.unknown", field="profession", key=key, known=list(_REGISTRY)
        ) from None


def register_profession(entry: Profession, *, replace: bool = False) -> Profession:
    """Register a profession: every step then accepts its key.

    Parameters
    ----------
    entry
        The profession.
    replace
        Replace a profession already registered under the same key (otherwise refused).

    Returns
    -------
    Profession
        The entry registered.

    Raises
    ------
    ValidationError
        ``profession.duplicate``: the key is taken and ``replace`` is off.
    """
    if entry.key in _REGISTRY and not replace:
        raise ValidationError("profession.duplicate", field="profession", key=entry.key)
    _REGISTRY[entry.key] = entry
    return entry


def unregister_profession(key: str) -> Profession:
    """Remove a registered profession (the default one cannot be removed).

    Parameters
    ----------
    key
        Its key.

    Returns
    -------
    Profession
        The entry removed.

    Raises
    ------
    ValidationError
        ``profession.unknown`` for an unknown key, ``profession.default`` for the default one.
    """
    if key == DEFAULT_PROFESSION:
        raise ValidationError("profession.default", field="profession", key=key)
    entry = profession(key)
    del _REGISTRY[key]
    return entry
