"""The typer application every command module registers on, with French help screens."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

__all__ = ["STATE", "FrenchCommand", "app"]

_HELP = "Afficher cette aide et quitter."
_USAGE = "Utilisation : "


def _french_options(command: Any, ctx: Any, formatter: Any) -> None:
    """Arguments and options sections with French headings (click writes them in English)."""
    records: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is not None and param.param_type_name in records:
            records[param.param_type_name].append(record)
    for kind, heading in (("argument", "Arguments"), ("option", "Options")):
        if records[kind]:
            with formatter.section(heading):
                formatter.write_dl(records[kind])


class _FrenchHelp:
    """French ``--help`` description and usage prefix (mixed into typer's command classes)."""

    def get_help_option(self, ctx: Any) -> Any:
        """Return the ``--help`` option, with a French description."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _HELP
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """Write the usage line with a French prefix."""
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_USAGE)


class FrenchCommand(_FrenchHelp, TyperCommand):
    """A command whose help screen is in French."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """Write the options with French headings."""
        _french_options(self, ctx, formatter)


class FrenchGroup(_FrenchHelp, TyperGroup):
    """The command group (``accessmap``), help screen in French."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """Write the options, then the commands, with French headings."""
        _french_options(self, ctx, formatter)
        rows = [
            (name, command.get_short_help_str(formatter.width - 6 - len(name)))
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        if rows:
            with formatter.section("Commandes"):
                formatter.write_dl(rows)


app = typer.Typer(
    name="accessmap",
    cls=FrenchGroup,
    help="Accès aux soins de premier recours dans un territoire rural : temps d'accès, APL, "
    "départs en retraite des médecins, implantation de maisons de santé.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

#: ``--debug`` seen (tracebacks instead of one line).
STATE: dict[str, bool] = {"debug": False}


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Afficher la trace complète des erreurs.")
    ] = False,
) -> None:
    """Accès aux soins de premier recours dans un territoire rural."""
    STATE["debug"] = debug
