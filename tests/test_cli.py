from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accessmap.cli import main
from accessmap.messages import render
from accessmap.store import Store
from tests.factories import write_mirror


@pytest.fixture
def tiny_mirror(tmp_path: Path) -> Path:
    return write_mirror(tmp_path / "mirror")


def test_territory_json_and_store(
    tiny_mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    store = tmp_path / "db.duckdb"
    code = main(
        ["territory", "--codes", "19001,19002", "--mirror", str(tiny_mirror), "--store", str(store),
         "--format", "json", "--buffer-km", "5"]
    )  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["communes"] == 2
    assert data["population"] == 1500
    with Store.open(store, read_only=True) as db:
        assert len(db.read_table("communes")) == 4
        assert set(db.provenance()["source"]) == {"communes", "accessmap"}  # + the version


def test_territory_table_output(tiny_mirror: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["territory", "-t", "19001", "--mirror", str(tiny_mirror), "--no-save"]) == 0
    out = capsys.readouterr().out
    assert "Alpha" not in out  # a summary, not a listing
    assert "1\u202f000" in out  # French thousands separator (narrow no-break space)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["territory", "--codes", "19001,99999"], "99999"),
        (["territory", "--codes", "19001,19999"], "19999"),
        (
            ["territory", "--codes", "19001,19001"],
            render("territory.duplicate_codes", {"codes": ["19001"]}),
        ),
        (["territory", "--codes", "abc"], "--territory"),
        (
            ["territory", "--codes", "19001", "--preset", "montagne-limousine"],
            "une seule des options",
        ),
        (["territory", "--codes", "19001", "--format", "xml"], "--format"),
    ],
)
def test_bad_input_exit_2_one_line(
    tiny_mirror: Path, args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
):
    code = main([*args, "--mirror", str(tiny_mirror), "--no-save"])
    assert code == 2
    err = capsys.readouterr().err
    assert needle in err
    assert "Traceback" not in err
    assert "Correctif :" in err


def test_missing_mirror_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    code = main(["territory", "--codes", "19001", "--mirror", str(tmp_path / "none"), "--no-save"])
    assert code == 2
    assert render("sources.mirror_missing", {"name": "none"}) in capsys.readouterr().err


def test_debug_shows_traceback(tiny_mirror: Path):
    from accessmap.errors import ValidationError

    with pytest.raises(ValidationError):
        main(["--debug", "territory", "--codes", "19001,99999", "--mirror", str(tiny_mirror)])


def test_fetch_fills_cache(tiny_mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from accessmap import settings

    store = tmp_path / "db.duckdb"
    code = main(
        ["fetch", "--departments", "19,23", "--mirror", str(tiny_mirror), "--store", str(store)]
    )
    assert code == 0
    cache = settings.get_settings().cache_dir
    assert (cache / "communes" / "communes-19.geojson").is_file()
    assert (cache / "bpe" / "bpe_d201_generalistes.csv").is_file()
    captured = capsys.readouterr()
    assert "drees_apl" in captured.err  # the tiny mirror has no workbook: reported, not fatal
    with Store.open(store, read_only=True) as db:
        assert {"communes", "bpe_gp", "gp_sites_creuse"} <= set(db.provenance()["source"])


def test_console_script_exit_code(tiny_mirror: Path, tmp_path: Path):
    exe = Path(sys.executable).with_name("accessmap")
    result = subprocess.run(
        [str(exe), "territory", "--codes", "19001,99999", "--mirror", str(tiny_mirror),
         "--no-save"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "99999" in result.stderr


def test_entry_point_freezes_the_imported_objects():
    """The console script moves the objects imported at start to the permanent generation."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(gc.get_freeze_count()))\n"
        "sys.argv = ['accessmap', '--help']\n"
        "from accessmap.cli import run\n"
        "run()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip().splitlines()[-1]) > 10_000


@pytest.mark.mirror
def test_preset_json_on_real_mirror(mirror: Path, tmp_path: Path):
    exe = Path(sys.executable).with_name("accessmap")
    result = subprocess.run(
        [str(exe), "territory", "--preset", "montagne-limousine", "--mirror", str(mirror),
         "--format", "json", "--store", str(tmp_path / "db.duckdb")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["communes"] == 97
    assert abs(data["population"] - 29_877) / 29_877 < 0.01  # inside the park (issue 22)
    with Store.open(tmp_path / "db.duckdb", read_only=True) as db:
        sources = set(db.provenance()["location"])
    assert any(s.endswith("communes-19.geojson") for s in sources)
    assert any(s.endswith("pnr-france.geojson") for s in sources)


def test_warnings_about_overlapping_points_print_as_one_line(capsys: pytest.CaptureFixture[str]):
    """Each travel-time table notes its far points; the command prints their union once."""
    import warnings

    from accessmap.cli._common import quiet_warnings
    from accessmap.messages import warn

    far = {"distance_m": 2000, "speed_kmh": 15}
    with quiet_warnings():
        warn("network.far_points", count=2, points=["23005", "23058"], **far)
        warn("network.far_points", count=2, points=["23058", "bpe-16061"], **far)
        warnings.warn("une autre bibliothèque", UserWarning, stacklevel=1)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 2
    assert "3 point(s)" in lines[0]
    assert "23005, 23058, bpe-16061" in lines[0]
    assert "une autre bibliothèque" in lines[1]
