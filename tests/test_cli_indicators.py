"""``indicators --measure`` and ``--profession``, and ``outlook``/``site --profession``."""

from __future__ import annotations

from pathlib import Path

import pytest

from accessmap.cli import main
from accessmap.store import Store
from tests.factories import write_mirror

TERRITORY = "19001,19002,19003,19004,19005"


@pytest.fixture
def tiny_mirror(tmp_path: Path) -> Path:
    root = write_mirror(tmp_path / "mirror")
    (root / "bpe" / "bpe19_ensemble_sante.csv").write_text(
        "REG;DEP;DEPCOM;DCIRIS;AN;TYPEQU;NB_EQUIP\n"
        "75;19;19001;19001;2019;D201;3\n"
        "75;19;19003;19003;2019;D201;1\n"
        "75;19;19001;19001;2019;D232;4\n"
        "75;19;19004;19004;2019;D232;2\n"
        "75;23;23001;23001;2019;D232;1\n"
        "75;19;19002;19002;2019;D301;1\n",
        encoding="utf-8",
    )
    return root


def _run(args: list[str], mirror: Path, store: Path) -> int:
    return main([*args, "--mirror", str(mirror), "--store", str(store), "--crowfly"])


def test_measure_is_computed_printed_and_stored(tiny_mirror: Path, tmp_path: Path, capsys):
    store = tmp_path / "db.duckdb"
    code = _run(["indicators", "-t", TERRITORY, "--measure", "2sfca", "--option", "cutoff=25"],
                tiny_mirror, store)  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "2SFCA" in captured.out
    assert "cutoff = 25,00" in captured.out
    with Store.open(store, read_only=True) as db:
        table = db.read_table("results_indicators")
    assert "measure_2sfca" in table.columns
    assert table["measure_2sfca"].notna().any()


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--measure", "magic"], "--measure"),
        (["--measure", "2sfca", "--option", "cutoff=abc"], "--option"),
        (["--measure", "2sfca", "--option", "colour=3"], "options"),
        (["--profession", "plombier"], "profession"),
    ],
)
def test_bad_measure_or_profession_exit_2(tiny_mirror: Path, tmp_path: Path, capsys, args, field):
    assert _run(["indicators", "-t", TERRITORY, *args], tiny_mirror, tmp_path / "db.duckdb") == 2
    err = capsys.readouterr().err
    assert field in err
    assert "Traceback" not in err


def test_profession_from_the_bpe_2019(tiny_mirror: Path, tmp_path: Path, capsys):
    store = tmp_path / "db.duckdb"
    code = _run(["indicators", "-t", TERRITORY, "--profession", "infirmier"], tiny_mirror, store)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    out = " ".join(captured.out.split())
    assert "Infirmiers : 6 professionnel(s) dans le territoire" in out  # 4 + 2, not Zeta's
    assert "ETP pour 100 000 habitants" in out
    with Store.open(store, read_only=True) as db:
        table = db.read_table("results_profession_infirmier")
    assert set(table["profession"]) == {"infirmier"}


def test_pharmacies_get_the_nearest_time(tiny_mirror: Path, tmp_path: Path, capsys):
    code = _run(["indicators", "-t", TERRITORY, "--profession", "pharmacie"], tiny_mirror,
                tmp_path / "db.duckdb")  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "jusqu'à la plus proche" in captured.out


def test_outlook_and_site_for_another_profession(tiny_mirror: Path, tmp_path: Path, capsys):
    store = tmp_path / "db.duckdb"
    code = _run(["outlook", "-t", TERRITORY, "--profession", "infirmier", "--start-year", "2026"],
                tiny_mirror, store)  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "infirmiers et accès" in " ".join(captured.out.split())
    assert "ÂGES ILLUSTRATIFS" in captured.err
    code = _run(["site", "-t", TERRITORY, "--profession", "infirmier", "--p", "1"], tiny_mirror,
                store)  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    with Store.open(store, read_only=True) as db:
        sites = db.read_table("results_siting")
    assert sites["site_id"].astype(str).str.startswith(("infirmier-", "19")).all()


@pytest.mark.mirror
@pytest.mark.slow
def test_nurses_on_the_mirror(mirror: Path, tmp_path: Path, capsys):
    code = main(["indicators", "--profession", "infirmier", "--territory", "montagne-limousine",
                 "--mirror", str(mirror), "--store", str(tmp_path / "db.duckdb")])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Infirmiers" in captured.out
    assert "BPE 2019" in captured.err
