"""Shared fixtures: the local data mirror (skipped when absent) and isolated settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from accessmap import settings

REPO = Path(__file__).resolve().parents[1]
MIRROR = Path(os.environ.get("ACCESSMAP_TEST_MIRROR", REPO.parent / "shared" / "data"))


@pytest.fixture
def mirror() -> Path:
    """The local data mirror ``../shared/data``; skips the test when it is absent."""
    if not (MIRROR / "communes").is_dir():
        pytest.skip(f"local data mirror not found at {MIRROR} (set ACCESSMAP_TEST_MIRROR)")
    return MIRROR


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own cache and store, offline, with no mirror unless it asks."""
    for name in list(os.environ):
        if name.startswith("ACCESSMAP_") and name != "ACCESSMAP_TEST_MIRROR":
            monkeypatch.delenv(name)
    with settings.override(
        cache_dir=tmp_path / "cache", store_path=tmp_path / "store.duckdb", online=False
    ):
        yield
