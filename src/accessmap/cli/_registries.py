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


def _label(entry: object) -> str:
    """The French label of a registry entry, whatever the registry calls it."""
    for name in ("label_fr", "label", "summary"):
        value = getattr(entry, name, None)
        if isinstance(value, str) and value:
            return value
    return ""


def model_help() -> str:
    """Help of ``--model``: every model of :mod:`accessmap.siting.registry`, with its label."""
    from accessmap.siting import registry as models

    pairs = [(name, _label(models.get_model(name))) for name in models.MODELS]
    return str(Message("cli.help_model", choices=_choices(pairs)))


def measure_help() -> str:
    """Help of ``--measure``: every measure of :data:`accessmap.indicators.MEASURES`."""
    from accessmap.indicators import registry as measures

    pairs = [(name, _label(spec)) for name, spec in measures.MEASURES.items()]
    return str(Message("cli.help_measure", choices=_choices(pairs)))


def profession_help() -> str:
    """Help of ``--profession``: every profession of the registry, the default first."""
    from accessmap.indicators import professions as parameters

    # The profession registry (accessmap.professions) when it lists them, else the parameters'.
    entries = getattr(registry, "PROFESSIONS", None) or parameters.PROFESSIONS
    keys = sorted(entries, key=lambda k: k != registry.DEFAULT_PROFESSION)
    pairs = [(k, _label(entries[k])) for k in keys]
    return str(
        Message("cli.help_profession", choices=_choices(pairs), default=registry.DEFAULT_PROFESSION)
    )


def territory_help() -> str:
    """Help of ``--territory``: the presets of :data:`accessmap.territory.PRESETS` and the forms."""
    from accessmap.territory import PRESETS

    return str(Message("cli.help_territory", presets=", ".join(PRESETS)))
