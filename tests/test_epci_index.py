"""``epci:CODE`` finds its departments from an index built once from the communes files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from accessmap import settings
from accessmap.inputs import load_territory
from accessmap.sources.epci_index import INDEX_NAME, epci_departments, epci_index

pytestmark = pytest.mark.mirror

#: CC Ambert Livradois Forez (Puy-de-Dôme), 58 communes.
AMBERT = "200070761"


def test_the_index_names_the_departments_and_is_cached(mirror: Path, tmp_path: Path) -> None:
    with settings.override(mirror=mirror, cache_dir=tmp_path):
        index = epci_index()
        assert epci_departments([AMBERT]) == ["63"]
        assert epci_departments(["000000000"]) == []
        cached = tmp_path / "communes" / INDEX_NAME
        assert cached.is_file()
        stamp = cached.stat().st_mtime_ns
        time.sleep(0.01)
        assert epci_index() == index  # read back, not rebuilt
        assert cached.stat().st_mtime_ns == stamp
    assert len(index) > 1000
    assert all(len(deps) >= 1 for deps in index.values())


def test_epci_without_departments_loads_only_its_own(mirror: Path, tmp_path: Path) -> None:
    log: list[object] = []
    with settings.override(mirror=mirror, cache_dir=tmp_path):
        territory = load_territory(f"epci:{AMBERT}", buffer_km=0.0, provenance=log)
        explicit = load_territory(f"epci:{AMBERT}@63", buffer_km=0.0)
    assert len(territory.communes) == 58
    assert territory.codes == explicit.codes
    read = {str(getattr(r, "location", "")) for r in log}
    assert any("communes-63" in r for r in read)
    assert not any("communes-19" in r for r in read)
