"""All I/O to official data: with :mod:`accessmap.store`, the only code touching disk or network.

Every loader reads a local mirror directory laid out like ``../shared/data`` first, then the
project's cache (``data/raw``), then the official online service when downloads are allowed (see
:mod:`accessmap.sources.mirror`). Every download goes through :mod:`accessmap.sources._http`, which
keeps an on-disk cache. Loaders append a :class:`SourceFile` provenance record to the list passed as
``provenance=``.
"""

from __future__ import annotations

from accessmap.sources.bpe import load_bpe_counts, load_bpe_gp_counts, load_gp_sites_creuse
from accessmap.sources.communes import (
    COMMUNE_COLUMNS,
    available_departments,
    department_of,
    load_communes,
)
from accessmap.sources.drees import load_apl_parameters, load_apl_published
from accessmap.sources.files import (
    parse_error_place,
    read_codes_file,
    read_csv_file,
    read_text,
    write_csv,
)
from accessmap.sources.mirror import (
    DATASETS,
    Dataset,
    SourceFile,
    mirror_dir,
    resolve,
    shown_path,
)
from accessmap.sources.osm import load_road_graph, read_osm_graph, save_graph
from accessmap.sources.roster import load_declared_sites, read_roster_table
from accessmap.sources.zrr import load_zrr

__all__ = [
    "COMMUNE_COLUMNS",
    "DATASETS",
    "Dataset",
    "SourceFile",
    "available_departments",
    "department_of",
    "load_apl_parameters",
    "load_apl_published",
    "load_bpe_counts",
    "load_bpe_gp_counts",
    "load_communes",
    "load_declared_sites",
    "load_gp_sites_creuse",
    "load_road_graph",
    "load_zrr",
    "mirror_dir",
    "parse_error_place",
    "read_codes_file",
    "read_csv_file",
    "read_osm_graph",
    "read_roster_table",
    "read_text",
    "resolve",
    "save_graph",
    "shown_path",
    "write_csv",
]
