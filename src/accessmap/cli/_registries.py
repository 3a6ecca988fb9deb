"""Help texts built from the registries: siting models, measures, professions, territory presets.

Each function reads the registry when the help is shown (:data:`accessmap.cli._app.DYNAMIC_HELP`),
so that a registered entry appears in ``--help`` without a change here. The registries load pandas
(and the territory module geopandas): they are imported inside these functions, never when
``accessmap`` starts (see :data:`accessmap.cli._app.LAZY_IMPORTS`).
"""

from __future__ import annotations

from collections.abc import Iterable

from accessmap import professions as registry
from accessmap.messages import Message

__all__ = [
    "measure_help",
    "model_help",
    "parameter_help",
    "parameters_help",
    "profession_help",
    "territory_help",
]


def _choices(pairs: Iterable[tuple[str, str]]) -> str:
    return " ; ".join(f"{key} ({label})" if label else key for key, label in pairs)


def model_help() -> str:
    """Help of ``--model``: every model of :mod:`accessmap.siting.registry`, with its label."""
    from accessmap.siting import registry as models

    pairs = [(spec.name, spec.label) for spec in models.models()]
    return str(Message("cli.help_model", choices=_choices(pairs)))


def parameter_help(name: str) -> str:
    """Help of an option setting one model parameter (``--threshold``...), from the registry.

    Parameters
    ----------
    name
        The parameter's name in :mod:`accessmap.siting.registry`.

    Returns
    -------
    str
        Its French description, its choices, and the models that take it.
    """
    from accessmap.siting import registry as models

    takers = [s for s in models.models() if any(p.name == name for p in s.user_parameters())]
    if not takers:
        return str(Message("cli.help_parameter_none", name=name))
    meanings: dict[str, list[str]] = {}
    for spec in takers:
        par = spec.parameter(name)
        assert par is not None  # noqa: S101 (found above)
        choices = f" ({', '.join(par.choices)})" if par.choices else ""
        meanings.setdefault(par.description + choices, []).append(spec.name)
    if len(meanings) == 1:
        ((description, names),) = meanings.items()
        return str(
            Message("cli.help_parameter", description=description, name=name,
                    models=", ".join(names))
        )  # fmt: skip
    return str(
        Message(
            "cli.help_parameter_models", name=name,
            meanings=" ; ".join(f"{', '.join(n)} : {d}" for d, n in meanings.items()),
        )
    )  # fmt: skip


def parameters_help() -> str:
    """Help of ``--param``: every model's parameters (those a reader sets), from the registry.

    Returns
    -------
    str
        The parameters every model shares, then each model's own, with their French descriptions.
    """
    from accessmap.siting import registry as models

    specs = models.models()
    shared = set.intersection(*({p.name for p in s.user_parameters()} for s in specs))
    first = specs[0].user_parameters()

    def listed(params: Iterable[models.Parameter]) -> str:
        return ", ".join(f"{p.name} ({p.description})" for p in params)

    per_model = " ; ".join(
        f"{s.name} : {listed(p for p in s.user_parameters() if p.name not in shared)}"
        for s in specs
    )
    return str(
        Message(
            "cli.help_param", shared=listed(p for p in first if p.name in shared),
            models=per_model,
        )
    )  # fmt: skip


def measure_help() -> str:
    """Help of ``--measure``: every measure of :mod:`accessmap.indicators.registry`."""
    from accessmap.indicators import registry as measures

    pairs = [(spec.name, spec.label) for spec in measures.measures()]
    return str(Message("cli.help_measure", choices=_choices(pairs)))


def profession_help() -> str:
    """Help of ``--profession``: every profession of :mod:`accessmap.professions`, default first."""
    pairs = [(key, registry.profession(key).label) for key in registry.profession_keys()]
    return str(
        Message("cli.help_profession", choices=_choices(pairs), default=registry.DEFAULT_PROFESSION)
    )


def territory_help() -> str:
    """Help of ``--territory``: the presets and every kind of the territory-kinds registry."""
    from accessmap.inputs.territory import territory_help as forms
    from accessmap.territory import PRESETS

    return str(Message("cli.help_territory", presets=", ".join(PRESETS), forms=forms()))
