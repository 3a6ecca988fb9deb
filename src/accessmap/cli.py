"""The ``accessmap`` command line (typer + rich).

Every command is a thin layer over the library. Errors the library raises on purpose
(:class:`~accessmap.errors.AccessmapError`) become one line on stderr and exit code 2; ``--debug``
shows the traceback instead. Long work shows a rich progress display; notebooks never see it.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from typer.exceptions import TyperException

from accessmap.errors import AccessmapError

if TYPE_CHECKING:
    from accessmap.sources import SourceFile

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="accessmap",
    help="Access to primary care in rural territories: travel times, APL, GP outlook, siting.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

err_console = Console(stderr=True, soft_wrap=True)
out_console = Console(soft_wrap=True)

_STATE: dict[str, bool] = {"debug": False}

MirrorOption = Annotated[
    Path | None,
    typer.Option(
        "--mirror",
        help="Local mirror directory (like ../shared/data). Env: ACCESSMAP_MIRROR.",
        envvar="ACCESSMAP_MIRROR",
    ),
]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="DuckDB file (default data/accessmap.duckdb).", envvar="ACCESSMAP_STORE"
    ),
]
OnlineOption = Annotated[
    bool,
    typer.Option("--online/--offline", help="Allow downloads from the official services."),
]


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Access to primary care in rural territories."""
    _STATE["debug"] = debug


# --- commands: foundation (territory, fetch) -------------------------------------------------

TerritoryOption = Annotated[
    str | None,
    typer.Option(
        "--territory",
        "-t",
        help="Preset name, comma-separated INSEE codes, a codes file (.txt/.csv), a polygon file "
        "(.geojson/.gpkg) or epci:CODE[,CODE][@DEP,DEP].",
    ),
]
BufferOption = Annotated[
    float, typer.Option("--buffer-km", min=0.0, help="Width of the study buffer, km.")
]


def territory_spec(
    territory: str | None = None,
    *,
    preset: str | None = None,
    codes: str | None = None,
    codes_file: Path | None = None,
    polygon: Path | None = None,
    epci: str | None = None,
) -> str:
    """Turn the territory options of a command into one ``load_territory`` specification."""
    from accessmap.errors import ValidationError

    given = [
        spec
        for spec in (
            territory,
            preset,
            codes,
            str(codes_file) if codes_file else None,
            str(polygon) if polygon else None,
            f"epci:{epci}" if epci else None,
        )
        if spec
    ]
    if len(given) != 1:
        raise ValidationError(
            f"{len(given)} territory definitions given.",
            field="--territory",
            fix="give one of --territory, --preset, --codes, --codes-file, --polygon, --epci.",
        )
    return given[0]


@app.command("territory")
def territory_command(
    territory: TerritoryOption = None,
    preset: Annotated[str | None, typer.Option(help="Named preset (montagne-limousine).")] = None,
    codes: Annotated[str | None, typer.Option(help="Comma-separated INSEE codes.")] = None,
    codes_file: Annotated[Path | None, typer.Option(help="File of INSEE codes.")] = None,
    polygon: Annotated[Path | None, typer.Option(help="Polygon file (with a CRS).")] = None,
    epci: Annotated[str | None, typer.Option(help="EPCI SIREN codes, comma-separated.")] = None,
    buffer_km: BufferOption = 30.0,
    output_format: Annotated[
        str, typer.Option("--format", help="table (people) or json (machines).")
    ] = "table",
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Write to the store.")] = True,
) -> None:
    """Define a territory and print its summary (communes, population, km², density)."""
    import json

    from accessmap import settings
    from accessmap.errors import ValidationError
    from accessmap.store import Store
    from accessmap.territory import load_territory, summary, summary_dict

    if output_format not in {"table", "json"}:
        raise ValidationError(
            f"{output_format!r} is not a format.", field="--format", fix="table or json."
        )
    spec = territory_spec(
        territory, preset=preset, codes=codes, codes_file=codes_file, polygon=polygon, epci=epci
    )
    with settings.override(mirror=mirror, online=online or None, store_path=store):
        provenance: list[SourceFile] = []
        with _quiet_warnings():
            area = load_territory(spec, buffer_km=buffer_km, provenance=provenance)
        if save:
            with Store.open() as db, db.transaction():
                db.write_table("communes", area.study_area)
                db.record_provenance(provenance)
    if output_format == "json":
        typer.echo(json.dumps(summary_dict(area), ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title=f"{area.name}: {len(area.communes)} communes", title_justify="left")
    for col in ("département", "communes", "habitants", "km²", "hab./km²"):
        table.add_column(col, justify="right")
    for _, row in summary(area).iterrows():
        table.add_row(
            str(row["dep"]), f"{row['communes']:,}", f"{row['population']:,}",
            f"{row['area_km2']:,.0f}", f"{row['density']:.1f}",
        )  # fmt: skip
    out_console.print(table)
    out_console.print(f"[dim]{area.rule}[/]")
    out_console.print(
        f"Zone tampon {area.buffer_km:g} km : {len(area.buffer)} communes, "
        f"{int(area.buffer['population'].sum()):,} habitants."
    )
    for note in area.warnings:
        err_console.print(f"[yellow]attention[/] {note}")


@app.command("fetch")
def fetch_command(
    territory: TerritoryOption = None,
    departments: Annotated[
        str | None,
        typer.Option(help="Comma-separated department codes (default: the territory's)."),
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Fill the project's cache (data/raw) from a mirror or the official services."""
    from rich.progress import Progress

    from accessmap import settings
    from accessmap.errors import OfflineError
    from accessmap.sources import resolve
    from accessmap.store import Store
    from accessmap.territory import DEPARTMENT_NEIGHBOURS, PRESETS

    if departments:
        deps = sorted({d.strip() for d in departments.split(",") if d.strip()})
    elif territory in PRESETS:
        core = set(PRESETS[territory].departments)
        deps = sorted(
            core | set().union(*(DEPARTMENT_NEIGHBOURS.get(d, frozenset()) for d in core))
        )
    elif territory:
        from accessmap.sources import department_of

        codes = [c.strip() for c in territory.split(",") if c.strip()]
        deps = sorted({department_of(c) for c in codes})
    else:
        deps = []
    jobs: list[tuple[str, str | None]] = [("communes", d) for d in deps]
    jobs += [("drees_apl", None), ("bpe_gp", None), ("gp_sites_creuse", None)]
    fetched, missing = [], []
    with settings.override(mirror=mirror, online=online or None, store_path=store):
        with Progress(console=err_console, transient=True) as progress:
            task = progress.add_task("fetch", total=len(jobs))
            for key, dep in jobs:
                progress.update(task, description=f"{key} {dep or ''}")
                try:
                    fetched.append(resolve(key, dep=dep, store_in_cache=True))
                except OfflineError as exc:
                    missing.append(f"{key} {dep or ''}: {exc.message}")
                progress.advance(task)
        with Store.open() as db:
            db.record_provenance(fetched)
    for source in fetched:
        out_console.print(f"[green]ok[/] {source.dataset:<16} {source.origin:<7} {source.location}")
    for line in missing:
        err_console.print(f"[yellow]missing[/] {line}")
    if missing and not fetched:
        raise OfflineError(
            "nothing could be fetched.",
            field="fetch",
            fix="pass --mirror DIR or --online.",
        )


@contextlib.contextmanager
def _quiet_warnings() -> Iterator[None]:
    """Collect library warnings and print each distinct one once, in colour, on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            seen: set[str] = set()
            for item in caught:
                text = str(item.message)
                if text not in seen:
                    seen.add(text)
                    err_console.print(f"[yellow]attention[/] {text}", highlight=False)


# --- commands: travel times (network, catchments) --------------------------------------------


@app.command("traveltimes")
def traveltimes_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    osm: Annotated[
        Path | None,
        typer.Option(
            "--osm", help="Local road graph: .osm / .osm.xml / .osm.pbf / .graphml (OpenStreetMap)."
        ),
    ] = None,
    crowfly: Annotated[
        bool,
        typer.Option(
            "--crowfly", help="No road graph: great-circle km x circuity / speed (an estimate)."
        ),
    ] = False,
    winter: Annotated[
        bool | None,
        typer.Option("--winter/--no-winter", help="Winter speeds (snow factors by road class)."),
    ] = None,
    cutoff: Annotated[
        float | None,
        typer.Option("--cutoff", min=0.0, help="Minutes; pairs at or beyond get inf."),
    ] = None,
    save_graph: Annotated[
        Path | None,
        typer.Option("--save-graph", help="Save the road graph as GraphML for offline reuse."),
    ] = None,
    origin_points: Annotated[
        str,
        typer.Option("--origin-points", help="Commune points: mairie (town hall) or centroid."),
    ] = "mairie",
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Road travel times from every study-area commune to every GP site, into the store."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from accessmap import network, settings
    from accessmap.errors import ValidationError
    from accessmap.sources import SourceFile, load_bpe_gp_counts, load_gp_sites_creuse
    from accessmap.sources.osm import load_road_graph
    from accessmap.sources.osm import save_graph as write_graphml
    from accessmap.sources.roster import load_declared_sites
    from accessmap.store import Store
    from accessmap.supply import study_area_roster
    from accessmap.territory import load_territory, points

    if crowfly and osm is not None:
        raise ValidationError(
            "--crowfly and --osm both given.", field="--crowfly", fix="choose one of them."
        )
    spec = territory_spec(territory)
    road: network.RoadNetwork | None = None
    with (
        settings.override(mirror=mirror, online=online or None, store_path=store),
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("territoire", total=None)
        area_sources = list[SourceFile]()
        provenance = list[SourceFile]()
        with _quiet_warnings():
            area = load_territory(spec, buffer_km=buffer_km, provenance=area_sources)
            study = area.study_area
            progress.update(task, description="sites de médecins généralistes")
            roster = study_area_roster(
                area,
                bpe=load_bpe_gp_counts(provenance=provenance),
                creuse_sites=load_gp_sites_creuse(provenance=provenance),
                declared=load_declared_sites(provenance=provenance),
            )
        if origin_points not in {"mairie", "centroid"}:
            raise ValidationError(
                f"{origin_points!r} is not a kind of point.",
                field="--origin-points",
                fix="use mairie or centroid.",
            )
        origins = points(study, how="centroid" if origin_points == "centroid" else "mairie")
        dests = roster.sites[["site_id", "lon", "lat"]].rename(columns={"site_id": "id"})
        use_road = not crowfly and (osm is not None or settings.get_settings().online)
        if use_road:
            progress.update(task, description="réseau routier OpenStreetMap")
            graph = load_road_graph(path=osm, polygon=None if osm else study.union_all())
            if save_graph is not None:
                write_graphml(graph, save_graph)
            progress.update(task, description="temps de parcours sur les arêtes, matrice CSR")
            road = network.build_network(graph, winter=winter)
        key = network.traveltimes_key(origins, dests, network=road, cutoff=cutoff)
        with Store.open() as db:
            cached = db.read_traveltimes(key)
            if cached is None:
                progress.update(task, description="Dijkstra multi-source")
                with _quiet_warnings():
                    if road is not None:
                        result = network.travel_times(road, origins, dests, cutoff=cutoff)
                    else:
                        result = network.crowfly_times(origins, dests, cutoff=cutoff)
                od = result.table
                method = result.method
                with db.transaction():
                    db.write_traveltimes(od, key=key, label=f"traveltimes {area.name} {method}")
                    db.record_provenance([*area_sources, *provenance])
            else:
                od = cached
                method = ",".join(sorted(od["method"].astype(str).unique())) or "crowfly"
    if method == "crowfly":
        err_console.print(
            "[yellow]attention[/] no road graph: travel times are crowfly estimates (great-circle "
            "km x circuity / speed), not road times. Give --osm FILE or --online for road times.",
            highlight=False,
        )
    summary = network.summarize_od(od)
    out_console.print(
        f"{area.name}: {len(origins)} communes x {len(dests)} GP sites, method {method}"
        + (" (from the store's cache)" if cached is not None else "")
    )
    if road is not None:
        out_console.print(f"road graph: {road.report}")
        if cached is None:
            snap = result.snapping
            far = snap[snap["far"]]
            out_console.print(
                f"snapping: median {snap['snap_m'].median():,.0f} m, max "
                f"{snap['snap_m'].max():,.0f} m, {len(far)} point(s) beyond "
                f"{settings.get_settings().snap_warn_m:,.0f} m"
            )
            if len(far) > len(snap) / 2:
                err_console.print(
                    f"[yellow]attention[/] {len(far)} of {len(snap)} points are far from the "
                    "road graph: it does not cover the study area. Use an extract of the whole "
                    "study area (territory + buffer).",
                    highlight=False,
                )
    out_console.print(
        f"pairs {summary.pairs:,} | median {summary.median_minutes:.1f} min | max "
        f"{summary.max_minutes:.1f} min | unreachable {summary.unreachable:,}"
    )
    nearest = od.groupby("origin_id")["minutes"].min()
    inside = nearest[nearest.index.isin(area.codes)]
    if len(inside):
        out_console.print(
            f"nearest GP site from the {len(inside)} territory communes: median "
            f"{inside.median():.1f} min, max {inside.max():.1f} min"
        )
    out_console.print(f"[dim]store key {key[:12]}…[/]")


# --- commands: indicators --------------------------------------------------------------------


@app.command("indicators")
def indicators_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster_csv: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="Roster CSV (docs/roster_template.md). Default: BPE counts, the Creuse "
            "annuaire and the declared MSP/volunteer sites.",
        ),
    ] = None,
    year: Annotated[
        int, typer.Option(help="DREES vintage compared, and reference year of the under-65 APL.")
    ] = 2023,
    acts_per_fte: Annotated[
        float | None,
        typer.Option(
            "--acts-per-fte",
            min=0.0,
            help="Yearly acts of a full-time GP whose activity is unknown (default 5,400, DREES).",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the per-commune table to this CSV.")
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Nearest GP, population by band, APL (DREES) per commune, verdicts, DREES side by side."""
    import pandas as pd
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from accessmap import network, settings
    from accessmap.errors import MissingDataError, ValidationError
    from accessmap.indicators import (
        AplParameters,
        commune_indicators,
        compare_with_drees,
        od_to_sites,
        zone_deficitaire,
    )
    from accessmap.sources import load_apl_parameters, load_apl_published
    from accessmap.sources._http import atomic_write_bytes
    from accessmap.sources.roster import territory_roster
    from accessmap.store import Store
    from accessmap.territory import load_territory, points

    spec = territory_spec(territory)
    with (
        settings.override(mirror=mirror, online=online or None, store_path=store),
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("territoire", total=None)
        provenance: list[SourceFile] = []
        area_sources: list[SourceFile] = []
        notes: list[str] = []
        with _quiet_warnings():
            area = load_territory(spec, buffer_km=buffer_km, provenance=area_sources)
            study = area.study_area
            progress.update(task, description="médecins généralistes et sites")
            roster = territory_roster(area, path=roster_csv, provenance=provenance)
            progress.update(task, description="paramètres et APL publiés (DREES)")
            try:
                params = load_apl_parameters(provenance=provenance)
            except MissingDataError as exc:
                params = AplParameters()
                notes.append(f"DREES workbook unavailable ({exc.message}): built-in 2023 values")
            try:
                published = load_apl_published(years=[year], provenance=provenance)
            except MissingDataError as exc:
                published = None
                notes.append(f"published DREES APL unavailable ({exc.message}): no comparison")
        # travel times: the newest stored table (road first) that covers the territory's
        # communes and every roster site; otherwise a crowfly estimate, stored under its key
        progress.update(task, description="temps de parcours")
        origins = points(study)
        od, method = None, "crowfly"
        with Store.open() as db:
            for stored in db.covering_traveltimes(area.codes):
                try:
                    od = od_to_sites(stored, sites=roster.sites)
                except ValidationError:
                    continue
                method = ",".join(sorted(od["method"].astype(str).unique()))
                missing = set(origins["id"]) - set(stored["origin_id"])
                if missing:
                    notes.append(
                        f"{len(missing)} buffer commune(s) have no travel times: their demand "
                        "is left out, so the APL near the edge is slightly overstated"
                    )
                break
            if od is None:
                dests = roster.sites[["site_id", "lon", "lat"]].rename(columns={"site_id": "id"})
                od = network.crowfly_times(origins, dests).table
                db.write_traveltimes(
                    od,
                    key=network.traveltimes_key(origins, dests),
                    label=f"indicators {area.name} crowfly",
                )
                notes.append(
                    "no stored road travel times cover this territory and its GP sites: "
                    "straight-line (crowfly) estimates are used; run `accessmap traveltimes` "
                    "for road times"
                )
        communes = pd.DataFrame(
            {
                "id": study["code"].astype(str).to_numpy(),
                "population": study["population"].to_numpy(),
                "in_territory": study["in_territory"].astype(bool).to_numpy(),
            }
        )
        if published is not None:
            pub = published[published["year"] == year][["code", "pop_std"]]
            communes = communes.merge(
                pub.rename(columns={"code": "id"}).astype({"id": str}), on="id", how="left"
            )
        progress.update(task, description="indicateurs par commune")
        result = commune_indicators(
            od, communes=communes, roster=roster, params=params, year=year,
            acts_per_fte=acts_per_fte,
        )  # fmt: skip
        table = result.communes.merge(
            study[["code", "nom", "dep"]].rename(columns={"code": "id"}), on="id", how="left"
        )
        comparison = None
        if published is not None:
            comparison = compare_with_drees(table, published, year=year, ids=area.codes)
            table = table.merge(
                comparison.table[["id", "apl_drees", "apl_u65_drees"]], on="id", how="left"
            )
        table["od_method"] = method
        first = ["id", "nom", "dep"]
        table = table[[*first, *[c for c in table.columns if c not in first]]]
        inside_sites = roster.sites.loc[roster.sites["in_territory"], "site_id"]
        in_area = roster.assignments[roster.assignments["site_id"].isin(set(inside_sites))]
        gps = roster.practitioners[
            roster.practitioners["practitioner_id"].isin(set(in_area["practitioner_id"]))
        ]
        staffed = in_area.merge(gps[["practitioner_id", "fte"]], on="practitioner_id")
        territory_rows = table[table["in_territory"]]
        verdict = zone_deficitaire(
            population=float(territory_rows["population"].sum()),
            nearest=territory_rows[["id", "nearest_minutes"]].rename(
                columns={"nearest_minutes": "minutes"}
            ),
            commune_population=territory_rows[["id", "population"]],
            gp_fte=float((staffed["fte"] * staffed["share"]).sum()),
            gp_activity=gps["activity"],
        )
        with Store.open() as db, db.transaction():
            db.write_table("results_indicators", table)
            db.write_table("results_indicator_bands", result.bands)
            db.write_table("results_indicator_sites", result.sites)
            db.write_table("supply_sites", roster.sites)
            db.write_table("practitioners", roster.practitioners)
            db.write_table("assignments", roster.assignments)
            if comparison is not None:
                db.write_table("results_apl_drees", comparison.table)
            db.record_provenance([*area_sources, *provenance])
        if out is not None:
            atomic_write_bytes(Path(out), table.to_csv(index=False).encode("utf-8"))

    out_console.print(
        f"[bold]{area.name}[/]: APL {result.apl_territory:.2f} consultations/an/habitant "
        f"standardisé (médecins < {params.age_limit} ans : {result.apl_u65_territory:.2f}); "
        f"temps de trajet : {method}"
    )
    bands = Table(title="Temps d'accès au généraliste le plus proche", title_justify="left")
    for col in ("minutes", "communes", "habitants", "part"):
        bands.add_column(col, justify="right")
    for row in result.bands.itertuples():
        bands.add_row(
            str(row.band), str(row.communes), f"{row.population:,.0f}", f"{row.share:.1%}"
        )
    out_console.print(bands)
    classes = table.loc[table["in_territory"], "apl_class"].value_counts()
    out_console.print(
        "Communes par zone APL : "
        + ", ".join(f"{k} {v}" for k, v in classes.items())
        + " (priority < 2,5 ; secondary < 4)"
    )
    out_console.print(
        f"Zone déficitaire (décret 2003-1140) : {verdict.verdict} "
        f"({verdict.met} critère(s) rempli(s), {verdict.unknown} inconnu(s))"
    )
    for crit in verdict.criteria:
        out_console.print(f"  - {crit.label}: {crit.status} ({crit.detail})", highlight=False)
    if comparison is not None:
        out_console.print(
            f"Comparaison DREES {comparison.year} sur {comparison.n} communes : APL publié "
            f"{comparison.apl_drees_mean:.2f} ; Spearman {comparison.spearman:.2f} "
            f"(moins de 65 ans : {comparison.spearman_u65:.2f})"
        )
    for note in (*notes, *result.notes):
        err_console.print(f"[yellow]note[/] {note}", highlight=False)


# --- commands: workforce outlook -------------------------------------------------------------


@app.command("outlook")
def outlook_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster_csv: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="Roster CSV with birth years (docs/roster_template.md). Default: the public GP "
            "sites and counts with ILLUSTRATIVE generated ages.",
        ),
    ] = None,
    scenario_file: Annotated[
        Path | None,
        typer.Option("--scenario", help="Replacement scenario, TOML (see scenario_example.toml)."),
    ] = None,
    runs: Annotated[
        int | None, typer.Option("--runs", help="Monte Carlo runs (default: expected values).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo draws.")] = 0,
    start_year: Annotated[
        int | None, typer.Option("--start-year", help="Today (default: the current year).")
    ] = None,
    horizon: Annotated[int, typer.Option("--horizon", help="Years projected.")] = 15,
    retirement_age: Annotated[
        int | None,
        typer.Option(
            "--retirement-age", help="Fixed retirement age (default: the 60-72 age curve)."
        ),
    ] = None,
    unknown_age: Annotated[
        str,
        typer.Option("--unknown-age", help="GPs without a birth year: territory, exclude or keep."),
    ] = "territory",
    illustrative: Annotated[
        bool | None,
        typer.Option(
            "--illustrative-ages/--no-illustrative-ages",
            help="With --roster: generate illustrative ages (seeded by --seed) for GPs without "
            "a birth year. The demo roster (no --roster) always has illustrative ages.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Directory for the CSV tables (outlook_*.csv)."),
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """GP outlook year by year: retirements, replacements, APL, communes losing their last GP."""
    from typing import cast

    import pandas as pd
    from rich.progress import Progress
    from rich.table import Table

    from accessmap import network, settings
    from accessmap import workforce as wf
    from accessmap.diagnostic import DiagnosticOptions, demand_table, load_inputs, site_points
    from accessmap.errors import MissingDataError, ValidationError
    from accessmap.indicators import od_to_sites
    from accessmap.sources._http import atomic_write_bytes
    from accessmap.store import Store
    from accessmap.territory import points

    if unknown_age not in ("territory", "exclude", "keep"):
        raise ValidationError(
            f"{unknown_age!r} is not a rule.", field="--unknown-age", fix="territory|exclude|keep."
        )
    scenario = None
    if scenario_file is not None:
        try:
            text = Path(scenario_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise MissingDataError(
                f"cannot read the scenario ({exc.strerror}).",
                field=str(scenario_file),
                fix="give the path of a TOML scenario file.",
            ) from None
        scenario = wf.parse_scenario(text, source=str(scenario_file))
    options = DiagnosticOptions(
        territory=territory_spec(territory), buffer_km=buffer_km, online=online,
        roster=roster_csv, start_year=start_year, horizon=max(1, horizon), seed=seed,
    )  # fmt: skip
    notes: list[str] = []
    with settings.override(mirror=mirror, online=online or None, store_path=store):
        with _quiet_warnings():
            inputs = load_inputs(options)  # the demo roster gets illustrative ages here
        area, roster, params = inputs.territory, inputs.roster, inputs.params
        notes.extend(n for n in inputs.notes if "ILLUSTRATIFS" not in n)
        if illustrative and roster_csv is not None:
            roster = wf.illustrative_roster(roster, seed=seed, current_year=start_year)
        origins = points(area.study_area)
        od = None
        with Store.open() as db:
            for stored in db.covering_traveltimes(area.codes):
                try:
                    od = od_to_sites(stored, sites=roster.sites)
                except ValidationError:
                    continue
                break
        if od is None:
            od = network.crowfly_times(origins, site_points(roster)).table
            notes.append(
                "no stored road travel times cover these GP sites: straight-line (crowfly) "
                "estimates are used; run `accessmap traveltimes` for road times"
            )
        if scenario is not None and scenario.sites:
            new_sites = pd.DataFrame(
                [(s.site_id, s.lon, s.lat) for s in scenario.sites], columns=["id", "lon", "lat"]
            )
            od = pd.concat([od, network.crowfly_times(origins, new_sites).table])
            notes.append("the scenario's new sites use straight-line (crowfly) travel times")
        demand = demand_table(inputs)
        rule = cast("wf.UnknownAgeRule", unknown_age)
        model = wf.RetirementModel(fixed_age=retirement_age, unknown_age=rule)
        engine: wf.Engine = "expected" if runs is None else "monte_carlo"
        with Progress(console=err_console, transient=True) as bar, _quiet_warnings():
            task = bar.add_task(f"projection ({engine})", total=runs or 1)
            result = wf.outlook(
                roster, od, demand, scenario=scenario, model=model, engine=engine,
                runs=runs if runs is not None else 1, seed=seed, start_year=start_year,
                horizon=horizon, params=params,
                progress=lambda done, _total: bar.update(task, completed=done),
            )  # fmt: skip
            bar.update(task, completed=runs or 1)
        tables = {
            "workforce": result.workforce,
            "access": result.access,
            "apl": result.apl,
            "losses": result.losses,
            "retirement": result.retirement,
        }
        with Store.open() as db, db.transaction():
            for name, frame in tables.items():
                db.write_table(
                    f"results_outlook_{name}",
                    frame.assign(scenario=result.scenario, engine=result.engine),
                )
            db.record_provenance(list(inputs.provenance))
        if out is not None:
            Path(out).mkdir(parents=True, exist_ok=True)
            for name, frame in tables.items():
                atomic_write_bytes(
                    Path(out) / f"outlook_{name}.csv", frame.to_csv(index=False).encode("utf-8")
                )

    def wide(frame: pd.DataFrame) -> pd.DataFrame:
        rows = frame[frame["zone"] == "territory"]
        return rows.pivot_table(index="year", columns="measure", values="value")

    summary = wide(result.workforce).join(wide(result.access))
    engine_label = (
        "valeurs attendues"
        if result.engine == "expected"
        else f"Monte Carlo, {result.runs:,} tirages, graine {result.seed}"
    )
    if result.caveat:
        err_console.print(
            "[bold yellow]ÂGES ILLUSTRATIFS[/] : les années de naissance des médecins ont été "
            "générées à partir d'une distribution déclarée ; ces projections ne sont pas des "
            "faits.",
            highlight=False,
        )
    table = Table(
        title=f"{area.name} : médecins généralistes et accès, scénario « {result.scenario} » "
        f"({engine_label})",
        title_justify="left",
    )
    for col in (
        "année", "médecins", "ETP", "partis (%)", "APL moyen", "hab. > 20 min", "hab. > 30 min",
        "communes sans médecin",
    ):  # fmt: skip
        table.add_column(col, justify="right")
    for year, row in summary.iterrows():
        table.add_row(
            str(year), f"{row['headcount']:.1f}", f"{row['fte']:.1f}",
            f"{100 * row['share_gone']:.0f}", f"{row['apl_mean']:.2f}",
            f"{row['pop_beyond_20']:,.0f}", f"{row['pop_beyond_30']:,.0f}",
            f"{row['communes_without_gp']:.1f}",
        )  # fmt: skip
    out_console.print(table)
    risk = result.communes_at_risk(min_probability=0.5)
    risk = risk[risk["zone"] == "territory"].merge(
        area.study_area[["code", "nom"]].rename(columns={"code": "commune_code"}), how="left"
    )
    if len(risk):
        out_console.print(
            f"Communes qui risquent de perdre leur dernier médecin d'ici {max(result.years)} "
            "(probabilité >= 50 %, année où ce seuil est atteint) : "
            + ", ".join(f"{r.nom} ({r.commune_code}) {r.year}" for r in risk.itertuples()),
            highlight=False,
        )
    else:
        out_console.print(
            f"Aucune commune n'a plus d'une chance sur deux de perdre son dernier médecin d'ici "
            f"{max(result.years)}."
        )
    for note in notes:
        err_console.print(f"[yellow]note[/] {note}", highlight=False)


# --- commands: siting and scenarios ----------------------------------------------------------


def _id_list(value: str | None, *, option: str) -> list[str]:
    """Ids from ``a,b,c`` or from a file (one id per line, or a CSV whose first column is ids)."""
    from accessmap.errors import MissingDataError

    if not value:
        return []
    path = Path(value)
    if path.suffix.lower() in (".txt", ".csv") or path.is_file():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise MissingDataError(
                f"cannot read the id file ({exc.strerror}).",
                field=option,
                fix="give comma-separated ids or an existing .txt/.csv file.",
            ) from None
        ids = [line.split(",")[0].strip().strip('"') for line in lines if line.strip()]
        return [i for i in ids if i and i.lower() not in ("id", "code", "site_id")]
    return [part.strip() for part in value.split(",") if part.strip()]


def _siting_inputs(
    spec: str, *, buffer_km: float, roster_csv: Path | None, notes: list[str]
) -> dict[str, object]:
    """Territory, roster, APL parameters, demand and the travel times siting needs.

    Travel times cover every study-area commune (town hall) to the roster's GP sites and to the
    candidate sites (the territory's town halls): the newest stored table that has them all (road
    first), else a crowfly estimate for all of them (never a mix), written to the store.
    """
    import pandas as pd

    from accessmap import network
    from accessmap.diagnostic import demand_from
    from accessmap.errors import MissingDataError
    from accessmap.indicators import AplParameters, site_activity
    from accessmap.sources import load_apl_parameters, load_apl_published
    from accessmap.sources.roster import territory_roster
    from accessmap.store import Store
    from accessmap.territory import load_territory, points

    provenance: list[SourceFile] = []
    area_sources: list[SourceFile] = []
    with _quiet_warnings():
        area = load_territory(spec, buffer_km=buffer_km, provenance=area_sources)
        study = area.study_area
        roster = territory_roster(area, path=roster_csv, provenance=provenance)
        try:
            params = load_apl_parameters(provenance=provenance)
        except MissingDataError:
            params = AplParameters()
        try:
            published = load_apl_published(provenance=provenance)
        except MissingDataError:
            published = None
    origins = points(study)
    halls = origins[origins["id"].isin(set(area.codes))]
    sites = roster.sites[["site_id", "lon", "lat"]].rename(columns={"site_id": "id"})
    dests = pd.concat([sites, halls[["id", "lon", "lat"]]]).drop_duplicates("id")
    needed = set(dests["id"].astype(str))
    od = None
    with Store.open() as db:
        for stored in db.covering_traveltimes(area.codes):
            if needed <= set(stored["dest_id"].astype(str)):
                od = stored[stored["dest_id"].astype(str).isin(needed)]
                break
        if od is None:
            od = network.crowfly_times(origins, dests).table
            db.write_traveltimes(
                od,
                key=network.traveltimes_key(origins, dests),
                label=f"siting {area.name} crowfly",
            )
            notes.append(
                "no stored travel-time table covers the GP sites and the candidate town halls: "
                "straight-line (crowfly) estimates are used for all of them"
            )
        db.record_provenance([*area_sources, *provenance])
    demand = demand_from(study, published).drop(columns="in_territory")
    supply = site_activity(roster, params=params)[["site_id", "acts"]]
    return {
        "area": area, "roster": roster, "params": params, "od": od, "demand": demand,
        "supply": supply, "candidates": sorted(halls["id"].astype(str)),
    }  # fmt: skip


def _supply_in(year: int | None, inputs: dict[str, object], notes: list[str]) -> object:
    """GP supply per site in ``year`` (expected, no replacements); today's when ``year`` is None."""
    from typing import cast

    from accessmap import workforce as wf
    from accessmap.indicators import AplParameters
    from accessmap.scenarios import expected_supply
    from accessmap.supply import Roster

    if year is None:
        return inputs["supply"]
    roster = cast("Roster", inputs["roster"])
    if roster.practitioners["birth_year"].isna().all():
        roster = wf.illustrative_roster(roster, seed=0)
        notes.append(
            "ÂGES ILLUSTRATIFS : sans années de naissance, l'offre future est calculée avec des "
            "âges générés ; ce ne sont pas des faits (--roster pour un fichier réel)"
        )
    return expected_supply(roster, year=year, params=cast("AplParameters", inputs["params"]))


SitingModelOption = Annotated[
    str,
    typer.Option(
        "--model",
        help="mclp, lscp, p-median, p-center, volunteer (Médecins Solidaires centres) or rotation "
        "(MilleSoins days).",
    ),
]


@app.command("site")
def site_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    model: SitingModelOption = "mclp",
    p: Annotated[int | None, typer.Option("--p", min=0, help="New sites to open.")] = None,
    minutes: Annotated[
        float, typer.Option("--minutes", help="Coverage threshold T: covered means t < T.")
    ] = 20.0,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="Outlook year: existing sites count only if still staffed (expected FTE >= 0.5).",
        ),
    ] = None,
    roster_csv: Annotated[
        Path | None, typer.Option("--roster", help="Roster CSV (docs/roster_template.md).")
    ] = None,
    candidates: Annotated[
        str | None,
        typer.Option(
            "--candidates", help="Candidate ids (a,b,c or a file). Default: the town halls."
        ),
    ] = None,
    exclude: Annotated[
        str | None, typer.Option("--exclude", help="Candidate ids never to open (a,b or a file).")
    ] = None,
    mandatory: Annotated[
        str | None, typer.Option("--mandatory", help="Sites that must be open (a,b or a file).")
    ] = None,
    existing: Annotated[
        bool,
        typer.Option("--existing/--no-existing", help="Keep today's GP sites open in the model."),
    ] = True,
    volunteer_weeks: Annotated[
        float, typer.Option("--volunteer-weeks", help="Volunteer-weeks per centre and year.")
    ] = 48.0,
    patients_per_fte: Annotated[
        float, typer.Option("--patients-per-fte", help="Patients per full-time GP (assumption).")
    ] = 1000.0,
    must_serve: Annotated[
        bool, typer.Option("--must-serve", help="Volunteer model: all unserved demand served.")
    ] = False,
    team_days: Annotated[
        float | None, typer.Option("--team-days", help="Rotation: team doctor-days per week.")
    ] = None,
    greedy: Annotated[bool, typer.Option("--greedy", help="Heuristic only (no MIP).")] = False,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Solver seconds.")] = 60.0,
    gap: Annotated[float, typer.Option("--gap", help="Relative MIP gap.")] = 1e-6,
    threads: Annotated[int | None, typer.Option("--threads", help="Solver threads.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the per-commune assignment to this CSV.")
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Where new sites help most: exact siting models (HiGHS) and their effect on access."""
    import math
    from typing import Any, cast

    import pandas as pd
    from rich.table import Table

    from accessmap import scenarios, settings, siting
    from accessmap.errors import ValidationError
    from accessmap.indicators import AplParameters
    from accessmap.sources._http import atomic_write_bytes
    from accessmap.store import Store
    from accessmap.supply import Roster
    from accessmap.territory import Territory

    name = model.strip().lower().replace("-", "_")
    name = {"volunteer": "volunteer_centres", "volunteers": "volunteer_centres"}.get(name, name)
    if name not in (*siting.MODELS, "rotation"):
        raise ValidationError(
            f"unknown model {model!r}.",
            field="--model",
            fix="use mclp, lscp, p-median, p-center, volunteer or rotation.",
        )
    if name == "rotation" and team_days is None:
        raise ValidationError("rotation needs the team's days.", field="--team-days", fix="e.g. 24")
    if name not in ("lscp", "rotation") and p is None:
        raise ValidationError(f"{model} needs --p.", field="--p", fix="give --p 1, 2 or 3.")
    spec = territory_spec(territory)
    notes: list[str] = []
    solver = siting.SolverOptions(time_limit=time_limit, mip_rel_gap=gap, threads=threads)
    with settings.override(mirror=mirror, online=online or None, store_path=store):
        with err_console.status("données et temps de trajet"):
            inputs = _siting_inputs(spec, buffer_km=buffer_km, roster_csv=roster_csv, notes=notes)
        od = cast("pd.DataFrame", inputs["od"])
        demand_all = cast("pd.DataFrame", inputs["demand"])
        area = cast("Territory", inputs["area"])
        roster = cast("Roster", inputs["roster"])
        params = cast("AplParameters", inputs["params"])
        codes = set(area.codes)
        supply = cast("pd.DataFrame", _supply_in(year, inputs, notes))
        staffed = scenarios.staffed_sites(supply)
        fixed = [*(staffed if existing else []), *_id_list(mandatory, option="--mandatory")]
        cands = _id_list(candidates, option="--candidates") or cast(
            "list[str]", inputs["candidates"]
        )
        cands = [c for c in cands if c not in set(fixed)]
        demand = demand_all[demand_all["id"].isin(codes)]
        kwargs: dict[str, Any] = {
            "candidates": cands, "exclude": _id_list(exclude, option="--exclude"),
            "fixed": list(dict.fromkeys(fixed)), "method": "greedy" if greedy else "exact",
            "solver": solver,
        }  # fmt: skip
        with err_console.status(f"optimisation ({name}, HiGHS)"):
            if name == "rotation":
                kwargs["fixed"] = _id_list(mandatory, option="--mandatory")
                result = siting.rotation(
                    od, demand, team=float(team_days or 0), minutes=minutes, **kwargs
                )
            elif name == "volunteer_centres":
                unserved = siting.unserved_demand(
                    demand, od=od, existing_sites=[s for s in fixed if s in set(od["dest_id"])],
                    minutes=minutes,
                )  # fmt: skip
                vc = siting.VolunteerCentreParameters(
                    volunteer_weeks=volunteer_weeks, patients_per_fte=patients_per_fte
                )
                kwargs["fixed"] = _id_list(mandatory, option="--mandatory")
                result = siting.volunteer_centres(
                    od, unserved, p=int(p or 0), minutes=minutes, params=vc, must_serve=must_serve,
                    **kwargs,
                )  # fmt: skip
            else:
                result = siting.run_model(name, od, demand, p=p, minutes=minutes, **kwargs)
            option = scenarios.option_from_result(result, supply=supply, year=year)
            base = scenarios.ScenarioOption(
                name="Statu quo" if year is None else f"Statu quo {year}", supply=supply, year=year
            )
            comparison = scenarios.compare(
                [base, option], od=od, demand=demand_all,
                supply=cast("pd.DataFrame", inputs["supply"]), params=params,
                site_communes=roster.sites, territory=codes,
                bands=sorted({10.0, 20.0, 30.0, float(minutes)}),
            )  # fmt: skip
        study = area.study_area
        names = dict(zip(study["code"].astype(str), study["nom"].astype(str), strict=True))
        site_commune = dict(
            zip(roster.sites["site_id"], roster.sites["commune_code"].map(names), strict=True)
        )
        names = {**{k: v for k, v in site_commune.items() if isinstance(v, str)}, **names}
        assignment = result.assignment.assign(
            nom=result.assignment["id"].map(names), model=result.model
        )
        with Store.open() as db, db.transaction():
            db.write_table("results_siting", result.site_table.assign(model=result.model))
            db.write_table("results_siting_assignment", assignment)
            db.write_table("results_siting_comparison", comparison.summary)
        if out is not None:
            atomic_write_bytes(Path(out), assignment.to_csv(index=False).encode("utf-8"))

    label = {"max": "à maximiser", "min": "à minimiser"}[result.sense]
    out_console.print(
        f"[bold]{area.name}[/] ({year or 'aujourd’hui'}) : modèle {result.model}, statut "
        f"{result.status}, objectif {result.objective:,.2f} ({label}), "
        + (
            "sans borne (heuristique)"
            if math.isnan(result.gap)
            else f"écart prouvé {result.gap:.2%}"
        )
        + f", {result.solve_seconds:.2f} s",
        highlight=False,
    )
    if result.heuristic_gap is not None:
        out_console.print(f"Heuristique gloutonne : écart à l'optimum {result.heuristic_gap:.2%}")
    sites_table = Table(
        title=f"Sites retenus ({len(result.fixed)} site(s) existant(s) ou imposé(s) restent "
        "ouverts ; ceux qui servent quelqu'un sont listés)",
        title_justify="left",
    )
    for col in ("site", "commune", "nouveau", "servis", "capacité", "jours/sem."):
        sites_table.add_column(col, justify="right")
    st = result.site_table
    st = st[st["new"].astype(bool) | (st["served"] > 0) | st["days_per_week"].notna()]
    for site, new, load, capacity, days in zip(
        st["site_id"].astype(str), st["new"].astype(bool), st["served"].astype(float),
        st["capacity"].astype(float), st["days_per_week"].astype(float), strict=True,
    ):  # fmt: skip
        sites_table.add_row(
            site, str(names.get(site, "")), "oui" if new else "non", f"{load:,.0f}",
            "" if math.isnan(capacity) else f"{capacity:,.0f}",
            "" if math.isnan(days) else f"{days:g}",
        )  # fmt: skip
    out_console.print(sites_table)
    _print_comparison(comparison.summary)
    gain = comparison.summary.get(f"share_within_{float(minutes):g}")
    if name == "mclp" and gain is not None and abs(gain.iloc[-1] - gain.iloc[0]) < 1e-12:
        notes.append(
            f"les sites existants couvrent déjà toute la population couvrable à moins de "
            f"{minutes:g} min : les nouveaux sites n'y ajoutent rien et leur choix est arbitraire "
            "parmi des ex aequo (essayez --model p-median, un seuil plus court ou --year)"
        )
    for note in notes:
        err_console.print(f"[yellow]note[/] {note}", highlight=False)


def _print_comparison(summary: object) -> None:
    """Print the options side by side (French labels)."""
    from typing import cast

    import pandas as pd
    from rich.table import Table

    frame = cast("pd.DataFrame", summary)
    table = Table(title="Options comparées", title_justify="left")
    columns = [
        ("option", "option", "{}"), ("année", "year", "{}"),
        ("nouveaux sites", "new_sites", "{}"), ("ETP ajoutés", "new_fte", "{:.2g}"),
        ("hab. < 10 min", "pop_within_10", "{:,.0f}"), ("< 20 min", "pop_within_20", "{:,.0f}"),
        ("< 30 min", "pop_within_30", "{:,.0f}"), ("temps moyen", "mean_minutes", "{:.1f}"),
        ("temps max", "max_minutes", "{:.1f}"), ("APL", "apl_territory", "{:.2f}"),
        ("communes APL < 2,5", "communes_apl_below", "{}"),
        ("hab. APL < 2,5", "pop_apl_below", "{:,.0f}"),
        ("pertes du dernier médecin", "communes_losing_last_gp", "{}"),
        ("pertes évitées", "losing_last_gp_avoided", "{}"),
    ]  # fmt: skip
    table.add_column("indicateur")
    for name in frame["option"].astype(str):
        table.add_column(name, justify="right")
    for label, col, fmt in columns[1:]:
        if col not in frame.columns:
            continue
        table.add_row(label, *("" if pd.isna(v) else fmt.format(v) for v in frame[col]))
    out_console.print(table)


@app.command("compare")
def compare_command(
    scenarios_file: Annotated[
        Path,
        typer.Option("--scenarios", help="Options to compare, TOML or JSON (docs/siting.md)."),
    ],
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster_csv: Annotated[
        Path | None, typer.Option("--roster", help="Roster CSV (docs/roster_template.md).")
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Solver seconds.")] = 60.0,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Directory for compare_summary.csv and compare_communes.csv."),
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Compare siting options side by side (status quo, models, centres, rotas, future years)."""
    import json
    import tomllib
    from typing import cast

    import pandas as pd

    from accessmap import scenarios, settings, siting
    from accessmap.errors import MissingDataError, ValidationError
    from accessmap.indicators import AplParameters
    from accessmap.sources._http import atomic_write_bytes
    from accessmap.store import Store
    from accessmap.supply import Roster
    from accessmap.territory import Territory

    try:
        text = Path(scenarios_file).read_text(encoding="utf-8")
    except OSError as exc:
        raise MissingDataError(
            f"cannot read the scenario file ({exc.strerror}).",
            field="--scenarios",
            fix="give the path of a TOML or JSON file (docs/siting.md).",
        ) from None
    try:
        spec = (
            json.loads(text)
            if Path(scenarios_file).suffix.lower() == ".json"
            else tomllib.loads(text)
        )
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(
            f"cannot parse the scenario file ({exc}).",
            field="--scenarios",
            fix="check its TOML/JSON syntax (docs/siting.md).",
        ) from None
    if territory is None and isinstance(spec.get("territory"), str):
        territory = spec["territory"]
    spec_text = territory_spec(territory)
    notes: list[str] = []
    with settings.override(mirror=mirror, online=online or None, store_path=store):
        with err_console.status("données et temps de trajet"):
            inputs = _siting_inputs(
                spec_text, buffer_km=buffer_km, roster_csv=roster_csv, notes=notes
            )
        od = cast("pd.DataFrame", inputs["od"])
        demand_all = cast("pd.DataFrame", inputs["demand"])
        area = cast("Territory", inputs["area"])
        roster = cast("Roster", inputs["roster"])
        codes = set(area.codes)
        supply = cast("pd.DataFrame", inputs["supply"])
        cache: dict[int, pd.DataFrame] = {}

        def supply_for_year(year: int) -> pd.DataFrame:
            if year not in cache:
                cache[year] = cast("pd.DataFrame", _supply_in(year, inputs, notes))
            return cache[year]

        with err_console.status("options (HiGHS)"):
            options = scenarios.options_from_spec(
                {**spec, "option": [
                    {"candidates": inputs["candidates"], **o} if "model" in o else o
                    for o in spec.get("option", [])
                    if isinstance(o, dict)
                ]},
                od=od, demand=demand_all[demand_all["id"].isin(codes)],
                supply_for_year=supply_for_year,
                existing_sites=scenarios.staffed_sites(supply),
                solver=siting.SolverOptions(time_limit=time_limit),
            )  # fmt: skip
            comparison = scenarios.compare(
                options, od=od, demand=demand_all, supply=supply,
                params=cast("AplParameters", inputs["params"]), site_communes=roster.sites,
                territory=codes,
            )  # fmt: skip
        with Store.open() as db, db.transaction():
            db.write_table("results_scenarios", comparison.summary)
            db.write_table("results_scenarios_communes", comparison.communes)
        if out is not None:
            Path(out).mkdir(parents=True, exist_ok=True)
            for name, frame in (("summary", comparison.summary), ("communes", comparison.communes)):
                atomic_write_bytes(
                    Path(out) / f"compare_{name}.csv", frame.to_csv(index=False).encode("utf-8")
                )
    out_console.print(f"[bold]{area.name}[/] : {len(options)} options")
    _print_comparison(comparison.summary)
    for option in options:
        out_console.print(f"  {option.name} : {option.description}", highlight=False)
    for note in dict.fromkeys(notes):
        err_console.print(f"[yellow]note[/] {note}", highlight=False)


# --- commands: report and diagnose -----------------------------------------------------------


@app.command("diagnose")
def diagnose_command(
    territory: TerritoryOption = "montagne-limousine",
    buffer_km: BufferOption = 30.0,
    osm: Annotated[
        Path | None, typer.Option("--osm", help="Local road file (.osm, .osm.pbf, .graphml).")
    ] = None,
    roster: Annotated[
        Path | None, typer.Option("--roster", help="GP roster CSV (docs/roster_template.md).")
    ] = None,
    scenario: Annotated[
        Path | None, typer.Option("--scenario", help="Replacement scenario (TOML).")
    ] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, help="Monte Carlo runs.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of every random step.")] = 0,
    minutes: Annotated[
        float, typer.Option("--minutes", min=1.0, help="Coverage threshold of siting (t < T).")
    ] = 10.0,
    start_year: Annotated[
        int | None, typer.Option("--start-year", help="First year of the outlook.")
    ] = None,
    winter: Annotated[bool, typer.Option("--winter", help="Winter road speeds.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default reports/<territory>).")
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Run the whole diagnostic and write reports/<territory>/diagnostic.html, .gpkg and CSVs."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from accessmap import settings
    from accessmap.diagnostic import DiagnosticOptions, run_diagnostic
    from accessmap.report import verdict, write_report
    from accessmap.store import Store

    options = DiagnosticOptions(
        territory=territory or "montagne-limousine",
        buffer_km=buffer_km,
        osm=osm,
        online=online,
        winter=winter,
        roster=roster,
        scenario=scenario,
        runs=runs,
        seed=seed,
        minutes=minutes,
        start_year=start_year,
    )
    slug = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in options.territory)[:60]
    target = out or Path("reports") / slug
    steps = [
        "territoire et offre de soins", "temps de trajet", "indicateurs (temps, APL)",
        "départs en retraite", "implantations (HiGHS)", "comparaison des options", "isochrones",
    ]  # fmt: skip
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with (
        settings.override(mirror=mirror, online=online or None, store_path=store),
        _quiet_warnings(),
        Progress(*columns, console=err_console, transient=False) as progress,
        Store.open() as db,
    ):
        task = progress.add_task("diagnostic", total=len(steps) + 1)
        seen: list[str] = []

        def advance(step: str) -> None:
            if step in steps and step not in seen:
                seen.append(step)
                progress.update(task, completed=len(seen) - 1, description=step)

        diagnostic = run_diagnostic(options, store=db, progress=advance)
        progress.update(task, completed=len(steps), description="rapport")
        files = write_report(diagnostic, target)
        with db.transaction():
            db.record_provenance(diagnostic.inputs.provenance)
            db.write_table("results_communes", diagnostic.indicators.communes)
            db.write_table("results_options", diagnostic.comparison)
            db.write_table("results_outlook", diagnostic.outlook.workforce)
        progress.update(task, completed=len(steps) + 1, description="terminé")
    summary = verdict(diagnostic)
    for note in diagnostic.warnings[:2]:
        err_console.print(f"[yellow]attention[/] {note}", highlight=False)
    out_console.print(
        f"[bold]{summary.territory}[/]: {summary.population:,} habitants, APL {summary.apl:.2f}, "
        f"{summary.pop_beyond_20:,.0f} habitants à 20 min ou plus d'un médecin."
    )
    out_console.print(f"rapport  {files.html}\ncouches  {files.geopackage}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (2 on a clear :class:`AccessmapError`).

    Parameters
    ----------
    argv
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 on an accessmap error, typer's code otherwise.
    """
    args = sys.argv[1:] if argv is None else argv
    _STATE["debug"] = "--debug" in args
    try:
        app(args=args, standalone_mode=False)
    except AccessmapError as exc:
        if _STATE["debug"]:
            raise
        err_console.print(f"[bold red]error[/] {exc}", highlight=False, soft_wrap=True)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        return 1
    except TyperException as exc:  # usage errors (unknown option...) carry their own exit code
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"[bold red]error[/] {exc.format_message()}", highlight=False)
        return int(exc.exit_code)
    return 0


def run() -> None:
    """Console-script entry point: exit with :func:`main`'s code."""
    raise SystemExit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
