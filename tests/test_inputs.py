"""The input layer: one rule for what is loaded and which travel times are used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from accessmap import settings
from accessmap.cli import main
from accessmap.conventions import SITING_MINUTES
from accessmap.diagnostic import DiagnosticOptions
from accessmap.errors import ValidationError
from accessmap.inputs import (
    InputOptions,
    compute_traveltimes,
    demand_table,
    load_inputs,
    load_roster_csv,
)
from accessmap.messages import AccessmapWarning, Message
from tests.factories import TINY_COMMUNES, write_mirror
from tests.osm_fixtures import write_osm

DATA = Path(__file__).resolve().parents[1] / "src" / "accessmap" / "data"


@pytest.fixture
def tiny_mirror(tmp_path: Path) -> Path:
    return write_mirror(tmp_path / "mirror")


def _tiny_roads(path: Path, *, highway: str = "secondary") -> Path:
    """A road through every tiny town hall, each with a short spur (so it stays a graph node)."""
    halls = {i + 1: (r["x"] + 0.05, r["y"] + 0.05) for i, r in enumerate(TINY_COMMUNES)}
    spurs = {100 + k: (lon + 0.002, lat + 0.002) for k, (lon, lat) in halls.items()}
    ways = [
        (100, [1, 2, 3, 4, 5], {"highway": highway}),
        (101, [1, 6, 7], {"highway": highway}),
        *[(200 + k, [k, 100 + k], {"highway": "residential"}) for k in halls],
    ]
    return write_osm(path, {**halls, **spurs}, ways)


def test_one_standardised_population_definition():
    study = pd.DataFrame(
        {"code": ["19001", "19002"], "population": [1000, 500], "in_territory": [True, False]}
    )
    published = pd.DataFrame(
        {
            "code": ["19001", "19001"],
            "year": [2022, 2023],
            "pop_std": [900.0, 1100.0],
            "pop_total": [1000.0, 1000.0],
        }
    )
    demand = demand_table(study, published)
    # the latest vintage's ratio (1.1) applied to today's population; no DREES row: population
    assert demand["pop_std"].tolist() == pytest.approx([1100.0, 500.0])
    assert demand["in_territory"].tolist() == [True, False]


def test_source_grep_finds_one_definition_of_pop_std():
    src = Path(__file__).resolve().parents[1] / "src" / "accessmap"
    hits = [
        p.relative_to(src).as_posix()
        for p in src.rglob("*.py")
        if '"pop_std"] / ' in p.read_text(encoding="utf-8")
        or "pop_std / pop_total" in p.read_text(encoding="utf-8")
    ]
    assert hits == ["inputs/demand.py"]


def test_one_default_siting_threshold_everywhere():
    from accessmap.siting.registry import get_model

    assert DiagnosticOptions().minutes == SITING_MINUTES
    assert get_model("mclp").parameter("minutes").default == SITING_MINUTES


def test_diagnose_reads_the_winter_setting(tiny_mirror: Path, tmp_path: Path):
    roads = _tiny_roads(tmp_path / "roads.osm")
    assert DiagnosticOptions().winter is None  # None: the ACCESSMAP_WINTER setting decides
    minutes = {}
    for winter in (False, True):
        with settings.override(mirror=tiny_mirror, winter=winter):
            inputs = load_inputs(InputOptions(territory="19001,19002", buffer_km=0, osm=roads))
            times, road = compute_traveltimes(inputs.territory, inputs.roster, inputs.roads)
        assert road is not None
        minutes[winter] = times.table.set_index(["origin_id", "dest_id"])["minutes"]
    pair = ("19002", "bpe-19001")
    assert minutes[True][pair] > minutes[False][pair] > 0


def test_mirror_roads_are_used_without_a_flag(tiny_mirror: Path):
    (tiny_mirror / "roads").mkdir()
    _tiny_roads(tiny_mirror / "roads" / "routes.osm")
    with settings.override(mirror=tiny_mirror):
        inputs = load_inputs(InputOptions(territory="19001,19002", buffer_km=0))
    assert inputs.roads.kind == "mirror"
    assert inputs.roads.label == str(Message("inputs.roads_mirror", name="routes.osm"))
    assert "SIMPLIFIÉS" in inputs.roads.label
    with settings.override(mirror=tiny_mirror):
        forced = load_inputs(InputOptions(territory="19001,19002", buffer_km=0, crowfly=True))
    assert forced.roads.kind == "crowfly"


def test_no_roads_anywhere_falls_back_to_crowfly(tiny_mirror: Path):
    with settings.override(mirror=tiny_mirror):
        inputs = load_inputs(InputOptions(territory="19001", buffer_km=0))
        times, road = compute_traveltimes(inputs.territory, inputs.roster, inputs.roads)
    assert road is None
    assert set(times.table["method"]) == {"crowfly"}


def test_illustrative_ages_follow_the_seed(tiny_mirror: Path):
    from accessmap.diagnostic.answers import supply_in

    fte = []
    for seed in (1, 2):
        with settings.override(mirror=tiny_mirror):
            inputs = load_inputs(InputOptions(territory="19001,19003,23001", seed=seed))
        assert inputs.ages_are_illustrative
        fte.append(supply_in(inputs, 2040, [])["fte"].to_numpy())
    assert not (fte[0] == fte[1]).all()


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"seed": -1}, "--seed", "inputs.bad_seed"),
        ({"apl_year": 1990}, "--year", "inputs.bad_apl_year"),
        ({"osm": Path("x.osm"), "crowfly": True}, "--crowfly", "inputs.osm_and_crowfly"),
    ],
)
def test_input_options_are_bounded(kwargs: dict[str, object], field: str, code: str):
    with pytest.raises(ValidationError) as info:
        InputOptions(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert info.value.code == code


def test_french_semicolon_roster_with_decimal_commas(tmp_path: Path):
    path = tmp_path / "medecins.csv"
    path.write_bytes(
        "\ufeffpractitioner_id;site_id;commune_code;fte;lon;lat\r\n"
        "a;s1;19001;0,5;2,05;45,65\r\n"
        "b;s1;19001;1;2,05;45,65\r\n".encode()
    )
    roster = load_roster_csv(path)
    assert roster.practitioners["fte"].tolist() == [0.5, 1.0]
    assert roster.sites["lat"].tolist() == [45.65]


def test_latin1_roster_is_read_with_a_note(tmp_path: Path):
    path = tmp_path / "medecins.csv"
    path.write_bytes(
        "practitioner_id;site_id;commune_code;site_name;lon;lat\na;s1;19001;Défi;2,05;45,65\n".encode(
            "cp1252"
        )
    )
    with pytest.warns(AccessmapWarning) as caught:
        roster = load_roster_csv(path)
    note = caught[0].message
    assert isinstance(note, AccessmapWarning)
    assert note.note == Message("sources.read_as_cp1252", name="medecins.csv")
    assert "Windows-1252" in str(note)
    assert roster.sites["name"].tolist() == ["Défi"]


def test_ambiguous_separator_is_refused_naming_it(tmp_path: Path):
    path = tmp_path / "medecins.csv"
    path.write_text("practitioner_id;site_id,commune_code\na;s1,19001\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_roster_csv(path)
    assert (info.value.code, info.value.field) == ("sources.ambiguous_separator", "medecins.csv")


def test_roster_template_works_in_indicators(tiny_mirror: Path, tmp_path: Path, capsys):
    roster = tmp_path / "roster.csv"
    shutil.copy(DATA / "roster_template.csv", roster)
    codes = ",".join(sorted(set(pd.read_csv(roster, dtype=str)["commune_code"])))
    code = main(
        ["indicators", "--territory", codes, "--roster", str(roster),
         "--store", str(tmp_path / "db.duckdb"), "--mirror", str(tiny_mirror), "--crowfly"]
    )  # fmt: skip
    captured = capsys.readouterr()
    # the template's communes are not in the tiny mirror: one clear line, never a KeyError
    assert code in (0, 2), captured.err
    assert "KeyError" not in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.mirror
@pytest.mark.slow
def test_compare_runs_the_shipped_options_example(mirror: Path, tmp_path: Path, capsys):
    code = main(
        ["compare", "--options", str(DATA / "options_example.toml"), "--territory",
         "montagne-limousine", "--mirror", str(mirror), "--crowfly", "--time-limit", "20",
         "--store", str(tmp_path / "db.duckdb")]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Options comparées" in captured.out


def test_brackets_in_user_text_are_kept(tiny_mirror: Path, tmp_path: Path, capsys):
    code = main(
        ["indicators", "--territory", "19001", "--roster", str(tmp_path / "roster[v2].csv"),
         "--mirror", str(tiny_mirror), "--store", str(tmp_path / "db.duckdb")]
    )  # fmt: skip
    assert code == 2
    assert "roster[v2].csv" in capsys.readouterr().err


def test_empty_territory_is_refused(tiny_mirror: Path, capsys):
    assert main(["indicators", "--territory", "", "--mirror", str(tiny_mirror)]) == 2
    assert "--territory" in capsys.readouterr().err


@pytest.mark.mirror
@pytest.mark.slow
def test_diagnose_with_the_roster_template_on_the_mirror(mirror: Path, tmp_path: Path, capsys):
    out = tmp_path / "rapport"
    code = main(
        ["diagnose", "--roster", str(DATA / "roster_template.csv"), "--mirror", str(mirror),
         "--store", str(tmp_path / "db.duckdb"), "--out", str(out), "--runs", "50"]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    html = (out / "diagnostic.html").read_text(encoding="utf-8")
    assert "routes numérotées" in html  # the mirror's roads, without a flag
    assert "APL" in html
    assert "ILLUSTRATIFS" not in captured.err  # the ages are the user's


def test_host_rules_restrict_the_candidates(tiny_mirror: Path):
    from accessmap.diagnostic.answers import host_candidates

    with settings.override(mirror=tiny_mirror):
        inputs = load_inputs(InputOptions(territory="19001,19002,19003,19004", buffer_km=0))
    assert host_candidates(inputs) == ["19001", "19002", "19003", "19004"]
    assert host_candidates(inputs, min_population=300) == ["19001", "19002"]
    assert host_candidates(inputs, premises=["19003", "19004"], exclude=["19004"]) == ["19003"]


@pytest.mark.mirror
def test_indicators_with_the_roster_template_on_the_mirror(mirror: Path, tmp_path: Path, capsys):
    code = main(
        ["indicators", "--roster", str(DATA / "roster_template.csv"), "--territory",
         "montagne-limousine", "--mirror", str(mirror), "--store", str(tmp_path / "db.duckdb")]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "APL OFFICIEL" in captured.out
