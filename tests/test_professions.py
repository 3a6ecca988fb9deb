"""Other health professions: BPE 2019 read back, the pôle view by hand, the diagnostic step."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accessmap import settings
from accessmap.conventions import within
from accessmap.diagnostic import DiagnosticOptions, load_inputs
from accessmap.diagnostic.professions import (
    BPE_SOURCE,
    COUNTING_CAVEAT,
    OFFICIAL_SOURCE,
    OTHER_PROFESSIONS,
    USER_SOURCE,
    compute_professions,
)
from accessmap.errors import ValidationError
from accessmap.indicators import PROFESSIONS, pole_sites, pole_view
from accessmap.inputs import InputOptions
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.supply import make_roster
from tests.factories import write_mirror

TERRITORY = "19001,19002,19003,19004,19005"
#: Ussel (several IRIS rows per code), Meymac and Faux-la-Montagne.
THREE = ("19275", "19136", "23077")
#: A tiny BPE 2019 in the official layout: GPs as in the tiny D201 extract, then the others.
TINY_BPE = (
    "REG;DEP;DEPCOM;DCIRIS;AN;TYPEQU;NB_EQUIP\n"
    "75;19;19001;19001;2019;D201;3\n"
    "75;19;19003;19003;2019;D201;1\n"
    "75;23;23001;23001;2019;D201;2\n"
    "75;19;19001;19001_0101;2019;D232;3\n"
    "75;19;19001;19001_0102;2019;D232;1\n"
    "75;19;19004;19004;2019;D232;2\n"
    "75;23;23001;23001;2019;D232;1\n"
    "75;19;19003;19003;2019;D233;1\n"
    "75;19;19001;19001;2019;D231;1\n"
    "75;19;19002;19002;2019;D221;1\n"
    "75;19;19002;19002;2019;D301;1\n"
    "75;19;19002;19002;2019;D108;9\n"
)


def _raw_counts(path: Path, codes: tuple[str, ...]) -> dict[tuple[str, str], int]:
    """Sum NB_EQUIP per commune and code straight from the file (no pandas, no accessmap)."""
    wanted = {p.bpe_code for p in PROFESSIONS.values()}
    out: dict[tuple[str, str], int] = defaultdict(int)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["DEPCOM"] in codes and row["TYPEQU"] in wanted:
                out[row["DEPCOM"], row["TYPEQU"]] += int(row["NB_EQUIP"])
    return dict(out)


def test_bpe_counts_of_three_communes_read_back_exactly(mirror: Path):
    from accessmap.inputs import load_territory, profession_roster
    from accessmap.sources import load_bpe_counts

    raw = _raw_counts(mirror / "bpe" / "bpe19_ensemble_sante.csv", THREE)
    assert raw[("19275", "D232")] == 17  # five IRIS rows summed
    codes = tuple(p.bpe_code for p in PROFESSIONS.values())
    with settings.override(mirror=mirror):
        counts = load_bpe_counts(codes)
        territory = load_territory(",".join(THREE), buffer_km=0.5)
        gps = make_roster(pd.DataFrame({"practitioner_id": [], "site_id": []}), pd.DataFrame(
            {"site_id": [], "commune_code": [], "lon": [], "lat": []}))  # fmt: skip
        ours = counts[counts["code"].isin(THREE)]
        assert dict(zip(zip(ours["code"], ours["typequ"], strict=True), ours["count"],
                        strict=True)) == raw  # fmt: skip
        for key, prof in PROFESSIONS.items():
            if key == DEFAULT_PROFESSION:
                continue
            roster = profession_roster(territory, gps, profession=key, user_roster=False)
            links = roster.assignments.merge(roster.sites, on="site_id")
            per_commune = links.groupby("commune_code")["practitioner_id"].nunique()
            for code in THREE:
                assert int(per_commune.get(code, 0)) == raw.get((code, prof.bpe_code), 0), (
                    key, code)  # fmt: skip
            assert set(roster.practitioners["profession"]) <= {key}
            assert (roster.practitioners["fte"] == 1.0).all()


# --- the pôle view, by hand ----------------------------------------------------------------


@pytest.fixture
def pole_case() -> dict[str, object]:
    """Three territory communes A, B, C (1000, 500, 250 inhabitants) and one buffer commune D.

    Pôle sites: msp-a (commune A) and msp-b (commune B). A GP shares her time between both; two
    nurses are counted by the BPE at B's town hall (another site, same commune); a
    physiotherapist practises at C only, outside the pôle.
    """
    sites = pd.DataFrame({
        "site_id": ["msp-a", "msp-b", "infirmier-bpe-B", "kine-C"],
        "name": ["MSP A", "MSP B", "B (BPE 2019)", "Cabinet C"],
        "kind": ["msp", "msp", "cabinet", "cabinet"],
        "commune_code": ["00001", "00002", "00002", "00003"],
        "lon": [2.0, 2.1, 2.1, 2.2], "lat": [45.6] * 4,
    })  # fmt: skip
    practitioners = pd.DataFrame({
        "practitioner_id": ["gp1", "n1", "n2", "k1"],
        "profession": ["generaliste", "infirmier", "infirmier", "masseur_kinesitherapeute"],
        "fte": [1.0, 1.0, 1.0, 0.8],
    })  # fmt: skip
    assignments = pd.DataFrame({
        "practitioner_id": ["gp1", "gp1", "n1", "n2", "k1"],
        "site_id": ["msp-a", "msp-b", "infirmier-bpe-B", "infirmier-bpe-B", "kine-C"],
        "share": [0.5, 0.5, 1.0, 1.0, 1.0],
    })  # fmt: skip
    roster = make_roster(practitioners, sites, assignments)
    od = pd.DataFrame({
        "origin_id": ["00001", "00002", "00003", "00004"] * 2,
        "dest_id": ["msp-a"] * 4 + ["msp-b"] * 4,
        "minutes": [0.0, 12.0, 25.0, 5.0, 15.0, 0.0, 31.0, 5.0],
    })  # fmt: skip
    demand = pd.DataFrame({
        "id": ["00001", "00002", "00003", "00004"],
        "population": [1000, 500, 250, 5000],
        "in_territory": [True, True, True, False],
    })  # fmt: skip
    return {"roster": roster, "od": od, "demand": demand}


def test_pole_view_against_a_hand_computation(pole_case):
    roster = pole_case["roster"]
    rosters = dict.fromkeys(("generaliste", "infirmier", "masseur_kinesitherapeute"), roster)
    sites = pole_sites(roster)
    assert list(sites["site_id"]) == ["msp-a", "msp-b"]
    view = pole_view(sites, rosters, pole_case["od"], pole_case["demand"])
    at = view.sites.set_index(["site_id", "profession"])
    # the GP works at both sites (half time each); the BPE nurses count at B's MSP
    assert at.loc[("msp-a", "generaliste"), "headcount"] == 1
    assert at.loc[("msp-a", "generaliste"), "fte"] == pytest.approx(0.5)
    assert at.loc[("msp-b", "infirmier"), "headcount"] == 2
    assert at.loc[("msp-b", "infirmier"), "fte"] == pytest.approx(2.0)
    assert ("msp-a", "infirmier") not in at.index
    assert "masseur_kinesitherapeute" not in set(view.sites["profession"])
    assert view.population == 1750.0  # D (buffer) is not in the denominator
    reach = view.reach.set_index(["profession", "minutes"])
    # GPs from A and B: A 0, B 0, C min(25, 31) = 25 minutes
    assert reach.loc[("generaliste", 15.0), "population"] == 1500
    assert reach.loc[("generaliste", 30.0), "share"] == pytest.approx(1.0)
    # nurses from B only: A 15 (not within 15: t < T), B 0, C 31
    assert reach.loc[("infirmier", 15.0), "population"] == 500
    assert reach.loc[("infirmier", 15.0), "share"] == pytest.approx(500 / 1750)
    assert reach.loc[("infirmier", 30.0), "population"] == 1500
    assert reach.loc[("infirmier", 30.0), "n_sites"] == 1
    # the physiotherapist is not at a pôle site: the pôle reaches nobody for her
    assert reach.loc[("masseur_kinesitherapeute", 30.0), "population"] == 0
    assert reach.loc[("masseur_kinesitherapeute", 30.0), "n_sites"] == 0
    wide = view.wide().set_index("profession")
    assert wide.loc["infirmier", "share_within_30"] == pytest.approx(1500 / 1750)


def test_pole_view_refuses_bad_thresholds(pole_case):
    roster = pole_case["roster"]
    with pytest.raises(ValidationError) as err:
        pole_view(pole_sites(roster), {"generaliste": roster}, pole_case["od"],
                  pole_case["demand"], minutes=(0.0,))  # fmt: skip
    assert err.value.field == "minutes"


# --- the diagnostic step on the tiny mirror --------------------------------------------------


@pytest.fixture
def tiny_bpe_mirror(tmp_path: Path) -> Path:
    root = write_mirror(tmp_path / "mirror")
    (root / "bpe" / "bpe19_ensemble_sante.csv").write_text(TINY_BPE, encoding="utf-8")
    return root


def _step(mirror: Path, tmp_path: Path, roster: Path | None = None):
    opts = DiagnosticOptions(inputs=InputOptions(territory=TERRITORY, buffer_km=5, roster=roster))
    with settings.override(mirror=mirror, cache_dir=tmp_path / "cache", online=False):
        inputs = load_inputs(opts)
        return inputs, compute_professions(inputs, opts)


def test_step_on_the_tiny_mirror(tiny_bpe_mirror: Path, tmp_path: Path):
    _inputs, result = _step(tiny_bpe_mirror, tmp_path)
    # no primary given: the default profession runs through the same step, first
    assert list(result) == [DEFAULT_PROFESSION, *OTHER_PROFESSIONS]
    assert [r.profession for r in result.others] == list(OTHER_PROFESSIONS)
    summary = result.summary.set_index("profession")
    # practitioners in the territory: 19001 (3 + 1 over two IRIS) and 19004; 23001 is buffer
    assert summary.loc["infirmier", "practitioners"] == 6
    assert summary.loc["infirmier", "fte"] == pytest.approx(6.0)
    assert summary.loc["masseur_kinesitherapeute", "practitioners"] == 1
    assert summary.loc["pharmacie", "practitioners"] == 1
    assert set(result.others_summary["source"]) == {BPE_SOURCE}
    assert summary.loc[DEFAULT_PROFESSION, "source"] == OFFICIAL_SOURCE
    assert summary.loc["infirmier", "illustrative_ages"]
    assert not summary.loc["pharmacie", "illustrative_ages"]  # offices: no outlook
    assert result.get("pharmacie").outlook is None  # type: ignore[union-attr]
    assert any(COUNTING_CAVEAT in n for n in result.notes)
    nurses = result.get("infirmier")
    assert nurses is not None
    assert nurses.outlook is not None
    assert nurses.outlook.illustrative_ages
    assert nurses.outlook.profession == "infirmier"
    table = nurses.communes.set_index("id")
    assert table.loc["19001", "nearest_minutes"] == 0.0
    assert table.loc["19004", "nearest_minutes"] == 0.0
    assert table.loc["19002", "nearest_minutes"] > 0.0
    # the summary row is the communes table aggregated over the territory
    inside = nurses.communes[nurses.communes["in_territory"]]
    pop = inside["population"].to_numpy(dtype=float)
    minutes = inside["nearest_minutes"].to_numpy(dtype=float)
    assert summary.loc["infirmier", "pop_beyond_20"] == pop[~within(minutes, 20.0)].sum()
    assert summary.loc["infirmier", "population"] == 1875
    expected = np.average(inside["value"], weights=pop)
    assert summary.loc["infirmier", "indicator"] == pytest.approx(expected)
    pharmacies = result.get("pharmacie")
    assert pharmacies is not None
    assert np.array_equal(pharmacies.communes["value"], pharmacies.communes["nearest_minutes"])
    assert pharmacies.communes.set_index("id").loc["19002", "value"] == 0.0
    assert result.pole is None  # the tiny territory has no MSP
    assert result.traveltimes is not None
    assert any(s.dataset == "bpe_sante" for s in result.provenance)


def test_user_roster_rows_win_and_each_profession_keeps_its_supply(
    tiny_bpe_mirror: Path, tmp_path: Path
):
    path = tmp_path / "roster.csv"
    path.write_text(
        "practitioner_id,profession,birth_year,activity,fte,new_install,health_centre,"
        "retirement_year,site_id,site_name,site_kind,commune_code,lon,lat,share\n"
        "gp-1,generaliste,1960,,1.0,false,false,,msp-gamma,MSP de Gamma,msp,19003,,,1\n"
        "nurse-1,infirmier,1958,,1.0,false,false,,msp-gamma,MSP de Gamma,msp,19003,,,1\n"
        "nurse-2,infirmier,1990,,0.5,false,false,,msp-gamma,MSP de Gamma,msp,19003,,,1\n",
        encoding="utf-8",
    )
    _, result = _step(tiny_bpe_mirror, tmp_path, roster=path)
    summary = result.summary.set_index("profession")
    assert summary.loc["infirmier", "source"] == USER_SOURCE
    assert summary.loc["infirmier", "practitioners"] == 2
    assert summary.loc["infirmier", "fte"] == pytest.approx(1.5)
    assert not summary.loc["infirmier", "illustrative_ages"]  # the user's ages
    assert summary.loc["masseur_kinesitherapeute", "source"] == BPE_SOURCE  # none in the file
    nurses = result.get("infirmier")
    assert nurses is not None
    assert set(nurses.roster.practitioners["profession"]) == {"infirmier"}
    assert nurses.communes.set_index("id").loc["19003", "nearest_minutes"] == 0.0
    assert nurses.communes.set_index("id").loc["19001", "nearest_minutes"] > 0.0
    # the pôle: the MSP of Gamma hosts the GP and the nurses; the BPE physio of Gamma counts too
    assert result.pole is not None
    present = set(result.pole.sites["profession"])
    assert present == {"generaliste", "infirmier", "masseur_kinesitherapeute"}


def test_step_without_the_bpe_file_says_so(tmp_path: Path):
    _inputs, result = _step(write_mirror(tmp_path / "mirror"), tmp_path)
    assert list(result) == [DEFAULT_PROFESSION]  # GPs come from the input layer
    assert result.others == ()
    assert result.others_summary.empty
    assert len(result.notes) == 1
    assert "bpe/bpe19_ensemble_sante.csv" in result.notes[0]
    assert "infirmiers, masseurs-kinésithérapeutes" in result.notes[0]
    assert str(tmp_path) not in result.notes[0]  # no local path reaches a reader
