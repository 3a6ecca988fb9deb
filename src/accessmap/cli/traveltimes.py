"""Command ``traveltimes``: the shared travel-time table of a study area, into the store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from accessmap.cli._app import FrenchCommand, app, text
from accessmap.cli._common import (
    BufferOption,
    CrowflyOption,
    MirrorOption,
    OnlineOption,
    OsmOption,
    StoreOption,
    TerritoryOption,
    WinterOption,
    input_options,
    progress_bar,
    quiet_warnings,
    say,
    use_settings,
    warn,
)
from accessmap.labels import fmt_float, fmt_int

if TYPE_CHECKING:
    from accessmap.app import TravelTimesResult

__all__ = ["print_times", "traveltimes_command"]


def print_times(result: TravelTimesResult) -> None:
    """Print what a travel-time table is made of, and its figures, in French."""
    from accessmap.network import summarize_od

    inputs, times = result.inputs, result.times
    table = times.table
    summary = summarize_od(table)
    say(
        "cli.times_cached" if not times.parameters.get("fresh", False) else "cli.times_header",
        territory=inputs.territory.name, origins=table["origin_id"].nunique(),
        destinations=table["dest_id"].nunique(), roads=inputs.roads.label,
    )  # fmt: skip
    say(
        "cli.times_summary", pairs=fmt_int(summary.pairs),
        median=fmt_float(summary.median_minutes, 1), max=fmt_float(summary.max_minutes, 1),
        unreachable=fmt_int(summary.unreachable),
    )  # fmt: skip
    sites = set(inputs.roster.sites["site_id"].astype(str))
    nearest = table[table["dest_id"].isin(sites)].groupby("origin_id")["minutes"].min()
    inside = nearest[nearest.index.isin(inputs.territory.codes)]
    if len(inside):
        say(
            "cli.times_nearest", communes=len(inside), median=fmt_float(inside.median(), 1),
            max=fmt_float(inside.max(), 1),
        )  # fmt: skip
    if times.method == "crowfly":
        warn("cli.times_crowfly")


@app.command("traveltimes", cls=FrenchCommand, help=text("cli.cmd_traveltimes"))
def traveltimes_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    winter: WinterOption = None,
    save_graph: Annotated[
        Path | None,
        typer.Option("--save-graph", help=text("cli.opt_save_graph")),
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Travel times from every study-area commune to every site and candidate town hall."""
    from accessmap.app import run_traveltimes, save_results, save_road_graph

    options = input_options(
        territory, buffer_km=buffer_km, osm=osm, crowfly=crowfly, online=online, winter=winter
    )
    with use_settings(mirror=mirror, store=store, online=online):
        with quiet_warnings(), progress_bar() as step:
            result = run_traveltimes(options, progress=step)
            save_results(result)
        if save_graph is not None:
            save_road_graph(result, save_graph)
    if result.road is not None:
        say("cli.times_roads", report=str(result.road.report))
    print_times(result)
