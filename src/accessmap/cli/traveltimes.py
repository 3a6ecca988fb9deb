"""Command ``traveltimes``: the shared travel-time table of a study area, into the store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from accessmap.cli._app import FrenchCommand, app
from accessmap.cli._common import (
    BufferOption,
    CrowflyOption,
    MirrorOption,
    OnlineOption,
    OsmOption,
    StoreOption,
    TerritoryOption,
    WinterOption,
    escape,
    input_options,
    out_console,
    progress_bar,
    quiet_warnings,
    use_settings,
    warn,
)

if TYPE_CHECKING:
    from accessmap.inputs import Inputs
    from accessmap.network import TravelTimes

__all__ = ["print_times", "traveltimes_command"]


def print_times(inputs: Inputs, times: TravelTimes) -> None:
    """Print what a travel-time table is made of, and its figures, in French."""
    from accessmap.labels import fmt_float, fmt_int
    from accessmap.network import summarize_od

    table = times.table
    summary = summarize_od(table)
    cached = not times.parameters.get("fresh", False)
    out_console.print(
        f"{escape(inputs.territory.name)} : {table['origin_id'].nunique()} communes × "
        f"{table['dest_id'].nunique()} destinations, {escape(inputs.roads.label)}"
        + (" (depuis le cache de la base)" if cached else "")
    )
    out_console.print(
        f"paires {fmt_int(summary.pairs)} | médiane {fmt_float(summary.median_minutes, 1)} min | "
        f"max {fmt_float(summary.max_minutes, 1)} min | sans chemin {fmt_int(summary.unreachable)}"
    )
    sites = set(inputs.roster.sites["site_id"].astype(str))
    nearest = table[table["dest_id"].isin(sites)].groupby("origin_id")["minutes"].min()
    inside = nearest[nearest.index.isin(inputs.territory.codes)]
    if len(inside):
        out_console.print(
            f"médecin le plus proche depuis les {len(inside)} communes du territoire : médiane "
            f"{fmt_float(inside.median(), 1)} min, max {fmt_float(inside.max(), 1)} min"
        )
    if times.method == "crowfly":
        warn("pas de réseau routier : temps ESTIMÉS à vol d'oiseau (distance × détour ÷ vitesse).")


@app.command("traveltimes", cls=FrenchCommand)
def traveltimes_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    winter: WinterOption = None,
    save_graph: Annotated[
        Path | None,
        typer.Option("--save-graph", help="Enregistrer le graphe routier en GraphML."),
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Temps de trajet de chaque commune de la zone d'étude vers chaque site et mairie candidate."""
    from accessmap.inputs import compute_traveltimes, load_inputs, store_traveltimes
    from accessmap.store import Store

    options = input_options(
        territory, buffer_km=buffer_km, osm=osm, crowfly=crowfly, online=online, winter=winter
    )
    with use_settings(mirror=mirror, store=store, online=online):
        with quiet_warnings(), progress_bar() as step:
            step("territoire et offre de soins")
            inputs = load_inputs(options)
            with Store.open() as db:
                times, road = compute_traveltimes(
                    inputs.territory, inputs.roster, inputs.roads, winter=winter, store=db,
                    progress=step,
                )  # fmt: skip
                with db.transaction():
                    store_traveltimes(db, times, label=f"traveltimes {inputs.territory.name}")
                    db.record_provenance(inputs.provenance)
        if save_graph is not None and road is not None:
            from accessmap.sources.osm import load_road_graph
            from accessmap.sources.osm import save_graph as write_graphml

            write_graphml(load_road_graph(path=inputs.roads.path), save_graph)
    if road is not None:
        out_console.print(f"réseau routier : {escape(str(road.report))}")
    print_times(inputs, times)
