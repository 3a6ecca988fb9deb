"""accessmap: access to primary care in rural territories.

Road travel times from OpenStreetMap, accessibility indicators (nearest GP, 2SFCA family,
APL as DREES defines it), GP retirement outlook and health-centre siting, stored in an
embedded DuckDB file.

Importing the package does no work: every module is imported lazily by its users.
"""

from accessmap.errors import (
    AccessmapError,
    GraphError,
    MissingDataError,
    OfflineError,
    SolverError,
    ValidationError,
)

__version__ = "0.1.0"

__all__ = [
    "AccessmapError",
    "GraphError",
    "MissingDataError",
    "OfflineError",
    "SolverError",
    "ValidationError",
    "__version__",
]
