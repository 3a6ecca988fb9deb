"""The application layer: a notebook runs and saves exactly what the command line does."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import accessmap
from accessmap import settings
from accessmap.app import (
    IndicatorsOptions,
    OutlookOptions,
    SiteOptions,
    run_indicators,
    run_outlook,
    run_site,
    save_results,
)
from accessmap.cli import main
from accessmap.diagnostic import DiagnosticOptions
from accessmap.errors import ValidationError
from accessmap.inputs import InputOptions
from accessmap.store import Store
from tests.factories import write_mirror

TERRITORY = "19001,19002,19003,19004,19005"


@pytest.fixture
def tiny_mirror(tmp_path: Path) -> Path:
    return write_mirror(tmp_path / "mirror")


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    with Store.open(path, read_only=True) as db:
        return {n: db.read_table(n) for n in db.tables() if n.startswith("results_")}


def test_notebook_saves_what_the_cli_writes(tiny_mirror: Path, tmp_path: Path, capsys):
    cli_store, app_store = tmp_path / "cli.duckdb", tmp_path / "app.duckdb"
    code = main(["indicators", "-t", TERRITORY, "--crowfly", "--measure", "2sfca",
                 "--mirror", str(tiny_mirror), "--store", str(cli_store)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    options = IndicatorsOptions(
        inputs=InputOptions(territory=TERRITORY, crowfly=True), measure="2sfca"
    )
    with settings.override(mirror=tiny_mirror), Store.open(app_store) as db:
        result = run_indicators(options, store=db)
        assert not _has_results(db)  # computing writes nothing
        save_results(result, store=db)
    cli, app = _tables(cli_store), _tables(app_store)
    assert set(cli) == set(app)
    assert "results_indicators" in cli
    for name in cli:
        pd.testing.assert_frame_equal(cli[name], app[name], check_like=True)


def _has_results(db: Store) -> bool:
    return any(n.startswith("results_") for n in db.tables())


def test_save_results_is_one_transaction(tiny_mirror: Path, tmp_path: Path):
    options = IndicatorsOptions(inputs=InputOptions(territory=TERRITORY, crowfly=True))
    store = tmp_path / "db.duckdb"
    with settings.override(mirror=tiny_mirror, store_path=store):
        result = run_indicators(options)
        blocked = tmp_path / "folder"
        blocked.mkdir()
        with pytest.raises(ValidationError):  # the CSV cannot be written over a folder
            save_results(result, out=blocked)
        with Store.open(store, read_only=True) as db:
            assert not _has_results(db)  # rolled back with the failed CSV
        save_results(result, out=tmp_path / "communes.csv")
    assert pd.read_csv(tmp_path / "communes.csv", dtype={"id": str})["id"].tolist() == list(
        result.table["id"]
    )
    with Store.open(store, read_only=True) as db:
        code = db.provenance().query("source == 'accessmap'")
    version = accessmap.version_info()
    assert code[["location", "origin"]].values.tolist() == [[version.commit, version.origin]]
    assert code["vintage"].iloc[0].startswith(accessmap.__version__)


def test_other_profession_and_outlook_and_site(tiny_mirror: Path, tmp_path: Path):
    inputs = InputOptions(territory=TERRITORY, crowfly=True)
    store = tmp_path / "db.duckdb"
    with settings.override(mirror=tiny_mirror, store_path=store):
        outlook = run_outlook(
            OutlookOptions(diagnostic=DiagnosticOptions(inputs=inputs, start_year=2026, horizon=3))
        )
        site = run_site(SiteOptions(inputs=inputs, model="p-median", params={"p": 1}))
        for result in (outlook, site):
            save_results(result)
    tables = _tables(store)
    assert sorted(outlook.outlook.years) == [2026, 2027, 2028, 2029]
    assert {"results_outlook_workforce", "results_siting", "results_siting_comparison"} <= set(
        tables
    )
    assert set(tables["results_siting"]["model"]) == {"p_median"}
    # the communes the p-median left out, written even when there are none
    left = tables["results_siting_unreached"]
    assert list(left.columns) == ["id", "weight", "reason", "nom", "model"]
    assert len(left) == len(site.answer.result.unreached)


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: IndicatorsOptions(profession="plombier"), None),
        (lambda: IndicatorsOptions(measure="magic"), "cli.unknown_measure"),
        (lambda: SiteOptions(model="magic"), None),
        (lambda: OutlookOptions(profession="plombier"), None),
    ],
)
def test_options_refuse_unknown_registry_keys_before_any_work(build, code):
    with pytest.raises(ValidationError) as info:
        build()
    if code is not None:
        assert info.value.code == code


def test_diagnostic_options_compose_the_input_options():
    inputs = InputOptions(territory="19001", seed=7, winter=True)
    options = DiagnosticOptions(inputs=inputs, runs=5)
    assert options.input_options() is inputs
    assert (options.territory, options.seed, options.winter) == ("19001", 7, True)
    assert "territory" not in {f.name for f in DiagnosticOptions.__dataclass_fields__.values()}
