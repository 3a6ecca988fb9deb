"""One registry of siting models: the only place a siting model is described.

Each :class:`ModelSpec` holds the model's function, its one French label, a short French help
line, its parameters (names, defaults, French help) and the behaviour flags callers test instead
of model names: which kind of option its answer becomes (:attr:`ModelSpec.option_kind`), whether
it serves only the demand today's sites leave unserved (:attr:`ModelSpec.unserved_demand`),
whether today's sites stay fixed open (:attr:`ModelSpec.keeps_existing`), whether its new staff
is counted in consultation days (:attr:`ModelSpec.fte_from_days`), whether it needs ``p`` and a
coverage threshold (:attr:`ModelSpec.needs_p`, :attr:`ModelSpec.has_threshold`).

The command line, the options files (:mod:`accessmap.options`) and the diagnostic all run a model
by name through :func:`run`, which checks parameter names and values before anything is solved.
:func:`register_model` / :func:`unregister_model` (or the context manager
:func:`registered_model`) add a model; every caller sees it with no other change.
:func:`models_help` is the French line a help text lists the models with.
Parameters of the solver (``time_limit``, ``mip_rel_gap``, ``threads``, ``warm_start``,
``node_limit``) and of the volunteer-centre and rotation models (``volunteer_weeks``,
``days_per_fte``...) are given flat, by name; :func:`run` builds the option objects.

The default coverage threshold of every model is :data:`accessmap.conventions.SITING_MINUTES`.

References
----------
Church R. L., ReVelle C. (1974) for the MCLP; Toregas C. et al. (1971) for the LSCP; Hakimi S. L.
(1964) and ReVelle C. S., Swain R. W. (1970) for the p-median; Minieka E. (1970) for the p-center;
Current J. R., Storbeck J. E. (1988) for capacitated coverage (see each model's module).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields
from typing import Any, Literal

import pandas as pd

from accessmap._registry import Registry
from accessmap.conventions import APL_PRIORITY, MSP_MIN_GPS, SITING_MINUTES
from accessmap.errors import ValidationError
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.siting._apl import DEFAULT_MAX_FTE
from accessmap.siting._highs import SolverOptions
from accessmap.siting._parameters import coerce
from accessmap.siting.apl_best_use import apl_best_use
from accessmap.siting.apl_recruits import apl_recruits
from accessmap.siting.apl_robust import apl_robust
from accessmap.siting.lscp import lscp
from accessmap.siting.mclp import mclp
from accessmap.siting.p_center import p_center
from accessmap.siting.p_median import p_median
from accessmap.siting.result import SitingResult
from accessmap.siting.rotation import RotationParameters, rotation
from accessmap.siting.volunteer import VolunteerCentreParameters, volunteer_centres

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "REQUIRED",
    "ModelSpec",
    "OptionKind",
    "Parameter",
    "check_parameters",
    "describe_models",
    "find_model",
    "get_model",
    "models",
    "models_help",
    "normalise_name",
    "register_model",
    "registered_model",
    "run",
    "run_model",
    "unregister_model",
]

Kind = Literal["int", "float", "bool", "str", "ids", "choice", "team", "mapping", "object"]
Target = Literal["call", "solver", "params"]
#: What a model's answer becomes among the options compared (:class:`accessmap.options.SitingOption`
#: ``kind``): new health centres (MSP), volunteer centres or a rota of consultation days.
OptionKind = Literal["msp", "volunteer_centre", "rotation"]


class _Required:
    """Marker of a parameter without a default."""

    def __repr__(self) -> str:
        return "REQUIRED"


#: Default of a parameter that must be given.
REQUIRED: Any = _Required()


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of a siting model.

    Attributes
    ----------
    name
        Keyword name.
    kind
        ``int`` (>= 0), ``float`` (finite, > 0), ``bool``, ``str``, ``ids`` (list of site ids),
        ``choice`` (one of ``choices``), ``team`` (days per week, a number or ``{gp: days}``),
        ``mapping`` (``{site: number}``) or ``object`` (passed as is).
    default
        Default value, or :data:`REQUIRED`.
    description
        What it means, in French (for help texts and reports).
    choices
        Allowed values of a ``choice``.
    target
        ``call`` (a keyword of the model function), ``solver`` (a field of
        :class:`SolverOptions`) or ``params`` (a field of the model's parameter class).
    user
        Whether a reader sets it (command line ``--param``, options files); ``False`` when the
        caller supplies it from the data (baselines, weights, the solver object...).
    """

    name: str
    kind: Kind
    default: Any
    description: str
    choices: tuple[str, ...] = ()
    target: Target = "call"
    user: bool = True

    @property
    def required(self) -> bool:
        """Whether the parameter has no default."""
        return self.default is REQUIRED

    @property
    def help(self) -> str:
        """French help line (the same text as :attr:`description`)."""
        return self.description


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A siting model in the registry.

    Attributes
    ----------
    name
        Canonical name (``mclp``, ``lscp``, ``p_median``, ``p_center``, ``volunteer_centres``,
        ``rotation``): :attr:`accessmap.siting.SitingResult.model` of its answers.
    label
        The French name readers see (tables, option names, help): the only one.
    help
        The question it answers, one short French line (help texts, documentation).
    function
        The model function ``f(od, demand, **keywords) -> SitingResult``.
    parameters
        Its parameters (the common ones included).
    aliases
        Other accepted spellings.
    params_class
        Dataclass built from the ``target="params"`` parameters (``params=`` of the function).
    option_kind
        What its answer becomes among compared options: ``msp`` (new health centres, one GP
        each by default), ``volunteer_centre`` or ``rotation``.
    unserved_demand
        It serves only the demand today's sites leave beyond its threshold
        (:func:`accessmap.siting.unserved_demand`), today's sites not fixed.
    keeps_existing
        Today's sites are fixed open by default (``fixed``); ``False`` when ``fixed`` means
        something else (the sites a rota must visit).
    fte_from_days
        Its new staff is the consultation days per week of each site (``site_table``
        ``days_per_week`` / ``days_per_fte``) rather than a number of GPs per new site.
    apl_baseline
        It decides on the APL itself: the caller supplies each commune's reference APL in the
        decision year (official APL + modelled change, ``baseline``, or its Monte Carlo draws,
        ``draws``), the threshold and the eligible sites
        (:func:`accessmap.diagnostic.decisions.decision_inputs`).
    """

    name: str
    label: str
    help: str
    function: Callable[..., SitingResult]
    parameters: tuple[Parameter, ...]
    aliases: tuple[str, ...] = ()
    params_class: type | None = None
    option_kind: OptionKind = "msp"
    unserved_demand: bool = False
    keeps_existing: bool = True
    fte_from_days: bool = False
    apl_baseline: bool = False

    def parameter(self, name: str) -> Parameter | None:
        """Return the parameter called ``name``, if any."""
        return next((p for p in self.parameters if p.name == name), None)

    @property
    def needs_p(self) -> bool:
        """Whether the number of new sites ``p`` must be given."""
        par = self.parameter("p")
        return par is not None and par.required

    @property
    def has_threshold(self) -> bool:
        """Whether a coverage threshold ``minutes`` is one of its parameters."""
        return self.parameter("minutes") is not None

    @property
    def needs_draws(self) -> bool:
        """Whether it optimises over Monte Carlo baselines (``draws``) rather than one baseline."""
        par = self.parameter("draws")
        return par is not None and par.required

    def user_parameters(self) -> tuple[Parameter, ...]:
        """Return the parameters a reader may set (:attr:`Parameter.user`)."""
        return tuple(p for p in self.parameters if p.user)


_P = Parameter("p", "int", REQUIRED, "nombre de nouveaux sites à ouvrir")
_MINUTES = Parameter(
    "minutes", "float", SITING_MINUTES, "seuil de couverture T en minutes (couvert si t < T)"
)
_COMMON: tuple[Parameter, ...] = (
    Parameter(
        "weight", "str", "population", "colonne de la demande qui pondère les communes", user=False
    ),
    Parameter("candidates", "ids", None, "sites candidats (défaut : toutes les destinations)"),
    Parameter("exclude", "ids", (), "candidats à ne jamais ouvrir"),
    Parameter("fixed", "ids", (), "sites existants, ouverts quoi qu'il arrive", user=False),
    Parameter(
        "method", "choice", "exact", "exact (HiGHS) ou glouton (heuristique)", ("exact", "greedy")
    ),
    Parameter("solver", "object", None, "options du solveur (SolverOptions)", user=False),
    Parameter("time_limit", "float", 60.0, "temps de calcul maximal (s)", target="solver"),
    Parameter("mip_rel_gap", "object", 1e-6, "écart relatif toléré par HiGHS", target="solver"),
    Parameter("threads", "object", None, "nombre de fils de calcul de HiGHS", target="solver"),
    Parameter(
        "warm_start",
        "bool",
        default=True,
        description="démarrer HiGHS de la solution gloutonne",
        target="solver",
    ),
    Parameter("node_limit", "object", None, "nœuds de branchement maximum", target="solver"),
)


def _volunteer_parameters() -> tuple[Parameter, ...]:
    defaults = VolunteerCentreParameters()
    return (
        _P,
        _MINUTES,
        Parameter(
            "must_serve",
            "bool",
            default=False,
            description="servir toute la demande (minimiser les trajets)",
        ),
        Parameter("capacities", "mapping", None, "capacité (patients) par site", user=False),
        Parameter(
            "volunteer_weeks",
            "float",
            defaults.volunteer_weeks,
            "semaines de bénévoles par centre et par an",
            target="params",
        ),
        Parameter(
            "weeks_per_fte",
            "float",
            defaults.weeks_per_fte,
            "semaines travaillées par un médecin à temps plein",
            target="params",
        ),
        Parameter(
            "patients_per_fte",
            "float",
            defaults.patients_per_fte,
            "patients suivis par un médecin à temps plein",
            target="params",
        ),
    )


def _rotation_parameters() -> tuple[Parameter, ...]:
    d = RotationParameters()
    return (
        Parameter("team", "team", REQUIRED, "jours de consultation de l'équipe par semaine"),
        _MINUTES,
        Parameter(
            "objective",
            "choice",
            "coverage",
            "couverture ou déficit d'APL",
            ("coverage", "deficit"),
        ),
        Parameter("apl_target", "float", APL_PRIORITY, "APL visée (déficit mesuré sous ce seuil)"),
        Parameter("baseline_apl", "object", None, "APL avant la rotation (id, apl)", user=False),
        Parameter("apl_params", "object", None, "paramètres APL de la DREES", user=False),
        Parameter(
            "days_per_fte", "float", d.days_per_fte, "jours par semaine d'un ETP", target="params"
        ),
        Parameter(
            "acts_per_fte", "float", d.acts_per_fte, "actes par an d'un ETP", target="params"
        ),
        Parameter(
            "min_days", "object", d.min_days, "jours minimum par site ouvert", target="params"
        ),
        Parameter("max_days", "float", d.max_days, "jours maximum par site", target="params"),
        Parameter("day_step", "float", d.day_step, "pas du planning en jours", target="params"),
    )


def _apl_parameters(*, budget: bool) -> tuple[Parameter, ...]:
    """Parameters shared by the APL models (threshold, teams, profession)."""
    common = (
        Parameter(
            "threshold", "object", None,
            "APL à atteindre (défaut : 2,5 pour les médecins généralistes ; pour les autres "
            "professions, dans leur unité, sinon accessmap site prend le niveau du cinquième des "
            "communes les moins bien servies, une convention)",
        ),
        Parameter("team_min", "int", MSP_MIN_GPS, "ETP au moins d'une nouvelle MSP (équipe)"),
        Parameter("max_fte", "int", DEFAULT_MAX_FTE, "ETP de plus au plus sur un même site"),
        Parameter(
            "apl_weight", "object", None,
            "colonne de la demande de l'APL (pop_std comme la DREES ; défaut : weight)",
            user=False,
        ),
        Parameter(
            "profession", "str", DEFAULT_PROFESSION, "profession (registre des professions)",
            user=False,
        ),
        Parameter("acts_per_fte", "object", None, "activité annuelle d'un nouvel ETP"),
    )  # fmt: skip
    if not budget:
        return common
    return (
        Parameter("recruits", "object", None, "ETP nouveaux au plus (défaut : p équipes)"),
        Parameter("p", "object", None, "nouveaux sites au plus"),
        Parameter(
            "objective", "choice", "inhabitants",
            "habitants au seuil ou au-dessus, ou déficit d'APL pondéré", ("inhabitants", "deficit"),
        ),
        *common,
    )  # fmt: skip


def _apl_models() -> tuple[ModelSpec, ...]:
    baseline = Parameter(
        "baseline", "object", REQUIRED,
        "APL de référence de l'année par commune (APL officielle + évolution modélisée : id, apl)",
        user=False,
    )  # fmt: skip
    draws = Parameter(
        "draws", "object", REQUIRED,
        "APL de référence par tirage des départs (tirages × communes)", user=False,
    )  # fmt: skip
    return (
        ModelSpec(
            "apl_recruits", "recrues nécessaires",
            "le moins de médecins de plus, en équipes, pour qu'aucune commune ne reste sous le "
            "seuil d'APL",
            apl_recruits,
            (baseline, Parameter("share", "float", 1.0, "part des habitants à porter au seuil"),
             Parameter("max_sites", "object", None, "nouveaux sites au plus"),
             *_apl_parameters(budget=False), *_COMMON),
            aliases=("recruits", "apl-recruits"), apl_baseline=True,
        ),
        ModelSpec(
            "apl_best_use", "meilleur emploi des recrues",
            "N recrues ou p nouvelles MSP placées pour porter le plus d'habitants au seuil d'APL "
            "(ou réduire le plus le déficit)",
            apl_best_use, (baseline, *_apl_parameters(budget=True), *_COMMON),
            aliases=("best_use", "apl-best-use"), apl_baseline=True,
        ),
        ModelSpec(
            "apl_robust", "meilleur emploi des recrues, robuste",
            "le même plan optimisé en moyenne sur un échantillon de tirages des départs",
            apl_robust,
            (draws, Parameter("sample", "int", 20, "tirages retenus pour l'optimisation"),
             Parameter("seed", "int", 0, "graine du tirage de l'échantillon"),
             *_apl_parameters(budget=True), *_COMMON),
            aliases=("robust", "apl-robust"), apl_baseline=True,
        ),
    )  # fmt: skip


def _builtin_models() -> tuple[ModelSpec, ...]:
    return (
        ModelSpec(
            "mclp", "couverture maximale",
            "p nouveaux sites couvrant le plus d'habitants à moins de T minutes (MCLP)",
            mclp, (_P, _MINUTES, *_COMMON),
        ),
        ModelSpec(
            "lscp", "couverture totale",
            "le moins de nouveaux sites pour que chacun soit à moins de T minutes (LSCP)",
            lscp, (_MINUTES, *_COMMON),
        ),
        ModelSpec(
            "p_median", "temps moyen le plus court",
            "p nouveaux sites minimisant le temps de trajet total des habitants (p-médiane)",
            p_median, (_P, *_COMMON), aliases=("p-median", "pmedian", "median"),
        ),
        ModelSpec(
            "p_center", "pire temps le plus court",
            "p nouveaux sites minimisant le trajet le plus long (p-centre)",
            p_center, (_P, *_COMMON), aliases=("p-center", "pcenter", "center"),
        ),
        ModelSpec(
            "volunteer_centres", "centre de médecins bénévoles",
            "centres à capacité limitée (semaines de bénévoles) servant la demande non servie "
            "(Médecins Solidaires)",
            volunteer_centres, (*_volunteer_parameters(), *_COMMON),
            aliases=("volunteer", "volunteers", "volunteer-centres", "volunteer_centers"),
            params_class=VolunteerCentreParameters, option_kind="volunteer_centre",
            unserved_demand=True,
        ),
        ModelSpec(
            "rotation", "rotation de type MilleSoins",
            "jours de consultation d'une équipe répartis entre plusieurs sites (MilleSoins)",
            rotation, (*_rotation_parameters(), *_COMMON), aliases=("rota",),
            params_class=RotationParameters, option_kind="rotation", keeps_existing=False,
            fte_from_days=True,
        ),
        *_apl_models(),
    )  # fmt: skip


def _check_names(spec: ModelSpec, others: Mapping[str, ModelSpec]) -> None:
    """Refuse a model whose name or an alias is another model's name or alias."""
    taken = {n for other in others.values() for n in (other.name, *other.aliases)}
    clash = sorted({spec.name, *spec.aliases} & taken)
    if clash:
        msg = f"siting model name(s) already registered: {', '.join(clash)}"
        raise ValueError(msg)


_REGISTRY: Registry[ModelSpec] = Registry("siting model", _builtin_models(), check=_check_names)

#: The model a command runs when none is asked for (maximal covering).
DEFAULT_MODEL = "mclp"

#: Every registered model by canonical name (a read-only live view: a model added by
#: :func:`register_model` appears here). Iterating gives the names.
MODELS: Mapping[str, ModelSpec] = _REGISTRY.view


def models() -> tuple[ModelSpec, ...]:
    """Every registered model, in registration order.

    Returns
    -------
    tuple of ModelSpec
    """
    return _REGISTRY.values()


def register_model(spec: ModelSpec, *, replace: bool = False) -> ModelSpec:
    """Add a siting model to the registry: the CLI, options files and diagnostic then accept it.

    Parameters
    ----------
    spec
        The model (its function must return a :class:`~accessmap.siting.SitingResult` whose
        ``model`` is ``spec.name``).
    replace
        Replace a model already registered under that name.

    Returns
    -------
    ModelSpec
        ``spec``.

    Raises
    ------
    ValueError
        The name is taken (and ``replace`` is false), or the name or an alias is another
        model's name or alias.
    """
    return _REGISTRY.register(spec, replace=replace)


def unregister_model(name: str) -> ModelSpec:
    """Remove a model from the registry.

    Parameters
    ----------
    name
        Its canonical name.

    Returns
    -------
    ModelSpec
        The removed entry.

    Raises
    ------
    KeyError
        No model of that name.
    """
    return _REGISTRY.unregister(name)


def registered_model(spec: ModelSpec) -> AbstractContextManager[ModelSpec]:
    """Register ``spec`` for the duration of a ``with`` block (tests, notebooks).

    Parameters
    ----------
    spec
        The model.

    Returns
    -------
    contextlib.AbstractContextManager
        Yields ``spec``; removes it on exit.
    """
    return _REGISTRY.registered(spec)


def models_help() -> str:
    """French line listing the models for a help text: ``mclp (couverture maximale), ...``.

    Returns
    -------
    str
    """
    return ", ".join(f"{spec.name} ({spec.label})" for spec in _REGISTRY.values()) + "."


def normalise_name(name: str) -> str:
    """Return the canonical name of a model (aliases, case, dashes); unknown names as given."""
    key = str(name).strip().lower()
    for spec in _REGISTRY.values():
        if key == spec.name or key.replace("-", "_") == spec.name or key in spec.aliases:
            return spec.name
    return key


def find_model(name: str) -> ModelSpec | None:
    """Return the registry entry of a model, or ``None`` when the name is unknown.

    Parameters
    ----------
    name
        A model name or alias (``p-median``, ``volunteer``...), e.g. ``SitingResult.model``.

    Returns
    -------
    ModelSpec or None
    """
    return MODELS.get(normalise_name(name))


def get_model(name: str) -> ModelSpec:
    """Return the registry entry of a model.

    Parameters
    ----------
    name
        A model name or alias (``p-median``, ``volunteer``...).

    Returns
    -------
    ModelSpec

    Raises
    ------
    ValidationError
        Unknown model.
    """
    spec = find_model(name)
    if spec is None:
        raise ValidationError(
            "siting.unknown_model", field="model", model=name, models=list(MODELS)
        )
    return spec


def describe_models() -> pd.DataFrame:
    """Every model and parameter, one row each (for help texts and documentation).

    Returns
    -------
    pandas.DataFrame
        ``model``, ``label``, ``parameter``, ``kind``, ``default`` (``None`` when required),
        ``required``, ``description``.
    """
    rows = [
        {
            "model": spec.name,
            "label": spec.label,
            "parameter": par.name,
            "kind": par.kind,
            "default": None if par.required else par.default,
            "required": par.required,
            "description": par.description,
        }
        for spec in _REGISTRY.values()
        for par in spec.parameters
    ]
    return pd.DataFrame(rows)


def _check_known(spec: ModelSpec, params: Mapping[str, Any]) -> None:
    """Refuse a parameter name the model does not have."""
    unknown = sorted(set(params) - {p.name for p in spec.parameters})
    if unknown:
        raise ValidationError(
            "siting.unknown_parameters",
            field=f"{spec.name}.{unknown[0]}",
            model=spec.name,
            names=unknown,
            known=[p.name for p in spec.parameters],
        )


def check_parameters(name: str, params: Mapping[str, Any]) -> ModelSpec:
    """Check the names and values of some parameters of a model, before any data is loaded.

    Parameters a caller supplies later (a required ``baseline``...) may be missing here; those
    given are checked as :func:`run` checks them.

    Parameters
    ----------
    name
        Model name or alias.
    params
        Parameters by name (``None`` values are skipped).

    Returns
    -------
    ModelSpec
        The model's entry.

    Raises
    ------
    ValidationError
        Unknown model or parameter, a value of the wrong kind.
    """
    spec = get_model(name)
    _check_known(spec, params)
    for key, value in params.items():
        par = spec.parameter(key)
        if par is not None and value is not None:
            coerce(spec, par, value)
    return spec


def _keywords(spec: ModelSpec, params: Mapping[str, Any]) -> dict[str, Any]:
    """Check the names and values of ``params``; return the keywords of the model function."""
    _check_known(spec, params)
    missing = [p.name for p in spec.parameters if p.required and params.get(p.name) is None]
    if missing:
        raise ValidationError(
            "siting.missing_parameters",
            field=f"{spec.name}.{missing[0]}",
            model=spec.name,
            names=missing,
            needs=[f"{n} : {spec.parameter(n).description}" for n in missing],  # type: ignore[union-attr]
        )
    call: dict[str, Any] = {}
    solver: dict[str, Any] = {}
    model: dict[str, Any] = {}
    for name, raw in params.items():
        par = spec.parameter(name)
        assert par is not None  # noqa: S101 (checked above)
        value = coerce(spec, par, raw)
        {"call": call, "solver": solver, "params": model}[par.target][name] = value
    if solver:
        base = call.get("solver") or SolverOptions()
        if not isinstance(base, SolverOptions):
            raise ValidationError("siting.solver_not_options", field=f"{spec.name}.solver")
        known = {f.name for f in fields(SolverOptions)}
        call["solver"] = SolverOptions(**{
            **{f: getattr(base, f) for f in known}, **solver
        })  # fmt: skip
    if model and spec.params_class is not None:
        call["params"] = spec.params_class(**model)
    return call


def run(name: str, *, od: pd.DataFrame, demand: pd.DataFrame, **params: Any) -> SitingResult:
    """Run a siting model by name, its parameters checked first.

    Parameters
    ----------
    name
        Model name or alias (see :data:`MODELS` and :func:`describe_models`).
    od
        Long travel-time table (``origin_id, dest_id, minutes[, method]``).
    demand
        ``id`` and the weight column.
    **params
        The model's parameters by name (``p``, ``minutes``, ``fixed``, ``time_limit``,
        ``volunteer_weeks``...). ``minutes`` defaults to
        :data:`accessmap.conventions.SITING_MINUTES`.

    Returns
    -------
    SitingResult

    Raises
    ------
    ValidationError
        Unknown model or parameter, a required parameter missing, a value of the wrong kind.
    SolverError
        From the model (infeasible, no solution).

    References
    ----------
    Church R. L., ReVelle C., "The maximal covering location problem", Papers of the Regional
    Science Association 32 (1974) 101-118; Toregas C., Swain R., ReVelle C., Bergman L., "The
    location of emergency service facilities", Operations Research 19 (1971) 1363-1373; Hakimi
    S. L., "Optimum locations of switching centers and the absolute centers and medians of a
    graph", Operations Research 12 (1964) 450-459; ReVelle C. S., Swain R. W., "Central
    facilities location", Geographical Analysis 2 (1970) 30-42.
    """
    spec = get_model(name)
    return spec.function(od, demand, **_keywords(spec, params))


def run_model(
    model: str,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    p: int | None = None,
    minutes: float | None = None,
    **options: Any,
) -> SitingResult:
    """Run a siting model by name (compatibility form of :func:`run`).

    Parameters
    ----------
    model
        One of :data:`MODELS` (aliases such as ``p-median`` accepted).
    od
        Long travel-time table.
    demand
        ``id`` and the weight column.
    p
        New sites (models that take it).
    minutes
        Coverage threshold (default :data:`accessmap.conventions.SITING_MINUTES`).
    **options
        Other parameters of the model.

    Returns
    -------
    SitingResult

    Raises
    ------
    ValidationError
        Unknown model or parameter, a required parameter missing.

    References
    ----------
    See :func:`run`.
    """
    spec = get_model(model)
    params = dict(options)
    # the old dispatcher ignored p and minutes where a model has no use for them
    if p is not None and spec.parameter("p") is not None:
        params["p"] = p
    if minutes is not None and spec.parameter("minutes") is not None:
        params["minutes"] = minutes
    return run(spec.name, od=od, demand=demand, **params)
