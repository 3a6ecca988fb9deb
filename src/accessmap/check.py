"""Check every input and output of a run in seconds, before the minute of computing.

``accessmap check`` and ``accessmap diagnose --dry-run`` call :func:`check_diagnose`; ``diagnose``
calls it too before it computes, so a bad output path or a corrupt store is found first, not after
the whole computation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from accessmap.errors import ValidationError

if TYPE_CHECKING:
    from accessmap.diagnostic import DiagnosticOptions

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
        raise ValidationError(
            f"{path} is a folder.", field="--store", fix="give the path of a .duckdb file."
        )
    with Store.open() as db:
        count = len(db.tables())
    return f"base {path} : lisible et inscriptible ({count} tables)"


def check_user_files(options: DiagnosticOptions) -> list[str]:
    """Read and validate the user's files (roster, scenario, road file) without computing.

    Parameters
    ----------
    options
        The run's options.

    Returns
    -------
    list of str
        One French line per file checked.

    Raises
    ------
    AccessmapError
        A file is missing or invalid.
    """
    from accessmap.inputs import load_scenario
    from accessmap.sources import read_roster_table

    lines = []
    if options.roster is not None:
        rows = read_roster_table(options.roster)
        lines.append(f"praticiens {options.roster.name} : {len(rows)} lignes lisibles")
    if options.scenario is not None:
        scenario = load_scenario(options.scenario)
        lines.append(f"scénario {options.scenario.name} : « {scenario.name} » valide")
    if options.osm is not None:
        osm = Path(options.osm)
        if not osm.is_file():
            raise ValidationError(f"{osm} does not exist.", field="--osm", fix="check the path.")
        if not osm.name.lower().endswith(_ROAD_SUFFIXES):
            raise ValidationError(
                f"{osm.name} is not a road file.",
                field="--osm",
                fix="give a .osm, .osm.pbf or .graphml file.",
            )
        lines.append(f"réseau routier {osm.name} : présent")
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
    from accessmap.publish import check_output_folder
    from accessmap.settings import get_settings

    check_output_folder(target, store_path=Path(get_settings().store_path))
    lines = [f"dossier du rapport {target} : inscriptible", check_store()]
    area = load_territory(options.territory, buffer_km=options.buffer_km)
    lines.append(
        f"territoire {area.name} : {len(area.communes)} communes, zone tampon "
        f"{len(area.buffer)} communes"
    )
    lines += check_user_files(options)
    return lines
