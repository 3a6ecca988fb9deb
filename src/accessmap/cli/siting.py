"""Commands ``site`` (one siting model) and ``compare`` (an options file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
    id_list,
    input_options,
    note,
    out_console,
    progress_bar,
    quiet_warnings,
    use_settings,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from accessmap.diagnostic.answers import SiteAnswer
    from accessmap.inputs import InputOptions, Inputs
    from accessmap.network import TravelTimes
    from accessmap.store import Store

__all__ = ["compare_command", "site_command"]

_COLUMNS = (
    ("année", "year", "year"), ("nouveaux sites", "new_sites", "text"),
    ("ETP ajoutés", "new_fte", "float1"), ("hab. < 10 min", "pop_within_10", "int"),
    ("hab. < 20 min", "pop_within_20", "int"), ("hab. < 30 min", "pop_within_30", "int"),
    ("temps moyen (min)", "mean_minutes", "float1"), ("temps max (min)", "max_minutes", "float1"),
    ("APL", "apl_territory", "apl"), ("communes APL < 2,5", "communes_apl_below", "int"),
    ("hab. APL < 2,5", "pop_apl_below", "int"),
    ("pertes du dernier médecin", "communes_losing_last_gp", "int"),
    ("pertes évitées", "losing_last_gp_avoided", "int"),
)  # fmt: skip


def _cell(kind: str, value: Any) -> str:
    import pandas as pd

    from accessmap.labels import fmt_float, fmt_int

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    formats: dict[str, Callable[[Any], str]] = {
        "int": fmt_int, "float1": lambda v: fmt_float(v, 1),
        "apl": lambda v: fmt_float(v, 2), "year": lambda v: str(int(v)), "text": str,
    }  # fmt: skip
    return escape(formats[kind](value))


def print_comparison(summary: pd.DataFrame) -> None:
    """Print options side by side (French labels, French numbers)."""
    from rich.table import Table

    table = Table(title="Options comparées", title_justify="left")
    table.add_column("indicateur")
    for name in summary["option"].astype(str):
        table.add_column(escape(name), justify="right")
    for label, col, kind in _COLUMNS:
        if col in summary.columns:
            table.add_row(label, *(_cell(kind, v) for v in summary[col]))
    out_console.print(table)


def _print_answer(inputs: Inputs, answer: SiteAnswer) -> None:
    import math

    from accessmap.diagnostic.answers import site_names
    from accessmap.labels import fmt_float, label

    result = answer.result
    gap = (
        "sans borne (heuristique)"
        if math.isnan(result.gap)
        else f"écart prouvé {fmt_float(100 * result.gap, 2)} %"
    )
    when = "aujourd'hui" if answer.year is None else str(answer.year)
    out_console.print(
        f"[bold]{escape(inputs.territory.name)}[/] ({when}) : {label('model', result.model)}, "
        f"{label('status', result.status)}, objectif {fmt_float(result.objective, 2)}, {gap}"
    )
    names = site_names(inputs)
    new = [s for s in result.sites if s not in set(result.fixed)]
    out_console.print(
        "Sites retenus : " + (", ".join(f"{escape(names.get(s, s))} ({s})" for s in new) or "aucun")
    )
    print_comparison(answer.comparison.summary)
    for text in (*answer.notes, *getattr(result, "notes", ())):
        note(text)


def _inputs_and_times(
    options: InputOptions, winter: bool | None, profession: str = "generaliste"
) -> tuple[Inputs, TravelTimes]:
    """Load inputs and travel times; nothing is written (the caller stores all on success)."""
    from accessmap.diagnostic.measures import inputs_for_profession
    from accessmap.inputs import compute_traveltimes, load_inputs
    from accessmap.store import Store

    with quiet_warnings(), progress_bar() as step, Store.open() as db:
        step("territoire et offre de soins")
        inputs = inputs_for_profession(load_inputs(options), profession)
        times, _road = compute_traveltimes(
            inputs.territory, inputs.roster, inputs.roads, winter=winter, store=db, progress=step
        )
    return inputs, times


def _store_inputs(db: Store, inputs: Inputs, times: TravelTimes) -> None:
    from accessmap.inputs import store_traveltimes

    store_traveltimes(db, times, label=f"siting {inputs.territory.name}")
    db.record_provenance(inputs.provenance)


def _store_answer(inputs: Inputs, times: TravelTimes, answer: SiteAnswer) -> None:
    from accessmap.store import Store

    with Store.open() as db, db.transaction():
        _store_inputs(db, inputs, times)
        db.write_table("results_siting", answer.result.site_table.assign(model=answer.result.model))
        db.write_table("results_siting_assignment", answer.result.assignment)
        db.write_table("results_siting_comparison", answer.comparison.summary)


ModelOption = Annotated[
    str,
    typer.Option(
        "--model",
        help="mclp, lscp, p-median, p-center, volunteer (centre Médecins Solidaires) ou "
        "rotation (jours MilleSoins).",
    ),
]
POption = Annotated[int | None, typer.Option("--p", min=1, max=50, help="Nouveaux sites.")]
MinutesOption = Annotated[
    float | None,
    typer.Option("--minutes", min=1.0, max=120.0, help="Seuil de couverture T (t < T)."),
]
YearOption = Annotated[
    int | None,
    typer.Option("--year", min=2000, max=2100, help="Année de projection (sites encore pourvus)."),
]
ProfessionOption = Annotated[
    str,
    typer.Option(
        "--profession",
        help="Profession dont on place les sites : generaliste (défaut), infirmier, "
        "masseur_kinesitherapeute, sage_femme, chirurgien_dentiste, pharmacie.",
    ),
]
CandidatesOption = Annotated[
    str | None, typer.Option(help="Candidats (a,b,c ou un fichier ; défaut : les mairies).")
]
ExcludeOption = Annotated[str | None, typer.Option(help="Candidats exclus (a,b ou un fichier).")]
MandatoryOption = Annotated[str | None, typer.Option(help="Sites imposés (a,b ou un fichier).")]
MinPopulationOption = Annotated[
    float | None,
    typer.Option("--min-population", min=0, help="Règle d'accueil : population minimale."),
]
PremisesOption = Annotated[
    str | None,
    typer.Option(
        "--premises", help="Règle d'accueil : communes disposant de locaux (a,b ou un fichier)."
    ),
]
ExistingOption = Annotated[
    bool, typer.Option("--existing/--no-existing", help="Garder ouverts les sites existants.")
]
TeamDaysOption = Annotated[
    float | None,
    typer.Option("--team-days", min=0.5, help="Rotation : jours-médecin par semaine."),
]
GreedyOption = Annotated[bool, typer.Option("--greedy", help="Heuristique seule (sans MIP).")]
TimeLimitOption = Annotated[
    float, typer.Option("--time-limit", min=0.1, help="Secondes de calcul.")
]


@app.command("site", cls=FrenchCommand)
def site_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    model: ModelOption = "mclp",
    p: POption = None,
    minutes: MinutesOption = None,
    year: YearOption = None,
    roster: RosterOption = None,
    profession: ProfessionOption = "generaliste",
    candidates: CandidatesOption = None,
    exclude: ExcludeOption = None,
    mandatory: MandatoryOption = None,
    min_population: MinPopulationOption = None,
    premises: PremisesOption = None,
    existing: ExistingOption = True,
    team_days: TeamDaysOption = None,
    greedy: GreedyOption = False,
    time_limit: TimeLimitOption = 60.0,
    seed: SeedOption = 0,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    winter: WinterOption = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Où de nouveaux sites aident le plus : modèles exacts (HiGHS) et leur effet sur l'accès."""
    from accessmap.diagnostic.answers import answer_site

    params: dict[str, Any] = {"method": "greedy" if greedy else "exact", "time_limit": time_limit}
    given = {"p": p, "minutes": minutes, "team": team_days}
    params.update({k: v for k, v in given.items() if v is not None})
    for key, value in (("candidates", candidates), ("exclude", exclude)):
        if value:
            params[key] = id_list(value)
    options = input_options(
        territory, buffer_km=buffer_km, roster=roster, osm=osm, crowfly=crowfly, online=online,
        winter=winter, seed=seed,
    )  # fmt: skip
    with use_settings(mirror=mirror, store=store, online=online):
        inputs, times = _inputs_and_times(options, winter, profession)
        with quiet_warnings(), progress_bar() as step:
            step(f"optimisation ({model}, HiGHS)")
            answer = answer_site(
                inputs, times, model=model, params=params, year=year, keep_existing=existing,
                mandatory=id_list(mandatory), min_population=min_population,
                premises=id_list(premises) if premises else None,
            )  # fmt: skip
        _store_answer(inputs, times, answer)
    _print_answer(inputs, answer)


@app.command("compare", cls=FrenchCommand)
def compare_command(
    options_file: Annotated[
        Path,
        typer.Option(
            "--options",
            "--scenarios",
            help="Options à comparer, TOML ou JSON (accessmap/data/options_example.toml).",
        ),
    ],
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster: RosterOption = None,
    time_limit: TimeLimitOption = 60.0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Dossier des CSV (compare_*.csv).")
    ] = None,
    seed: SeedOption = 0,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    winter: WinterOption = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Comparer des options d'implantation côte à côte (statu quo, modèles, centres, années)."""
    from accessmap.diagnostic.answers import answer_options
    from accessmap.inputs import load_options_file
    from accessmap.sources import write_csv
    from accessmap.store import Store

    spec = load_options_file(options_file)
    if territory is None and isinstance(spec.get("territory"), str):
        territory = spec["territory"]
    options = input_options(
        territory, buffer_km=buffer_km, roster=roster, osm=osm, crowfly=crowfly, online=online,
        winter=winter, seed=seed,
    )  # fmt: skip
    with use_settings(mirror=mirror, store=store, online=online):
        inputs, times = _inputs_and_times(options, winter)
        with quiet_warnings(), progress_bar() as step:
            step("options (HiGHS)")
            chosen, comparison, notes = answer_options(inputs, times, spec, time_limit=time_limit)
        with Store.open() as db, db.transaction():
            _store_inputs(db, inputs, times)
            db.write_table("results_options_compared", comparison.summary)
            db.write_table("results_options_communes", comparison.communes)
            for name, frame in (("summary", comparison.summary), ("communes", comparison.communes)):
                if out is not None:
                    write_csv(frame, Path(out) / f"compare_{name}.csv")
    out_console.print(f"[bold]{escape(inputs.territory.name)}[/] : {len(chosen)} options")
    print_comparison(comparison.summary)
    for option in chosen:
        out_console.print(f"  {escape(option.name)} : {escape(option.description)}")
    for text in notes:
        note(text)
