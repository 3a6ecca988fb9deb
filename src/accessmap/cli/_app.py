"""The typer application every command module registers on, with French help screens.

Help texts that list registered things (siting models, accessibility measures, professions,
territory presets) are built from the registries **when the help is shown**
(:data:`DYNAMIC_HELP`), so that a model added to :mod:`accessmap.siting.registry` appears in
``accessmap site --help`` without touching the command line.

Start-up time: ``import accessmap.cli`` must not load geopandas, duckdb, osmnx, highspy or plotly
(``tests/test_architecture.py``). The command modules therefore import the application layer and
the few other modules that load them **inside the command functions**; :data:`LAZY_IMPORTS` lists
every such module with the reason, and ``tests/test_cli_help.py`` checks that no other package
module is imported inside a function of :mod:`accessmap.cli`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from accessmap.cli import _registries
from accessmap.messages import Message

__all__ = ["DYNAMIC_HELP", "LAZY_IMPORTS", "STATE", "FrenchCommand", "app", "text"]

#: Package modules imported inside command functions, and why (each loads a heavy library).
LAZY_IMPORTS: dict[str, str] = {
    "accessmap.app": "the use cases load geopandas, duckdb and highspy",
    "accessmap.inputs": "the input layer loads geopandas (options are built when a command runs)",
    "accessmap.diagnostic": "the diagnostic's options live in a package that loads geopandas",
    "accessmap.sources": "reading a codes file: the sources package loads geopandas",
    "accessmap.territory": "the presets of the --territory help: the module loads geopandas",
    "accessmap.siting": "the models of the --model help: the registry loads pandas and numpy",
    "accessmap.indicators": "measures, professions and zoning rows: the package loads pandas",
    "accessmap.conventions": "the siting threshold's default: the module loads numpy",
    "accessmap.network": "the summary of a travel-time table: the package loads pandas and scipy",
    "accessmap.report": "the one-page verdict of a diagnostic: the package loads pandas",
}

#: Option name → function building its help from a registry, when the help is shown.
DYNAMIC_HELP: dict[str, Callable[[], str]] = {
    "--model": _registries.model_help,
    "--measure": _registries.measure_help,
    "--profession": _registries.profession_help,
    "--territory": _registries.territory_help,
}


def text(code: str, /, **params: Any) -> str:
    """Render a message of the catalogue (``cli.*``) in French."""
    return str(Message(code, **params))


# click's metavars and default/range markers, in French.
_METAVARS = (
    (r"<float range>|<float>", "<nombre>"),
    (r"<int range>|<integer>|<int>", "<entier>"),
    (r"<str>|<text>", "<texte>"),
    (r"<path>", "<chemin>"),
    (r"\[default: ", "[défaut\u00a0: "),
    (r"\[required\]", "[obligatoire]"),
    (r"\[env var: ", "[variable\u00a0: "),
    (r" ([:;])", "\u00a0\\1"),  # French spaces before : and ; never break a line
)


# Inside the trailing "[...]" of a help line: ranges and decimal points, the French way.
_BRACKET = (
    (r"(-?[\d.]+)<=x<=(-?[\d.]+)", r"de \1 à \2"),
    (r"x>=(-?[\d.]+)", r"≥ \1"),
    (r"x<=(-?[\d.]+)", r"≤ \1"),
    (r"(\d)\.(\d)", r"\1,\2"),
    (r"; ", "\u00a0; "),
)


def _french_bracket(match: re.Match[str]) -> str:
    inside = match.group(0)
    for pattern, french in _BRACKET:
        inside = re.sub(pattern, french, inside)
    return inside


def _french_record(record: tuple[str, str]) -> tuple[str, str]:
    name, help_text = record
    for pattern, french in _METAVARS:
        name = re.sub(pattern, french, name)
        help_text = re.sub(pattern, french, help_text)
    return name, re.sub(r"\[[^\[\]]*\]$", _french_bracket, help_text)


def _french_options(command: Any, ctx: Any, formatter: Any) -> None:
    """Arguments and options sections with French headings (click writes them in English)."""
    records: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
    for param in command.get_params(ctx):
        builder = next((DYNAMIC_HELP[o] for o in param.opts if o in DYNAMIC_HELP), None)
        if builder is not None:
            param.help = builder()
        record = param.get_help_record(ctx)
        if record is not None and param.param_type_name in records:
            records[param.param_type_name].append(_french_record(record))
    for kind, heading in (("argument", "cli.help_arguments"), ("option", "cli.help_options")):
        if records[kind]:
            with formatter.section(text(heading)):
                formatter.write_dl(records[kind])


class _FrenchHelp:
    """French ``--help`` description and usage prefix (mixed into typer's command classes)."""

    def get_help_option(self, ctx: Any) -> Any:
        """Return the ``--help`` option, with a French description."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = text("cli.help_help")
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """Write the usage line with a French prefix and placeholders."""
        pieces = " ".join(self.collect_usage_pieces(ctx))  # type: ignore[attr-defined]
        pieces = pieces.replace("COMMAND [ARGS]...", text("cli.help_command_args"))
        formatter.write_usage(ctx.command_path, pieces, prefix=text("cli.help_usage") + " ")


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
            with formatter.section(text("cli.help_commands")):
                formatter.write_dl(rows)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Resolve a command; an unknown one raises :class:`NoSuchCommand` (with close names)."""
        name = args[0] if args else ""
        if args and self.get_command(ctx, name) is None and not name.startswith("-"):
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3)
            raise NoSuchCommand(name, close, ctx=ctx)
        return super().resolve_command(ctx, args)


class NoSuchCommand(typer.BadParameter):
    """An unknown command name (click only says it in English).

    Attributes
    ----------
    name
        The name given.
    possibilities
        Close command names.
    """

    def __init__(self, name: str, possibilities: list[str], *, ctx: Any) -> None:
        super().__init__(name, ctx=ctx)
        self.name = name
        self.possibilities = possibilities


app = typer.Typer(
    name="accessmap",
    cls=FrenchGroup,
    help=text("cli.cmd_root"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

#: ``--debug`` seen (tracebacks instead of one line); ``published``: a Ctrl-C changes nothing.
STATE: dict[str, bool] = {"debug": False, "published": False}


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help=text("cli.opt_debug"))] = False,
) -> None:
    """Access to primary care in a rural territory (the group's options)."""
    STATE["debug"] = debug
