"""Check every input and output of a run in seconds, before the minute of computing.

``accessmap check`` and ``accessmap diagnose --dry-run`` call :func:`check_diagnose`; ``diagnose``
calls it too before it computes, so a bad output path or a corrupt store is found first, not after
the whole computation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from accessmap.errors import ValidationError
from accessmap.messages import Message

if TYPE_CHECKING:
    import pandas as pd

    from accessmap.diagnostic import DiagnosticOptions
    from accessmap.territory import Territory

__all__ = ["check_diagnose", "check_store", "check_user_files"]

_ROAD_SUFFIXES = (".osm", ".xml", ".pbf", ".graphml")


def check_store() -> str:
    """Open the store (read-write) and close it: a locked, corrupt or unwritable file fails here.

    Returns
    -------
    str
        A French line saying which store was checked.

    Raises
    ------
    AccessmapError
        The store cannot be opened (named with its fix).
    """
    from accessmap.settings import get_settings
    from accessmap.store import Store

    path = Path(get_settings().store_path)
    if path.is_dir():
        raise ValidationError("store.is_folder", field="--store", name=path.name)
    with Store.open() as db:
        count = len(db.tables())
    return str(Message("check.store_ok", name=path.name, count=count))


def _check_host_rule(communes: pd.DataFrame, min_population: float | None) -> None:
    """Refuse, before solving, a smallest host population that no territory commune reaches."""
    if min_population is None or "population" not in communes:
        return
    largest = float(communes["population"].max()) if len(communes) else 0.0
    if not largest >= min_population:
        raise ValidationError(
            "check.no_host_commune", field="--min-population", value=min_population,
            largest=largest,
        )  # fmt: skip


def check_user_files(
    options: DiagnosticOptions, *, territory: Territory | None = None
) -> list[str]:
    """Read and validate the user's files (roster, scenario, road file) without computing.

    Parameters
    ----------
    options
        The run's options.
    territory
        The run's territory: the roster is then validated exactly as the run does
        (:func:`accessmap.inputs.territory_roster`: professions, numbers, years, communes).

    Returns
    -------
    list of str
        One French line per file checked.

    Raises
    ------
    AccessmapError
        A file is missing or invalid.
    """
    from accessmap.inputs import load_scenario, territory_roster
    from accessmap.sources import read_roster_table
    from accessmap.supply import roster_from_table

    lines = []
    if options.roster is not None:
        rows = read_roster_table(options.roster)
        if territory is not None:  # the run's own validator
            territory_roster(territory, path=options.roster)
        else:
            roster_from_table(
                rows, name=Path(options.roster).name,
                decimal_comma=bool(rows.attrs.get("decimal_comma", False)),
            )  # fmt: skip
        lines.append(str(Message("check.roster_ok", name=options.roster.name, rows=len(rows))))
    if options.scenario is not None:
        scenario = load_scenario(options.scenario)
        lines.append(
            str(Message("check.scenario_ok", name=options.scenario.name, scenario=scenario.name))
        )
    if options.osm is not None:
        osm = Path(options.osm)
        if not osm.is_file():
            raise ValidationError("sources.osm_file_missing", field="--osm", name=osm.name)
        if not osm.name.lower().endswith(_ROAD_SUFFIXES):
            raise ValidationError("check.not_a_road_file", field="--osm", name=osm.name)
        lines.append(str(Message("check.roads_ok", name=osm.name)))
    return lines


def check_diagnose(options: DiagnosticOptions, target: Path) -> list[str]:
    """Check a ``diagnose`` run: output folder, store, territory, user files.

    Parameters
    ----------
    options
        The run's options.
    target
        The report folder.

    Returns
    -------
    list of str
        What was checked, in French.

    Raises
    ------
    AccessmapError
        The first problem found, named with its fix.
    """
    from accessmap.inputs import load_territory
    from accessmap.publish import check_free_space, check_output_folder
    from accessmap.settings import get_settings

    check_output_folder(target, store_path=Path(get_settings().store_path))
    lines = [str(Message("check.report_folder_ok", name=target.name)), check_store()]
    area = load_territory(options.territory, buffer_km=options.buffer_km)
    check_free_space(target, communes=len(area.communes) + len(area.buffer))
    _check_host_rule(area.communes, options.min_population)
    lines.append(
        str(
            Message(
                "check.territory_ok",
                name=area.name,
                communes=len(area.communes),
                buffer=len(area.buffer),
            )
        )
    )
    lines += check_user_files(options, territory=area)
    return lines
