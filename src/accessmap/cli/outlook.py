"""Command ``outlook``: practitioners year by year (retirements, replacements, access)."""

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
    RosterOption,
    SeedOption,
    StoreOption,
    TerritoryOption,
    WinterOption,
    escape,
    input_options,
    note,
    out_console,
    progress_bar,
    quiet_warnings,
    use_settings,
    warn,
)

if TYPE_CHECKING:
    from accessmap.diagnostic import DiagnosticOptions
    from accessmap.inputs import InputOptions, Inputs
    from accessmap.workforce import Outlook

__all__ = ["outlook_command"]

_MIN_YEAR, _MAX_YEAR, _MAX_HORIZON = 2000, 2100, 40


def _print(inputs: Inputs, result: Outlook) -> None:
    from rich.table import Table

    from accessmap.labels import fmt_float, fmt_int, label

    def wide(frame: object) -> object:
        rows = frame[frame["zone"] == "territory"]  # type: ignore[index]
        return rows.pivot_table(index="year", columns="measure", values="value")

    summary = wide(result.workforce).join(wide(result.access))  # type: ignore[attr-defined]
    engine = label("engine", result.engine)
    if result.engine == "monte_carlo":
        engine += f", {fmt_int(result.runs)} tirages, graine {result.seed}"
    if result.caveat:
        warn(
            "ÂGES ILLUSTRATIFS : années de naissance générées selon une distribution déclarée ; "
            "ces projections ne sont pas des faits."
        )
    from accessmap.indicators import profession_parameters

    spec = profession_parameters(result.profession)
    who = spec.label.lower()
    table = Table(
        title=f"{escape(inputs.territory.name)} : {escape(who)} et accès, scénario "
        f"« {escape(label('scenario', result.scenario))} » ({engine})",
        title_justify="left",
    )
    for col in (
        "année", "praticiens", "ETP", "partis (%)", f"APL ({spec.unit})", "hab. ≥ 20 min",
        "hab. ≥ 30 min", "communes sans praticien",
    ):  # fmt: skip
        table.add_column(col, justify="right")
    for year, row in summary.iterrows():
        table.add_row(
            str(year), fmt_float(row["headcount"], 1), fmt_float(row["fte"], 1),
            fmt_float(100 * row["share_gone"], 0), fmt_float(row["apl_mean"] * spec.scale, 2),
            fmt_int(row["pop_beyond_20"]), fmt_int(row["pop_beyond_30"]),
            fmt_float(row["communes_without_gp"], 1),
        )  # fmt: skip
    out_console.print(table)
    risk = result.communes_at_risk(min_probability=0.5)
    risk = risk[risk["zone"] == "territory"].merge(
        inputs.territory.study_area[["code", "nom"]].rename(columns={"code": "commune_code"}),
        how="left",
    )
    last = max(result.years)
    if len(risk):
        out_console.print(
            f"Communes qui risquent de perdre leur dernier médecin d'ici {last} (probabilité ≥ "
            "50 %, année du seuil) : "
            + ", ".join(
                f"{escape(str(r.nom))} ({r.commune_code}) {r.year}" for r in risk.itertuples()
            )
        )
    else:
        out_console.print(
            "Aucune commune n'a plus d'une chance sur deux de perdre son dernier médecin "
            f"d'ici {last}."
        )


def _run(
    options: InputOptions,
    diag: DiagnosticOptions,
    *,
    out: Path | None,
    monte_carlo: bool,
    profession: str,
) -> tuple[Inputs, Outlook]:
    """Compute the outlook, then store it (and write CSVs) in one transaction."""
    from accessmap.conventions import INDICATOR_HORIZON
    from accessmap.diagnostic import compute_outlook
    from accessmap.diagnostic.measures import inputs_for_profession
    from accessmap.inputs import compute_traveltimes, load_inputs, store_traveltimes
    from accessmap.sources import write_csv
    from accessmap.store import Store

    with Store.open() as db:
        with quiet_warnings(), progress_bar() as step:
            step("territoire et offre de soins")
            inputs = inputs_for_profession(load_inputs(options), profession)
            times, _road = compute_traveltimes(
                inputs.territory, inputs.roster, inputs.roads, winter=options.winter,
                horizon=INDICATOR_HORIZON, candidates=False, store=db, progress=step,
            )  # fmt: skip
            step("projection")
            (result,) = compute_outlook(
                inputs, times, diag, engines=("monte_carlo",) if monte_carlo else ("expected",),
                profession=profession,
            )  # fmt: skip
        tables = {
            "workforce": result.workforce, "access": result.access, "apl": result.apl,
            "losses": result.losses, "retirement": result.retirement, "coverage": result.coverage,
        }  # fmt: skip
        with db.transaction():
            store_traveltimes(db, times, label=f"outlook {inputs.territory.name}")
            for name, frame in tables.items():
                db.write_table(
                    f"results_outlook_{name}",
                    frame.assign(scenario=result.scenario, engine=result.engine),
                )
                if out is not None:
                    write_csv(frame, Path(out) / f"outlook_{name}.csv")
            db.record_provenance(inputs.provenance)
    return inputs, result


def _check_years(start_year: int | None, horizon: int) -> None:
    from accessmap.errors import ValidationError

    if start_year is not None and not _MIN_YEAR <= start_year <= _MAX_YEAR:
        raise ValidationError(
            f"{start_year}.",
            field="--start-year",
            fix=f"give a year between {_MIN_YEAR} and {_MAX_YEAR}.",
        )
    if not 1 <= horizon <= _MAX_HORIZON:
        raise ValidationError(
            f"{horizon} years.", field="--horizon", fix=f"give 1 to {_MAX_HORIZON} years."
        )


@app.command("outlook", cls=FrenchCommand)
def outlook_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster: RosterOption = None,
    profession: Annotated[
        str,
        typer.Option(
            "--profession",
            help="generaliste (défaut), infirmier, masseur_kinesitherapeute, sage_femme, "
            "chirurgien_dentiste ou pharmacie.",
        ),
    ] = "generaliste",
    scenario_file: Annotated[
        Path | None,
        typer.Option("--scenario", help="Scénario de remplacement, TOML (scenario_example.toml)."),
    ] = None,
    runs: Annotated[
        int | None, typer.Option("--runs", min=1, max=100_000, help="Tirages Monte-Carlo.")
    ] = None,
    seed: SeedOption = 0,
    start_year: Annotated[
        int | None, typer.Option("--start-year", help="Première année (défaut : cette année).")
    ] = None,
    horizon: Annotated[int, typer.Option("--horizon", help="Années projetées.")] = 15,
    retirement_age: Annotated[
        int | None,
        typer.Option("--retirement-age", help="Âge de départ fixe (défaut : courbe 60-72 ans)."),
    ] = None,
    unknown_age: Annotated[
        str,
        typer.Option(
            "--unknown-age",
            help="Praticiens sans année de naissance : territory, exclude ou keep.",
        ),
    ] = "territory",
    illustrative: Annotated[
        bool,
        typer.Option(
            "--illustrative-ages",
            help="Avec --roster : âges ILLUSTRATIFS pour les praticiens sans année de naissance.",
        ),
    ] = False,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    winter: WinterOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Dossier des tableaux CSV (outlook_*.csv).")
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Médecins année par année : départs, remplacements, APL, communes sans médecin."""
    from accessmap.diagnostic import DiagnosticOptions

    _check_years(start_year, horizon)
    options = input_options(
        territory, buffer_km=buffer_km, roster=roster, osm=osm, crowfly=crowfly, online=online,
        winter=winter, seed=seed, illustrative_ages=illustrative,
    )  # fmt: skip
    diag = DiagnosticOptions(
        territory=options.territory, buffer_km=buffer_km, roster=roster, scenario=scenario_file,
        start_year=start_year, horizon=horizon, runs=runs or 1, seed=seed, osm=osm,
        crowfly=crowfly, online=online, winter=winter, retirement_age=retirement_age,
        unknown_age=unknown_age, illustrative_ages=illustrative,
    )  # fmt: skip
    with use_settings(mirror=mirror, store=store, online=online):
        inputs, result = _run(
            options, diag, out=out, monte_carlo=runs is not None, profession=profession
        )
    _print(inputs, result)
    for text in inputs.notes:
        note(text)
