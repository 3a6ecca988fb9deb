"""The typer application every command module registers on."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["STATE", "app"]

app = typer.Typer(
    name="accessmap",
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
