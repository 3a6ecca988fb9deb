"""Command ``indicators``: nearest practitioner, bands, APL, zoning, DREES side by side."""

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
)

if TYPE_CHECKING:
    import pandas as pd

    from accessmap.diagnostic.measures import MeasureAnswer, ProfessionAnswer
    from accessmap.indicators import (
        DreesComparison,
        NationalComparison,
        TerritoryIndicators,
        ZoneDeficitaire,
    )
    from accessmap.inputs import InputOptions, Inputs

__all__ = ["indicators_command"]


def _commune_table(
    inputs: Inputs, result: TerritoryIndicators, drees: DreesComparison | None
) -> pd.DataFrame:
    study = inputs.territory.study_area
    table = result.communes.merge(
        study[["code", "nom", "dep"]].rename(columns={"code": "id"}), on="id", how="left"
    )
    if drees is not None:
        table = table.merge(drees.table[["id", "apl_drees", "apl_u65_drees"]], on="id", how="left")
    table["od_method"] = inputs.roads.kind
    first = ["id", "nom", "dep"]
    return table[[*first, *[c for c in table.columns if c not in first]]]


def _print_bands(title: str, bands: pd.DataFrame) -> None:
    """Communes and inhabitants by band of time to the nearest practitioner, in French."""
    from rich.table import Table

    from accessmap.labels import band_label, fmt_int, fmt_percent

    table = Table(title=title, title_justify="left")
    for col in ("temps", "communes", "habitants", "part"):
        table.add_column(col, justify="right")
    for row in bands.itertuples():
        table.add_row(
            band_label(str(row.band)), fmt_int(row.communes), fmt_int(row.population),
            fmt_percent(row.share, 1),
        )  # fmt: skip
    out_console.print(table)


def _print_zone(zone: ZoneDeficitaire) -> None:
    from accessmap.labels import label
    from accessmap.report import zone_frame

    out_console.print(
        f"Zone déficitaire (décret 2003-1140) : {label('zone', zone.verdict)} "
        f"({zone.met} critère(s) rempli(s), {zone.unknown} inconnu(s))"
    )
    for row in zone_frame(zone).itertuples(index=False):
        out_console.print(
            f"  - {escape(str(row[0]))} : {escape(str(row[1]))} ({escape(str(row[2]))})"
        )


def _print(
    inputs: Inputs,
    result: TerritoryIndicators,
    drees: DreesComparison | None,
    zone: ZoneDeficitaire | None,
) -> None:

    from accessmap.labels import fmt_float, fmt_int

    out_console.print(
        f"[bold]{escape(inputs.territory.name)}[/] : APL modélisé "
        f"{fmt_float(result.apl_territory, 2)} consultations/an/habitant standardisé (médecins de "
        f"moins de {inputs.params.age_limit} ans : {fmt_float(result.apl_u65_territory, 2)}) ; "
        f"{escape(inputs.roads.label)}"
    )
    if drees is not None:
        out_console.print(
            f"APL OFFICIEL (DREES {drees.year}) : {fmt_float(drees.apl_drees_mean, 2)} ; accord du "
            f"modèle sur {fmt_int(drees.n)} communes : Spearman {fmt_float(drees.spearman, 2)} "
            f"(moins de 65 ans : {fmt_float(drees.spearman_u65, 2)})"
        )
    _print_bands("Temps d'accès au généraliste le plus proche", result.bands)
    if zone is not None:  # several departments: the decree's test is for one territory
        _print_zone(zone)
    for text in result.notes:
        note(text)


def _measure_options(values: list[str] | None) -> dict[str, float]:
    from accessmap.errors import ValidationError

    out: dict[str, float] = {}
    for item in values or []:
        key, sep, raw = item.partition("=")
        try:
            out[key.strip()] = float(raw.replace(",", "."))
        except ValueError:
            sep = ""
        if not sep or not key.strip():
            raise ValidationError(
                f"{item!r} is not name=number.", field="--option", fix="write e.g. cutoff=30."
            )
    return out


def _run_gp(
    options: InputOptions,
    *,
    out: Path | None,
    measure: str | None,
    measure_options: dict[str, float],
) -> None:
    from accessmap.conventions import INDICATOR_HORIZON
    from accessmap.diagnostic import compute_indicators
    from accessmap.diagnostic.measures import answer_measure
    from accessmap.inputs import compute_traveltimes, load_inputs, store_traveltimes
    from accessmap.sources import write_csv
    from accessmap.store import Store

    with Store.open() as db:
        with quiet_warnings(), progress_bar() as step:
            step("territoire et offre de soins")
            inputs = load_inputs(options)
            times, _road = compute_traveltimes(
                inputs.territory, inputs.roster, inputs.roads, horizon=INDICATOR_HORIZON,
                candidates=False, winter=options.winter, store=db, progress=step,
            )  # fmt: skip
            step("indicateurs par commune")
            result, drees, zone = compute_indicators(inputs, times, apl_year=options.apl_year)
            extra = (
                answer_measure(inputs, times, measure=measure, options=measure_options)
                if measure
                else None
            )
        table = _commune_table(inputs, result, drees)
        national = _national(inputs, result)
        if extra is not None:
            table = table.merge(
                extra.communes[["id", "value"]].rename(columns={"value": f"measure_{measure}"}),
                on="id", how="left",
            )  # fmt: skip
        with db.transaction():
            store_traveltimes(db, times, label=f"indicators {inputs.territory.name}")
            db.write_table("results_indicators", table)
            db.write_table("results_indicator_bands", result.bands)
            db.write_table("results_indicator_sites", result.sites)
            if drees is not None:
                db.write_table("results_apl_drees", drees.table)
            if national is not None:
                db.write_table("results_national_communes", national.communes)
                db.write_table("results_national_departments", national.departments)
            db.record_provenance(inputs.provenance)
            if out is not None:
                write_csv(table, Path(out))
    _print(inputs, result, drees, zone if national is None else None)
    if national is not None:
        _print_national(national)
    if extra is not None:
        _print_measure(extra)
    for text in inputs.notes:
        note(text)


def _national(inputs: Inputs, result: TerritoryIndicators) -> NationalComparison | None:
    """The comparison with DREES department by department, for territories of several."""
    from accessmap.indicators import national_comparison

    if inputs.published is None or inputs.territory.communes["dep"].nunique() < 2:
        return None
    inside = result.communes[result.communes["in_territory"].astype(bool)]
    return national_comparison(
        inside, inputs.published, communes=inputs.territory.communes,
        year=inputs.options.apl_year,
    )  # fmt: skip


def _print_national(national: NationalComparison) -> None:
    from rich.table import Table

    from accessmap.labels import fmt_float, fmt_int

    out_console.print(
        f"Accord avec l'APL publié {national.year} sur {fmt_int(national.n)} communes : Spearman "
        f"{fmt_float(national.spearman, 2)}, écart absolu moyen "
        f"{fmt_float(national.mean_abs_diff, 2)} ; APL moyen modélisé "
        f"{fmt_float(national.apl_mean, 2)}, publié {fmt_float(national.apl_drees_mean, 2)}."
    )
    table = Table(title="Accord par département (les plus faibles d'abord)", title_justify="left")
    for col in ("département", "communes", "Spearman", "écart absolu moyen"):
        table.add_column(col, justify="right")
    for row in national.departments.sort_values("spearman").head(10).itertuples():
        table.add_row(
            str(row.dep), fmt_int(row.communes), fmt_float(row.spearman, 2),
            fmt_float(row.mean_abs_diff, 2),
        )  # fmt: skip
    out_console.print(table)


def _print_measure(answer: MeasureAnswer) -> None:
    from accessmap.indicators import MEASURES
    from accessmap.labels import fmt_float

    spec = MEASURES[answer.measure]
    settings = ", ".join(f"{k} = {fmt_float(v, 2)}" for k, v in answer.options.items())
    out_console.print(
        f"{escape(spec.label)} ({escape(spec.unit)}) : {fmt_float(answer.value, 2)} en moyenne sur "
        f"le territoire (pondérée par la population) — {escape(spec.description)}"
        + (f" Réglages : {settings}." if settings else "")
    )


def _run_profession(options: InputOptions, *, profession: str, out: Path | None) -> None:
    from accessmap.diagnostic.measures import answer_profession
    from accessmap.indicators import profession_parameters
    from accessmap.inputs import load_inputs, store_traveltimes
    from accessmap.sources import write_csv
    from accessmap.store import Store

    spec = profession_parameters(profession)  # refuses an unknown profession before any work
    with Store.open() as db:
        with quiet_warnings(), progress_bar() as step:
            step("territoire et offre de soins")
            inputs = load_inputs(options)
            step(f"{spec.label} : temps d'accès et indicateur")
            answer = answer_profession(inputs, profession=profession, store=db)
        with db.transaction():
            store_traveltimes(db, answer.times, label=f"{profession} {inputs.territory.name}")
            db.write_table(f"results_profession_{profession}", answer.communes)
            db.record_provenance(inputs.provenance)
            if out is not None:
                write_csv(answer.communes, Path(out))
    _print_profession(inputs, answer)


def _print_profession(inputs: Inputs, answer: ProfessionAnswer) -> None:

    from accessmap.indicators import profession_parameters
    from accessmap.labels import fmt_float

    spec = profession_parameters(answer.profession)
    value = (
        f"{fmt_float(answer.value, 1)} {spec.unit}"
        if spec.indicator == "apl"
        else f"{fmt_float(answer.value, 1)} min en moyenne jusqu'à la plus proche"
    )
    out_console.print(
        f"[bold]{escape(inputs.territory.name)}[/] — {escape(spec.label)} : "
        f"{fmt_float(answer.practitioners, 0)} professionnel(s) dans le territoire ; "
        f"{escape(value)}"
    )
    _print_bands(f"Temps d'accès : {escape(spec.label)}", answer.bands)
    note(f"Offre : {answer.roster.source}. Estimation : 1 ETP par professionnel recensé.")
    from accessmap.inputs import ILLUSTRATIVE_NOTE

    # Ages play no part in today's indicators: the illustrative-ages caveat belongs to outlooks.
    for text in (*spec.choices, *(n for n in inputs.notes if n != ILLUSTRATIVE_NOTE)):
        note(text)


@app.command("indicators", cls=FrenchCommand)
def indicators_command(
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
    measure: Annotated[
        str | None,
        typer.Option(
            "--measure",
            help="Mesure d'accessibilité en plus de l'APL : 2sfca, e2sfca, bfca, 3sfca, raam, "
            "nearest, cumulative_cutoff, cumulative_interval, gravity, cost_to_closest, "
            "spatial_availability, balancing_cost.",
        ),
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", help="Réglage de la mesure, nom=valeur (ex. cutoff=30)."),
    ] = None,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    winter: WinterOption = None,
    year: Annotated[
        int, typer.Option(min=2015, max=2030, help="Millésime DREES comparé (APL publié).")
    ] = 2023,
    seed: SeedOption = 0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Écrire le tableau par commune dans ce CSV.")
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Temps d'accès, population par tranche, APL (DREES) par commune, à côté de l'APL officiel."""
    from accessmap.errors import ValidationError
    from accessmap.indicators import MEASURES

    if measure is not None and measure not in MEASURES:
        raise ValidationError(
            f"unknown measure {measure!r}.", field="--measure", fix=f"use {', '.join(MEASURES)}."
        )
    options = input_options(
        territory, buffer_km=buffer_km, roster=roster, osm=osm, crowfly=crowfly, online=online,
        winter=winter, seed=seed, apl_year=year,
    )  # fmt: skip
    with use_settings(mirror=mirror, store=store, online=online):
        if profession != "generaliste":
            _run_profession(options, profession=profession, out=out)
        else:
            _run_gp(options, out=out, measure=measure, measure_options=_measure_options(option))
