"""Every line a reader sees from the command line is French: good runs, bad inputs, help screens.

Runs each command on representative good and bad inputs against a tiny mirror and checks stdout
and stderr with the English detector of ``tests/test_messages.py`` (identifiers such as file
names, INSEE codes and option names aside).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accessmap.cli import main
from tests.factories import write_mirror
from tests.test_bad_inputs import CASES, world  # noqa: F401  (fixture)
from tests.test_messages import english_words

TERRITORY = "19001,19002,19003"


@pytest.fixture
def tiny(tmp_path: Path) -> dict[str, Path]:
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
    return {"mirror": root, "store": tmp_path / "db.duckdb", "tmp": tmp_path}


GOOD: list[tuple[str, list[str]]] = [
    ("territory-table", ["territory", "--codes", TERRITORY]),
    ("territory-json", ["territory", "--codes", TERRITORY, "--format", "json"]),
    ("traveltimes", ["traveltimes", "-t", TERRITORY, "--crowfly", "--buffer-km", "5"]),
    ("indicators", ["indicators", "-t", TERRITORY, "--crowfly"]),
    ("indicators-measure", ["indicators", "-t", TERRITORY, "--crowfly", "--measure", "2sfca"]),
    ("indicators-nurses",
     ["indicators", "-t", TERRITORY, "--crowfly", "--profession", "infirmier"]),
    ("indicators-pharmacies",
     ["indicators", "-t", TERRITORY, "--crowfly", "--profession", "pharmacie"]),
    ("outlook", ["outlook", "-t", TERRITORY, "--crowfly", "--start-year", "2026", "--runs", "20"]),
    ("site-mclp", ["site", "-t", TERRITORY, "--crowfly", "--buffer-km", "5", "--model", "mclp",
                   "--p", "1"]),
    ("site-p-median", ["site", "-t", TERRITORY, "--crowfly", "--buffer-km", "5", "--model",
                       "p_median", "--p", "1"]),
]  # fmt: skip

HELP: list[list[str]] = [
    ["--help"],
    *[[command, "--help"] for command in
      ("territory", "fetch", "traveltimes", "indicators", "outlook", "site", "compare", "check",
       "diagnose")],
]  # fmt: skip


def _english(text: str) -> list[tuple[str, list[str]]]:
    return [(line, english_words(line)) for line in text.splitlines() if english_words(line)]


@pytest.mark.parametrize("argv", [g[1] for g in GOOD], ids=[g[0] for g in GOOD])
def test_good_runs_print_french(tiny: dict[str, Path], argv: list[str], capsys):
    code = main([*argv, "--mirror", str(tiny["mirror"]), "--store", str(tiny["store"])])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert _english(out.out + "\n" + out.err) == []


@pytest.mark.parametrize("argv", HELP, ids=[" ".join(h) for h in HELP])
def test_help_screens_are_french(argv: list[str], capsys):
    assert main(argv) == 0
    out = capsys.readouterr()
    assert _english(out.out + "\n" + out.err) == []


@pytest.mark.parametrize(("argv", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_inputs_are_refused_in_french(
    world: dict[str, Path],  # noqa: F811
    argv: object,
    field: str,
    capsys,
):
    args = argv(world)  # type: ignore[operator]
    if "--out" not in args and args[0] == "diagnose":
        args = [*args, "--out", str(world["report"])]
    if "--mirror" not in args:
        args = [*args, "--mirror", str(world["mirror"])]
    assert main([*args, "--store", str(world["store"])]) == 2
    out = capsys.readouterr()
    assert _english(out.out + "\n" + out.err) == []


def test_enough_commands_are_checked():
    assert len(GOOD) + len(HELP) + len(CASES) >= 20
