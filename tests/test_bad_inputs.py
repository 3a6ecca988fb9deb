"""A catalogue of bad inputs, through every command: one line, exit 2, nothing changed.

Each case runs the command line in-process against a tiny mirror, a store holding a known table
and a report folder holding known files, and asserts: exit code 2; exactly one ``erreur`` line on
stderr naming the field (and a fix); no traceback; the store's tables and the report's files
unchanged (hashed before and after).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from accessmap.cli import main
from accessmap.messages import render, render_fix
from accessmap.store import Store
from tests.factories import TINY_COMMUNES, write_mirror
from tests.osm_fixtures import FAR_NODES, FAR_WAYS, write_osm

TERRITORY = "19001,19002,19003"


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    """A tiny mirror, a store with one known table, a report folder with known files."""
    mirror = write_mirror(tmp_path / "mirror")
    store = tmp_path / "db.duckdb"
    with Store.open(store) as db:
        db.write_table("results_known", pd.DataFrame({"a": [1, 2, 3]}))
    report = tmp_path / "reports" / "tiny"
    (report / "tables").mkdir(parents=True)
    (report / "diagnostic.html").write_text("<html>previous</html>", encoding="utf-8")
    (report / "tables" / "communes.csv").write_text("id\n19001\n", encoding="utf-8")
    return {"tmp": tmp_path, "mirror": mirror, "store": store, "report": report}


def _store_state(store: Path) -> dict[str, str]:
    with Store.open(store, read_only=True) as db:
        return {
            name: hashlib.sha256(
                db.read_table(name).to_csv(index=False).encode("utf-8")
            ).hexdigest()
            for name in db.tables()
        }


def _report_state(report: Path) -> dict[str, str]:
    """Every file beside and in the report, but the lock file (``.tiny.lock``, empty, kept)."""
    return {
        str(p.relative_to(report.parent)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(report.parent.rglob("*"))
        if p.is_file() and p.name != f".{report.name}.lock"
    }


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _roster(tmp: Path, body: str, name: str = "roster.csv") -> Path:
    return _write(tmp / name, body)


GOOD_ROSTER_HEAD = "practitioner_id,site_id,commune_code,fte,lon,lat\n"

# (id, argv builder, field named in the error line)
CASES: list[tuple[str, object, str]] = [
    # --- territory -------------------------------------------------------------------------
    ("unknown-code", lambda w: ["territory", "--codes", "19001,99999"], "99999"),
    ("malformed-code", lambda w: ["territory", "--codes", "1900A"], "--territory"),
    ("empty-territory", lambda w: ["indicators", "--territory", ""], "--territory"),
    ("not-a-preset", lambda w: ["territory", "--territory", "atlantis"], "--territory"),
    (
        "two-definitions",
        lambda w: ["territory", "--codes", "19001", "--preset", "x"],
        "--territory",
    ),
    (
        "missing-codes-file",
        lambda w: ["territory", "--codes-file", str(w["tmp"] / "no.txt")],
        "--codes-file",
    ),
    (
        "codes-csv-no-column",
        lambda w: ["territory", "--codes-file", str(_write(w["tmp"] / "c.csv", "x,y\n1,2\n"))],
        "c.csv",
    ),
    (
        "polygon-missing",
        lambda w: ["territory", "--polygon", str(w["tmp"] / "no.geojson")],
        "polygon",
    ),
    (
        "polygon-elsewhere",
        lambda w: [
            "territory",
            "--polygon",
            str(
                _write(
                    w["tmp"] / "p.geojson",
                    json.dumps(
                        {
                            "type": "FeatureCollection",
                            "features": [
                                {
                                    "type": "Feature",
                                    "properties": {},
                                    "geometry": {"type": "Point", "coordinates": [2, 45]},
                                }
                            ],
                        }
                    ),
                )
            ),
        ],
        "polygon",
    ),
    ("bad-format", lambda w: ["territory", "--codes", "19001", "--format", "xml"], "--format"),
    ("unknown-epci", lambda w: ["territory", "--epci", "123@19"], "epci"),
    (
        "negative-buffer",
        lambda w: ["territory", "--codes", "19001", "--buffer-km", "-1"],
        "--buffer-km",
    ),
    (
        "missing-mirror",
        lambda w: ["territory", "--codes", "19001", "--mirror", str(w["tmp"] / "nowhere")],
        "communes",
    ),
    # --- rosters --------------------------------------------------------------------------
    (
        "roster-missing",
        lambda w: ["indicators", "-t", TERRITORY, "--roster", str(w["tmp"] / "none.csv")],
        "--roster",
    ),
    (
        "roster-brackets",
        lambda w: ["indicators", "-t", TERRITORY, "--roster", str(w["tmp"] / "roster[v2].csv")],
        "roster[v2].csv",
    ),
    (
        "roster-folder",
        lambda w: ["indicators", "-t", TERRITORY, "--roster", str(w["tmp"])],
        "--roster",
    ),
    (
        "roster-no-columns",
        lambda w: [
            "indicators",
            "-t",
            TERRITORY,
            "--roster",
            str(_roster(w["tmp"], "name,age\nA,50\n")),
        ],
        "roster.csv",
    ),
    (
        "roster-negative-fte",
        lambda w: [
            "indicators",
            "-t",
            TERRITORY,
            "--roster",
            str(_roster(w["tmp"], GOOD_ROSTER_HEAD + "a,s1,19001,-1,2.05,45.65\n")),
        ],
        "roster",
    ),
    (
        "roster-not-a-number",
        lambda w: [
            "indicators",
            "-t",
            TERRITORY,
            "--roster",
            str(_roster(w["tmp"], GOOD_ROSTER_HEAD + "a,s1,19001,one,2.05,45.65\n")),
        ],
        "fte",
    ),
    (
        "roster-ambiguous-separator",
        lambda w: [
            "indicators",
            "-t",
            TERRITORY,
            "--roster",
            str(_roster(w["tmp"], "practitioner_id;site_id,commune_code\na;s1,19001\n")),
        ],
        "roster.csv",
    ),
    (
        "roster-ragged-line",
        lambda w: [
            "indicators",
            "-t",
            TERRITORY,
            "--roster",
            str(_roster(w["tmp"], GOOD_ROSTER_HEAD + "a,s1,19001,1\n")),
        ],
        "roster.csv",
    ),
    (
        "roster-outside-area",
        lambda w: [
            "indicators",
            "-t",
            TERRITORY,
            "--buffer-km",
            "0",
            "--roster",
            str(_roster(w["tmp"], GOOD_ROSTER_HEAD + "a,s1,23002,1,2.05,46.55\n")),
        ],
        "roster",
    ),
    (
        "roster-conflicting-rows",
        lambda w: [
            "indicators",
            "-t",
            TERRITORY,
            "--roster",
            str(
                _roster(
                    w["tmp"],
                    GOOD_ROSTER_HEAD + "a,s1,19001,1,2.05,45.65\na,s2,19002,0.5,2.15,45.65\n",
                )
            ),
        ],
        "roster.csv",
    ),
    (
        "roster-binary",
        lambda w: [
            "indicators",
            "-t",
            TERRITORY,
            "--roster",
            str(_roster(w["tmp"], b"\x00\x01\x02PK\x03\x04")),
        ],
        "--roster",
    ),
    # --- options of indicators and travel times --------------------------------------------
    ("year-out-of-range", lambda w: ["indicators", "-t", TERRITORY, "--year", "1990"], "--year"),
    (
        "osm-missing",
        lambda w: ["indicators", "-t", TERRITORY, "--osm", str(w["tmp"] / "no.osm")],
        "no.osm",
    ),
    (
        "osm-far-away",
        lambda w: [
            "indicators",
            "-t",
            TERRITORY,
            "--osm",
            str(write_osm(w["tmp"] / "far.osm", FAR_NODES, FAR_WAYS)),
        ],
        "far.osm",
    ),
    (
        "osm-and-crowfly",
        lambda w: ["indicators", "-t", TERRITORY, "--osm", "x.osm", "--crowfly"],
        "--crowfly",
    ),
    ("negative-seed", lambda w: ["indicators", "-t", TERRITORY, "--seed", "-1"], "--seed"),
    (
        "out-is-a-folder",
        lambda w: ["indicators", "-t", TERRITORY, "--crowfly", "--out", str(w["tmp"])],
        "--out",
    ),
    # --- outlook -------------------------------------------------------------------------
    (
        "scenario-missing",
        lambda w: ["outlook", "-t", TERRITORY, "--scenario", str(w["tmp"] / "no.toml")],
        "--scenario",
    ),
    (
        "scenario-bad-toml",
        lambda w: [
            "outlook",
            "-t",
            TERRITORY,
            "--scenario",
            str(_write(w["tmp"] / "s.toml", "name = [unclosed\n")),
        ],
        "s.toml",
    ),
    (
        "scenario-unknown-key",
        lambda w: [
            "outlook",
            "-t",
            TERRITORY,
            "--scenario",
            str(_write(w["tmp"] / "s.toml", "colour = 'red'\n")),
        ],
        "colour",
    ),
    (
        "start-year-past",
        lambda w: ["outlook", "-t", TERRITORY, "--start-year", "1800"],
        "--start-year",
    ),
    ("horizon-zero", lambda w: ["outlook", "-t", TERRITORY, "--horizon", "0"], "--horizon"),
    ("runs-zero", lambda w: ["outlook", "-t", TERRITORY, "--runs", "0"], "--runs"),
    # --- site and compare ----------------------------------------------------------------
    ("site-p-zero", lambda w: ["site", "-t", TERRITORY, "--p", "0"], "--p"),
    (
        "site-unknown-model",
        lambda w: ["site", "-t", TERRITORY, "--crowfly", "--model", "magic", "--p", "1"],
        "model",
    ),
    (
        "site-minutes-zero",
        lambda w: ["site", "-t", TERRITORY, "--minutes", "0", "--p", "1"],
        "--minutes",
    ),
    ("site-year-past", lambda w: ["site", "-t", TERRITORY, "--year", "1900", "--p", "1"], "--year"),
    (
        "site-unknown-candidates",
        lambda w: ["site", "-t", TERRITORY, "--crowfly", "--p", "1", "--candidates", "00000,11111"],
        "candidates",
    ),
    (
        "compare-missing",
        lambda w: ["compare", "-t", TERRITORY, "--options", str(w["tmp"] / "no.toml")],
        "--options",
    ),
    (
        "compare-bad-toml",
        lambda w: [
            "compare",
            "-t",
            TERRITORY,
            "--options",
            str(_write(w["tmp"] / "o.toml", "[[option]\n")),
        ],
        "o.toml",
    ),
    (
        "compare-unknown-model",
        lambda w: [
            "compare",
            "-t",
            TERRITORY,
            "--crowfly",
            "--options",
            str(_write(w["tmp"] / "o.toml", "[[option]]\nname = 'x'\nmodel = 'magic'\n")),
        ],
        "magic",
    ),
    # --- diagnose ------------------------------------------------------------------------
    (
        "diagnose-out-is-a-file",
        lambda w: ["diagnose", "-t", TERRITORY, "--out", str(w["report"] / "diagnostic.html")],
        "--out",
    ),
    (
        "diagnose-out-is-the-store",
        lambda w: ["diagnose", "-t", TERRITORY, "--out", str(w["store"])],
        "--out",
    ),
    ("diagnose-runs-zero", lambda w: ["diagnose", "-t", TERRITORY, "--runs", "0"], "--runs"),
    (
        "diagnose-minutes-huge",
        lambda w: ["diagnose", "-t", TERRITORY, "--minutes", "500"],
        "--minutes",
    ),
    (
        "diagnose-start-year-future",
        lambda w: ["diagnose", "-t", TERRITORY, "--start-year", "2300"],
        "--start-year",
    ),
]


ROSTER_HEAD = "practitioner_id,site_id,commune_code,fte,lon,lat,profession,activity,birth_year\n"


def _roster_row(w: dict[str, Path], cells: str) -> str:
    return str(_roster(w["tmp"], ROSTER_HEAD + "a,s1,19001,1,2.05,45.65," + cells + "\n"))


def _feature_file(w: dict[str, Path], geometry: dict[str, object], crs: str | None = None) -> str:
    collection: dict[str, object] = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
    }
    if crs is not None:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return str(_write(w["tmp"] / "zone.geojson", json.dumps(collection)))


_SQUARE = [[[1.9, 45.5], [2.3, 45.5], [2.3, 45.8], [1.9, 45.8], [1.9, 45.5]]]
_BOWTIE = [[[1.9, 45.5], [2.3, 45.8], [2.3, 45.5], [1.9, 45.8], [1.9, 45.5]]]

# Issue 25: every input validated once, by the same validator for check / --dry-run and the run.
CASES += [
    ("roster-profession-near", lambda w: ["diagnose", "-t", TERRITORY, "--dry-run", "--roster",
        _roster_row(w, "generalist,,")], "« generaliste »"),
    ("roster-profession-run", lambda w: ["indicators", "-t", TERRITORY, "--crowfly", "--roster",
        _roster_row(w, "dentist,,")], "profession"),
    ("roster-activity-inf", lambda w: ["indicators", "-t", TERRITORY, "--crowfly", "--roster",
        _roster_row(w, "generaliste,inf,")], "activity"),
    ("roster-activity-inf-dry-run", lambda w: ["diagnose", "-t", TERRITORY, "--dry-run",
        "--roster", _roster_row(w, "generaliste,inf,")], "activity"),
    ("roster-birth-fraction", lambda w: ["indicators", "-t", TERRITORY, "--crowfly", "--roster",
        _roster_row(w, "generaliste,,1970.5")], "birth_year"),
    ("roster-birth-words-dry-run", lambda w: ["diagnose", "-t", TERRITORY, "--dry-run",
        "--roster", _roster_row(w, "generaliste,,dix-neuf-cent")], "birth_year"),
    ("roster-birth-words-check", lambda w: ["check", "-t", TERRITORY, "--roster",
        _roster_row(w, "generaliste,,dix-neuf-cent")], "birth_year"),
    ("dep-empty", lambda w: ["territory", "-t", "dep:"], "--territory"),
    ("geojson-not-json", lambda w: ["territory", "--polygon",
        str(_write(w["tmp"] / "zone.geojson", "ceci n'est pas du JSON"))], "zone.geojson"),
    ("polygon-unknown-crs", lambda w: ["territory", "--polygon",
        _feature_file(w, {"type": "Polygon", "coordinates": _SQUARE}, "EPSG:99999")], "99999"),
    ("polygon-bowtie", lambda w: ["territory", "--polygon",
        _feature_file(w, {"type": "Polygon", "coordinates": _BOWTIE})], "zone.geojson"),
    ("polygon-point", lambda w: ["territory", "--polygon",
        _feature_file(w, {"type": "Point", "coordinates": [2, 45.6]})], "zone.geojson"),
    ("option-without-measure", lambda w: ["indicators", "-t", TERRITORY, "--crowfly",
        "--option", "cutoff=30"], "--option"),
    ("option-infinite", lambda w: ["indicators", "-t", TERRITORY, "--crowfly", "--measure",
        "cumulative_cutoff", "--option", "cutoff=inf"], "cutoff"),
    ("min-population-unmet", lambda w: ["diagnose", "-t", TERRITORY, "--crowfly",
        "--min-population", "1e9"], "--min-population"),
]  # fmt: skip


#: Cases whose message still shows the path given (accessmap.inputs.territory, being converted).
_PATH_SHOWN = {"polygon-missing"}


@pytest.mark.parametrize(("argv", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    world: dict[str, Path],
    argv: object,
    field: str,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
):
    args = argv(world)  # type: ignore[operator]
    before = (_store_state(world["store"]), _report_state(world["report"]))
    if "--out" not in args and args[0] == "diagnose":
        args = [*args, "--out", str(world["report"])]
    if "--mirror" not in args:
        args = [*args, "--mirror", str(world["mirror"])]
    if "--store" not in args:
        args = [*args, "--store", str(world["store"])]
    code = main(args)
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("erreur")]
    assert code == 2, err
    assert len(errors) == 1, err
    assert field in errors[0], errors[0]
    if request.node.callspec.id not in _PATH_SHOWN:  # file names, not the machine's paths
        assert str(world["tmp"]) not in errors[0], errors[0]
    assert "Traceback" not in err
    assert (_store_state(world["store"]), _report_state(world["report"])) == before


def test_catalogue_is_large_enough(tmp_path: Path):
    assert len(CASES) >= 40
    here = {"tmp": tmp_path, "mirror": tmp_path, "store": tmp_path, "report": tmp_path}
    commands = {c[1](here)[0]  # type: ignore[operator]  (the cases write their files in tmp_path)
                for c in CASES
                if not c[0].startswith(("roster-", "codes-", "polygon-", "osm-", "scenario-",
                                        "compare-bad", "diagnose-out", "out-"))}  # fmt: skip
    assert {"territory", "indicators", "outlook", "site", "compare", "diagnose"} <= commands


def test_corrupt_store_is_named_not_blamed_on_other_programs(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
):
    bad = _write(world["tmp"] / "bad.duckdb", b"this is not a database")
    code = main(["territory", "--codes", "19001", "--mirror", str(world["mirror"]),
                 "--store", str(bad)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "--store" in err
    assert render_fix("store.not_duckdb") in err  # said to be damaged, not in use
    assert render_fix("store.in_use") not in err
    assert str(world["tmp"]) not in err  # the file's name, not the machine's path


def test_store_that_is_a_folder(world: dict[str, Path], capsys: pytest.CaptureFixture[str]):
    code = main(["territory", "--codes", "19001", "--mirror", str(world["mirror"]),
                 "--store", str(world["tmp"])])  # fmt: skip
    assert code == 2
    assert "--store" in capsys.readouterr().err


def test_codes_file_with_bom_crlf_and_semicolons_is_read(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
):
    path = _write(world["tmp"] / "codes.txt", "\ufeff19001;19002\r\n# commentaire\r\n19003\r\n")
    code = main(["territory", "--codes-file", str(path), "--mirror", str(world["mirror"]),
                 "--no-save", "--format", "json"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["communes"] == 3


def test_latin1_codes_file_is_read_with_a_note(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
):
    path = _write(world["tmp"] / "codes.txt", "# communes du périmètre\n19001\n".encode("cp1252"))
    code = main(["territory", "--codes-file", str(path), "--mirror", str(world["mirror"]),
                 "--no-save"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Windows-1252" in captured.err


def test_dry_run_checks_without_computing(world: dict[str, Path], capsys):
    before = _report_state(world["report"])
    code = main(["diagnose", "-t", TERRITORY, "--dry-run", "--out", str(world["report"]),
                 "--mirror", str(world["mirror"]), "--store", str(world["store"])])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "territoire" in out
    assert _report_state(world["report"]) == before


def test_every_case_names_a_real_tiny_commune():
    assert {r["code"] for r in TINY_COMMUNES} >= set(TERRITORY.split(","))


def test_api_nan_coordinate_is_refused_at_the_boundary():
    from accessmap import network
    from accessmap.errors import ValidationError

    origins = pd.DataFrame({"id": ["a", "b"], "lon": [2.0, float("nan")], "lat": [45.6, 45.7]})
    dests = pd.DataFrame({"id": ["s"], "lon": [2.1], "lat": [45.6]})
    with pytest.raises(ValidationError) as info:
        network.crowfly_times(origins, dests)
    assert "lon/lat" in str(info.value.field)
    assert "b" in info.value.message


def test_api_negative_population_is_refused_at_the_boundary():
    from accessmap import siting
    from accessmap.errors import ValidationError

    od = pd.DataFrame({"origin_id": ["a"], "dest_id": ["s"], "minutes": [5.0]})
    demand = pd.DataFrame({"id": ["a"], "population": [-3]})
    with pytest.raises(ValidationError) as info:
        siting.mclp(od, demand, p=1, minutes=10)
    assert "population" in str(info.value.field)


def test_a_second_run_on_the_same_report_folder_is_refused(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
):
    from accessmap.publish import report_lock

    with report_lock(world["report"]):  # another run holds the folder
        before = (_store_state(world["store"]), _report_state(world["report"]))
        code = main(["diagnose", "-t", TERRITORY, "--out", str(world["report"]), "--mirror",
                     str(world["mirror"]), "--store", str(world["store"])])  # fmt: skip
        after = (_store_state(world["store"]), _report_state(world["report"]))
    err = capsys.readouterr().err
    assert code == 2
    assert "--out" in err
    assert render("publish.folder_locked", {"name": world["report"].name}) in err
    assert after == before  # nothing added beside the report but its (empty) lock file


def test_api_network_from_frames_nan_longitude_is_refused():
    from accessmap.errors import ValidationError
    from accessmap.network import network_from_frames

    nodes = pd.DataFrame({"node_id": [1, 2], "lon": [2.0, float("nan")], "lat": [45.6, 45.7]})
    edges = pd.DataFrame({"u": [1, 2], "v": [2, 1], "minutes": [1.0, 1.0], "length_m": [900.0] * 2})
    with pytest.raises(ValidationError) as info:
        network_from_frames(nodes, edges)
    assert "lon/lat" in str(info.value.field)
    assert "2" in info.value.message


def test_full_disk_is_said_before_computing_naming_the_folder(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    import shutil

    from accessmap import publish

    usage = shutil.disk_usage(world["tmp"])
    monkeypatch.setattr(publish.shutil, "disk_usage", lambda _: usage._replace(free=1_000_000))
    before = (_store_state(world["store"]), _report_state(world["report"]))
    code = main(["diagnose", "-t", TERRITORY, "--crowfly", "--out", str(world["report"]),
                 "--mirror", str(world["mirror"]), "--store", str(world["store"])])  # fmt: skip
    err = capsys.readouterr().err
    (line,) = [line for line in err.splitlines() if line.startswith("erreur")]
    assert code == 2
    assert "--out" in line
    assert str(world["report"].parent) in line  # the folder, by its path
    assert "Mo" in line
    assert (_store_state(world["store"]), _report_state(world["report"])) == before


def test_pdf_without_chromium_is_refused_before_computing(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    from accessmap.app import diagnose
    from accessmap.report.pdf import ChromiumMissingError

    def missing() -> None:
        raise ChromiumMissingError("chromium absent", field="chromium", fix="installez-le")

    def no_computing(*_: object, **__: object) -> None:
        raise AssertionError("computed before checking Chromium")

    monkeypatch.setattr(diagnose, "find_chromium", missing)
    monkeypatch.setattr(diagnose, "run_diagnostic", no_computing)
    code = main(["diagnose", "-t", TERRITORY, "--crowfly", "--pdf", "--out", str(world["report"]),
                 "--mirror", str(world["mirror"]), "--store", str(world["store"])])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2, err
    assert len([line for line in err.splitlines() if line.startswith("erreur")]) == 1
    assert "chromium" in err


def test_sqlite_store_is_refused_before_duckdb_reads_it(world: dict[str, Path]):
    from accessmap.errors import MissingDataError

    sqlite = _write(world["tmp"] / "other.duckdb", b"SQLite format 3\x00" + bytes(200))
    with pytest.raises(MissingDataError) as info, Store.open(sqlite):
        pass
    assert info.value.code == "store.not_duckdb"
    code = main(["territory", "--codes", "19001", "--mirror", str(world["mirror"]),
                 "--store", str(sqlite)])  # fmt: skip
    assert code == 2


@pytest.mark.mirror
@pytest.mark.slow
@pytest.mark.parametrize(
    "args", [("-t", "2A004"), ("-t", "19031,19272", "--buffer-km", "5")], ids=["one", "two"]
)
def test_small_territories_are_diagnosed(
    mirror: Path, tmp_path: Path, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
):
    code = main(["diagnose", *args, "--crowfly", "--runs", "50", "--out",
                 str(tmp_path / "reports" / "small"), "--mirror", str(mirror),
                 "--store", str(tmp_path / "db.duckdb")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    assert (tmp_path / "reports" / "small" / "diagnostic.html").is_file()


@pytest.mark.parametrize(
    ("codes", "shown", "padded"),
    [("9001,09001", "9001", "09001"), ("19001,99999", "99999", None), ("1900A", "1900A", None)],
)
def test_codes_are_reported_as_given(
    world: dict[str, Path],
    codes: str,
    shown: str,
    padded: str | None,
    capsys: pytest.CaptureFixture[str],
):
    code = main(["territory", "--codes", codes, "--mirror", str(world["mirror"]),
                 "--store", str(world["store"])])  # fmt: skip
    err = capsys.readouterr().err
    [line] = [row for row in err.splitlines() if row.startswith("erreur")]
    assert code == 2, err
    assert shown in line, line
    if padded is not None:  # a 4-digit code is named as written, not as padded
        assert padded not in line, line
