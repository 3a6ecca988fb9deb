"""accessmap: access to primary care in rural territories.

Road travel times from OpenStreetMap, accessibility indicators (nearest GP, 2SFCA family,
APL as DREES defines it), GP retirement outlook and health-centre siting, stored in an
embedded DuckDB file.

Importing the package does no work: every module is imported lazily by its users.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from accessmap.errors import (
    AccessmapError,
    GraphError,
    MissingDataError,
    OfflineError,
    SolverError,
    ValidationError,
)

__version__ = "0.1.0"

#: The commit of a package that runs neither from a git checkout nor from a built wheel.
UNVERSIONED = "unversioned"

_BUILD_INFO = Path(__file__).with_name("_build_info.json")

__all__ = [
    "AccessmapError",
    "GraphError",
    "MissingDataError",
    "OfflineError",
    "SolverError",
    "ValidationError",
    "VersionInfo",
    "__version__",
    "version_info",
]


@dataclass(frozen=True)
class VersionInfo:
    """The package version and the source commit it was run or built from.

    Attributes
    ----------
    version
        The package version (``accessmap.__version__``, as in ``pyproject.toml``).
    commit
        The full git commit hash, or ``"unversioned"`` when it cannot be known.
    dirty
        The checkout had uncommitted changes to tracked files (``False`` when unknown).
    origin
        Where the commit was read: ``"git"`` (a checkout), ``"build"`` (recorded in the wheel
        when it was built) or ``"unversioned"``.
    """

    version: str
    commit: str
    dirty: bool
    origin: str

    def as_record(self) -> dict[str, str]:
        """Return the provenance row of the code (the store's ``provenance`` table).

        Returns
        -------
        dict
            ``source`` ``"accessmap"``, ``location`` the commit, ``origin`` where it was read
            (``git``, ``build``, ``unversioned``), ``vintage`` the version (and ``modifié`` for a
            dirty checkout), ``sha256`` the commit, ``fetched_at`` empty.
        """
        vintage = f"{self.version} (modifié)" if self.dirty else self.version
        return {
            "source": "accessmap",
            "location": self.commit,
            "origin": self.origin,
            "vintage": vintage,
            "sha256": self.commit,
            "fetched_at": "",
        }

    def __str__(self) -> str:
        if self.commit == UNVERSIONED:
            return f"{self.version} ({UNVERSIONED})"
        return f"{self.version} ({self.commit[:12]}{', modifié' if self.dirty else ''})"


def _git(root: Path, *args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603  (fixed arguments, no shell)
            [git, "-C", str(root), *args], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _from_checkout() -> VersionInfo | None:
    root = Path(__file__).resolve().parents[2]
    if not ((root / ".git").exists() and (root / "pyproject.toml").is_file()):
        return None
    commit = _git(root, "rev-parse", "HEAD")
    if not commit:
        return None
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    return VersionInfo(__version__, commit, dirty=bool(status), origin="git")


def _from_build() -> VersionInfo | None:
    try:
        recorded = json.loads(_BUILD_INFO.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    commit = recorded.get("commit") if isinstance(recorded, dict) else None
    if not isinstance(commit, str) or not commit or commit == UNVERSIONED:
        return None
    return VersionInfo(__version__, commit, dirty=bool(recorded.get("dirty")), origin="build")


def version_info() -> VersionInfo:
    """Return the package version and the commit of the code that runs, read at call time.

    From a git checkout (``src/accessmap`` inside a repository), the commit is ``HEAD`` and
    ``dirty`` says whether tracked files differ from it. From an installed wheel, it is the
    commit recorded when the wheel was built (``setup.py`` writes ``_build_info.json``).
    Otherwise the commit is ``"unversioned"``. Record it beside results for provenance and
    cite it with ``CITATION.cff``.

    Returns
    -------
    VersionInfo
        ``str()`` gives ``"0.1.0 (1a2b3c4d5e6f)"``, or ``"0.1.0 (unversioned)"``.

    Examples
    --------
    >>> import accessmap
    >>> accessmap.version_info().version == accessmap.__version__
    True
    """
    return (
        _from_checkout()
        or _from_build()
        or VersionInfo(__version__, UNVERSIONED, dirty=False, origin=UNVERSIONED)
    )
