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

__all__ = ["measure_help", "model_help", "profession_help", "territory_help"]


def _choices(pairs: Iterable[tuple[str, str]]) -> str:
    return " ; ".join(f"{key} ({label})" if label else key for key, label in pairs)


def model_help() -> str:
    """Help of ``--model``: every model of :mod:`accessmap.siting.registry`, with its label."""
    from accessmap.siting import registry as models

    pairs = [(spec.name, spec.label) for spec in models.models()]
    return str(Message("cli.help_model", choices=_choices(pairs)))


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
