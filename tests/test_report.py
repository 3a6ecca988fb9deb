from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from accessmap import settings
from accessmap.diagnostic import Diagnostic, DiagnosticOptions, run_diagnostic
from accessmap.errors import ValidationError
from accessmap.report import fr, render_html, verdict, write_report
from accessmap.store import Store
from tests.factories import write_mirror


@pytest.fixture(scope="module")
def tiny_diagnostic(tmp_path_factory: pytest.TempPathFactory) -> Diagnostic:
    root = tmp_path_factory.mktemp("diag")
    mirror = write_mirror(root / "mirror")
    with settings.override(mirror=mirror, cache_dir=root / "cache", online=False):
        return run_diagnostic(
            DiagnosticOptions(territory="19001,19002,19003,19004,19005", buffer_km=5, runs=40)
        )


def test_diagnostic_tables(tiny_diagnostic: Diagnostic):
    d = tiny_diagnostic
    assert d.traveltimes.method == "crowfly"
    assert any("vol d'oiseau" in w for w in d.warnings)
    assert any("ILLUSTRATIFS" in w for w in d.warnings)
    assert d.outlook.illustrative_ages
    assert set(d.indicators.communes["id"]) >= {"19001", "19005"}
    assert d.comparison["option"].iloc[0] == "Aujourd'hui"
    assert d.comparison["option"].is_unique
    assert {r.model for r in d.options_siting} >= {"mclp", "p_median"}
    assert all(r.status == "optimal" for r in d.options_siting if r.model == "mclp")
    assert list(d.isochrones["minutes"]) == [10.0, 20.0, 30.0]


def test_verdict_figures(tiny_diagnostic: Diagnostic):
    v = verdict(tiny_diagnostic)
    assert v.communes == 5
    assert v.population == 1875
    minutes = tiny_diagnostic.indicators.communes.set_index("id")["nearest_minutes"]
    population = tiny_diagnostic.indicators.communes.set_index("id")["population"]
    inside = [f"1900{i}" for i in range(1, 6)]
    assert v.pop_beyond_20 == pytest.approx(population[inside][minutes[inside] >= 20].sum())
    assert v.gone_10 >= v.gone_5 >= 0
    assert len(v.best_options) <= 3
    assert v.method == "crowfly"


def test_html_is_self_contained_french(tiny_diagnostic: Diagnostic):
    html = render_html(tiny_diagnostic)
    assert html.startswith("<!DOCTYPE html>")
    assert 'lang="fr"' in html
    assert "En une page" in html
    assert "vol d'oiseau" in html
    assert "Âges illustratifs" in html
    assert "cdn.plot.ly" not in html.split("</script>", 1)[1]  # no script fetched from a CDN
    assert html.count('class="plotly-graph-div"') >= 6
    assert "<script src=" not in html


def test_write_report_files_and_atomicity(
    tiny_diagnostic: Diagnostic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    files = write_report(tiny_diagnostic, tmp_path / "reports" / "tiny")
    assert files.html.is_file()
    layers = set(gpd.list_layers(files.geopackage)["name"])
    assert layers == {"communes", "catchments", "sites", "candidates", "options"}
    communes = gpd.read_file(files.geopackage, layer="communes")
    assert {"apl", "nearest_minutes", "in_territory"} <= set(communes.columns)
    assert communes.crs.to_epsg() == 4326
    assert pd.read_csv(files.csv["options"])["option"].iloc[0] == "Aujourd'hui"
    before = files.html.read_bytes()

    import accessmap.store

    def broken(*_: object, **__: object) -> Path:
        raise RuntimeError("disk full")

    monkeypatch.setattr(accessmap.store, "export_frame", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(tiny_diagnostic, tmp_path / "reports" / "tiny")
    assert files.html.read_bytes() == before  # the previous report is intact
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["tiny"]


def test_rerun_reuses_cache_and_gives_identical_numbers(tmp_path: Path):
    mirror = write_mirror(tmp_path / "mirror")
    options = DiagnosticOptions(territory="19001,19002,19003", buffer_km=5, runs=20)
    steps: list[list[str]] = []
    results = []
    with settings.override(mirror=mirror):
        for _ in range(2):
            seen: list[str] = []
            with Store.open(tmp_path / "db.duckdb") as db:
                results.append(run_diagnostic(options, store=db, progress=seen.append))
            steps.append(seen)
    assert "temps de trajet" in steps[0]
    assert "temps de trajet (cache)" in steps[1]
    first, second = results
    pd.testing.assert_frame_equal(first.comparison, second.comparison)
    pd.testing.assert_frame_equal(first.outlook_mc.access, second.outlook_mc.access)
    pd.testing.assert_frame_equal(
        first.traveltimes.table.sort_values(["origin_id", "dest_id"]).reset_index(drop=True),
        second.traveltimes.table.sort_values(["origin_id", "dest_id"]).reset_index(drop=True),
    )


def test_options_validated():
    with pytest.raises(ValidationError, match="runs"):
        DiagnosticOptions(runs=0)
    with pytest.raises(ValidationError, match="minutes"):
        DiagnosticOptions(minutes=-5)


def test_french_numbers():
    assert fr(43096) == "43\u202f096"
    assert fr(4.4751, 2) == "4,48"
    assert fr(0.125, 0, percent=True) == "12\u202f%"
    assert fr(float("nan")) == "—"


@pytest.mark.mirror
@pytest.mark.slow
def test_diagnose_command_on_mirror(mirror: Path, tmp_path: Path):
    from accessmap.cli import main

    out = tmp_path / "reports" / "montagne-limousine"
    code = main(
        ["diagnose", "--territory", "montagne-limousine", "--mirror", str(mirror), "--runs", "100",
         "--out", str(out), "--store", str(tmp_path / "db.duckdb")]
    )  # fmt: skip
    assert code == 0
    html = (out / "diagnostic.html").read_text(encoding="utf-8")
    assert "Montagne limousine" in html
    assert (out / "diagnostic.gpkg").is_file()
    with Store.open(tmp_path / "db.duckdb", read_only=True) as db:
        sources = set(db.provenance()["source"])
        assert {"communes", "drees_apl", "bpe_gp", "gp_sites_creuse"} <= sources
        assert len(db.read_table("results_communes")) > 97
