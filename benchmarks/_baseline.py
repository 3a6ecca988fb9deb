"""The baseline side of the benchmarks: a git revision's ``src/``, extracted to run beside ours.

Imported by the scripts of this folder (run as ``python benchmarks/NAME.py``, so this folder is on
``sys.path``).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def baseline_src(rev: str, work: Path) -> Path:
    """Extract ``src/`` of a git revision of this repository into ``work/baseline``."""
    git = shutil.which("git") or "git"
    archive = subprocess.run(  # noqa: S603 (our own repository)
        [git, "-C", str(REPO), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    target = work / "baseline"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / "src"
