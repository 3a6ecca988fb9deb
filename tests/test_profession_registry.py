"""The profession registry: one entry makes a profession, and every step then accepts it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accessmap import settings
from accessmap.contracts import AplParameters
from accessmap.diagnostic import (
    DiagnosticOptions,
    compute_outlook,
    load_inputs,
    run_diagnostic,
)
from accessmap.diagnostic.answers import answer_site
from accessmap.diagnostic.measures import answer_profession, inputs_for_profession
from accessmap.diagnostic.professions import USER_SOURCE
from accessmap.errors import ValidationError
from accessmap.indicators import PROFESSIONS as INDICATOR_PROFESSIONS
from accessmap.inputs import InputOptions, compute_traveltimes
from accessmap.professions import (
    DEFAULT_PROFESSION,
    PROFESSIONS,
    Profession,
    profession,
    profession_keys,
    register_profession,
    unregister_profession,
)
from accessmap.report import write_report
from accessmap.workforce import DEFAULT_GP_AGE_BANDS, DEFAULT_RETIREMENT_AGES
from tests.factories import write_mirror

TERRITORY = "19001,19002,19003,19004,19005"
DUMMY = "orthophoniste"
START = 2026


def test_lookup_refuses_unknown_keys_and_suggests_near_misses():
    assert profession(DEFAULT_PROFESSION).bpe_code == "D201"
    with pytest.raises(ValidationError) as near:
        profession("infirmiere")
    assert near.value.code == "profession.unknown_near"
    assert "infirmier" in near.value.fix
    with pytest.raises(ValidationError) as far:
        profession("plombier")
    assert far.value.code == "profession.unknown"
    assert "sage_femme" in far.value.fix
    assert INDICATOR_PROFESSIONS is PROFESSIONS  # the indicators' name is the registry


def test_french_counts_follow_number_and_gender():
    assert profession(DEFAULT_PROFESSION).count(3) == "3 médecins généralistes"
    assert profession(DEFAULT_PROFESSION).count(1) == "1 médecin généraliste"
    assert profession("sage_femme").count(0) == "aucune sage-femme"
    assert profession("infirmier").count(0) == "aucun infirmier"
    assert profession("infirmier").count(1200) == "1\u202f200 infirmiers"


def test_workforce_defaults_are_the_default_professions_entries():
    gp = profession(DEFAULT_PROFESSION)
    assert dict(DEFAULT_RETIREMENT_AGES) == dict(gp.retirement_ages)
    assert gp.age_bands == DEFAULT_GP_AGE_BANDS
    assert profession(DEFAULT_PROFESSION).age_bands == gp.age_bands


def test_register_refuses_duplicates_and_the_default_stays():
    with pytest.raises(ValidationError) as dup:
        register_profession(profession("infirmier"))
    assert dup.value.code == "profession.duplicate"
    with pytest.raises(ValidationError) as default:
        unregister_profession(DEFAULT_PROFESSION)
    assert default.value.code == "profession.default"
    with pytest.raises(ValidationError) as bad:
        Profession("x y", "X", "x", "x", "m", "D000", "apl", "u", params=AplParameters())
    assert bad.value.code == "profession.bad_entry"
    with pytest.raises(ValidationError):
        Profession("xy", "X", "x", "x", "m", "D000", "apl", "u")  # an APL needs parameters
    with pytest.raises(ValidationError) as asked:
        DiagnosticOptions(inputs=InputOptions(territory=TERRITORY), professions=("infirmiers",))
    assert asked.value.code == "profession.unknown_near"


# --- a dummy profession, end to end -------------------------------------------------------


@pytest.fixture
def dummy() -> Iterator[Profession]:
    """One registry entry: its own retirement curve (all stop at 62) and its own age bands."""
    entry = register_profession(
        Profession(
            DUMMY, "Orthophonistes", "orthophoniste", "orthophonistes", "m", "D999", "apl",
            "ETP pour 100 000 habitants", scale=100_000.0,
            params=AplParameters(zero_below=0.0, floor_acts=0.0, cap_acts=float("inf"),
                                 new_gp_acts=1.0, source="test"),
            retirement_ages={62: 1.0}, age_bands=((40, 44, 1.0),),
        )
    )  # fmt: skip
    try:
        yield entry
    finally:
        unregister_profession(DUMMY)
    assert DUMMY not in PROFESSIONS


@pytest.fixture
def dummy_case(tmp_path: Path) -> tuple[Path, Path]:
    """The tiny mirror and a roster: one GP at Gamma, two orthophonistes at Alpha (1.5 FTE)."""
    mirror = write_mirror(tmp_path / "mirror")
    path = tmp_path / "roster.csv"
    path.write_text(
        "practitioner_id,profession,birth_year,activity,fte,new_install,health_centre,"
        "retirement_year,site_id,site_name,site_kind,commune_code,lon,lat,share\n"
        "gp-1,generaliste,1960,,1.0,false,false,,msp-gamma,MSP de Gamma,msp,19003,,,1\n"
        f"o-1,{DUMMY},{START - 55},,1.0,false,false,,cab-alpha,Cabinet Alpha,cabinet,19001,,,1\n"
        f"o-2,{DUMMY},{START - 46},,0.5,false,false,,cab-alpha,Cabinet Alpha,cabinet,19001,,,1\n",
        encoding="utf-8",
    )
    return mirror, path


def test_a_registered_profession_goes_through_every_step(
    dummy: Profession, dummy_case: tuple[Path, Path], tmp_path: Path
):
    mirror, roster = dummy_case
    options = DiagnosticOptions(
        inputs=InputOptions(territory=TERRITORY, buffer_km=5, roster=roster),
        runs=20,
        start_year=START,
    )
    assert DUMMY in profession_keys()
    with settings.override(mirror=mirror, cache_dir=tmp_path / "cache", online=False):
        inputs = load_inputs(options)
        # indicators (accessmap indicators --profession)
        access = answer_profession(inputs, profession=DUMMY)
        table = access.communes.set_index("id")
        assert table.loc["19001", "nearest_minutes"] == 0.0
        assert table.loc["19003", "nearest_minutes"] > 0.0  # the GP's site does not count
        assert np.isfinite(table.loc["19001", "value"])
        assert table.loc["19001", "value"] > 0
        assert access.practitioners == pytest.approx(1.5)
        # outlook (accessmap outlook --profession): its own retirement curve, all stop at 62
        mine = inputs_for_profession(inputs, DUMMY)
        assert set(mine.roster.practitioners["profession"]) == {DUMMY}
        times, _ = compute_traveltimes(mine.territory, mine.roster, mine.roads, winter=None)
        (outlook,) = compute_outlook(mine, times, options, engines=("expected",), profession=DUMMY)
        heads = outlook.workforce.query("zone == 'territory' and measure == 'headcount'")
        heads = heads.set_index("year")["value"]
        assert outlook.profession == DUMMY
        assert heads[START + 6] == pytest.approx(2.0)
        assert heads[START + 7] == pytest.approx(1.0)  # o-1 is 62: a GP curve would be fractional
        # siting (accessmap siting site --profession): its sites are the existing ones
        answer = answer_site(mine, times, model="mclp", params={"p": 1, "minutes": 20.0})
        assert answer.result.status == "optimal"
        today = answer.comparison.summary.iloc[0]
        assert today["pop_within_20"] < 1875  # the GP at Gamma does not stand in
        # the whole diagnostic and its report, with no other change
        d = run_diagnostic(options)
        only = run_diagnostic(dataclasses.replace(options, professions=(DUMMY,), runs=2))
        files = write_report(d, tmp_path / "report")
    assert next(iter(d.professions)) == DEFAULT_PROFESSION
    assert list(only.professions) == [DEFAULT_PROFESSION, DUMMY]  # only the profession asked
    assert not any("Non calculés" in n for n in only.professions.notes)
    assert any("Non calculés" in n for n in d.professions.notes)  # the tiny mirror has no BPE
    result = d.professions[DUMMY]
    assert result.source == USER_SOURCE
    assert result.label == "Orthophonistes"
    assert result.outlook is not None
    assert result.communes.set_index("id").loc["19001", "nearest_minutes"] == 0.0
    summary = pd.read_csv(files.csv["professions_synthese"]).set_index("profession")
    assert summary.loc[DUMMY, "practitioners"] == 2
    assert summary.loc[DUMMY, "fte"] == pytest.approx(1.5)
    assert summary.loc[DUMMY, "headcount_future"] == pytest.approx(1.0)  # +10 years
    html = files.html.read_text(encoding="utf-8")
    assert f'id="fig-profession_{DUMMY}"' in html
    assert "Orthophonistes" in html
    assert "pharmacies et orthophonistes font le premier recours" in html  # the lead names it
