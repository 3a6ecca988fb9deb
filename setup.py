"""setuptools hooks: record the git commit in what is built (read by ``accessmap.version_info``).

Everything else is declared in ``pyproject.toml``. A wheel built from a checkout carries
``accessmap/_build_info.json`` with the commit; an sdist carries the same file at its root so
that a wheel built from it (``python -m build`` does so) keeps the commit of the checkout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
INFO = "_build_info.json"


def _git(*args: str) -> str | None:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        return None
    done = subprocess.run(  # noqa: S603  (fixed arguments, no shell)
        [git, "-C", str(ROOT), *args], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else None


def build_info() -> dict[str, object]:
    """Return the commit to record: the sdist's record, else the checkout's HEAD.

    Returns
    -------
    dict
        ``commit`` (hash or ``"unversioned"``) and ``dirty``.
    """
    recorded = ROOT / INFO
    if recorded.is_file():
        return dict(json.loads(recorded.read_text(encoding="utf-8")))
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit or "unversioned", "dirty": bool(status)}


class BuildPy(build_py):
    """Write ``accessmap/_build_info.json`` into the built package."""

    def run(self) -> None:
        """Build as usual, then record the commit."""
        super().run()
        target = Path(self.build_lib) / "accessmap" / INFO
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(build_info()), encoding="utf-8")


class Sdist(sdist):
    """Write ``_build_info.json`` at the root of the source distribution."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        """Lay out the sdist as usual, then record the commit."""
        super().make_release_tree(base_dir, files)
        (Path(base_dir) / INFO).write_text(json.dumps(build_info()), encoding="utf-8")


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
