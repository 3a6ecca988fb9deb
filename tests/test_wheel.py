"""Versioned and citable: one version everywhere, the commit known, a wheel that installs, runs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

import accessmap

REPO = Path(__file__).resolve().parents[1]


def _pyproject_version() -> str:
    with (REPO / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def _git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_one_version_in_pyproject_package_citation_and_changelog():
    version = _pyproject_version()
    assert accessmap.__version__ == version
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == version
    assert {"message", "title", "authors"} <= set(citation)
    assert all(("name" in a) or ("family-names" in a) for a in citation["authors"])
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    assert re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="not a git checkout")
def test_version_info_from_the_checkout_is_head():
    info = accessmap.version_info()
    assert info.version == accessmap.__version__
    assert info.origin == "git"
    assert info.commit == _git("rev-parse", "HEAD")
    assert str(info).startswith(f"{info.version} ({info.commit[:12]}")


def test_version_info_reads_the_build_record_then_says_unversioned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(accessmap, "_from_checkout", lambda: None)
    record = tmp_path / "_build_info.json"
    monkeypatch.setattr(accessmap, "_BUILD_INFO", record)
    record.write_text(json.dumps({"commit": "a" * 40, "dirty": True}), encoding="utf-8")
    info = accessmap.version_info()
    assert (info.commit, info.dirty, info.origin) == ("a" * 40, True, "build")
    assert str(info) == f"{accessmap.__version__} ({'a' * 12}, modifié)"
    record.unlink()
    info = accessmap.version_info()
    assert (info.commit, info.origin) == ("unversioned", "unversioned")
    assert str(info) == f"{accessmap.__version__} (unversioned)"
    record.write_text("not json", encoding="utf-8")
    assert accessmap.version_info().commit == "unversioned"


def _source_tree(tmp_path: Path) -> tuple[Path, str | None]:
    """A clean copy of the committed tree (so that building writes nothing into the repo)."""
    source = tmp_path / "source"
    if (REPO / ".git").exists():
        subprocess.run(["git", "clone", "-q", str(REPO), str(source)], check=True)
        return source, _git("rev-parse", "HEAD", cwd=source)
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv", "build", "dist", "data"))
    return source, None


def _clean_env() -> dict[str, str]:
    """The environment without what would make the fresh venv see this checkout's sources."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH"}
    return {k: v for k, v in os.environ.items() if k not in drop}


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_runs(tmp_path: Path):
    source, commit = _source_tree(tmp_path)
    env = _clean_env()
    dist = tmp_path / "dist"
    # An isolated build: pip fetches the build backend (setuptools, wheel) like any user's build.
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist)],
        cwd=source,
        check=True,
        capture_output=True,
        env=env,
    )
    (wheel,) = dist.glob("accessmap-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
    # PyPI is reachable here; pip's own cache (~/.cache/pip) makes reruns quick.
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        env=env,
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shown = subprocess.run(
        [str(venv / "bin" / "accessmap"), "--help"],
        cwd=outside,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    assert "diagnose" in shown.stdout
    probe = "import accessmap, json; i = accessmap.version_info(); print(json.dumps(vars(i)))"
    printed = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    info = json.loads(printed.stdout)
    assert info["version"] == accessmap.__version__
    if commit is not None:
        assert (info["commit"], info["origin"], info["dirty"]) == (commit, "build", False)
