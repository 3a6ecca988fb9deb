"""``accessmap site`` with the APL decision models and with ``--plan`` (issues 20 and 26).

On the tiny mirror (crow-fly times, modelled APL as the baseline): the figures printed are the
library's own evaluation of the plan (:func:`accessmap.diagnostic.decisions.evaluate_plan`), the
plan solved by ``apl_recruits`` lifts every commune it reports, and bad parameters or plans are
one French error, exit 2. On the mirror (skipped without ``../shared/data``): the GP on the
Montagne limousine with its published APL, and the nurses with the reference convention.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accessmap.cli import main
from accessmap.diagnostic.answers import host_candidates, site_names
from accessmap.diagnostic.decisions import evaluate_plan
from accessmap.diagnostic.site_decisions import answer_apl_site
from accessmap.messages.formats import fmt_float, fmt_int
from accessmap.store import Store
from tests.factories import write_mirror

TERRITORY = "19001,19002,19003,19004,19005"
#: The tiny territory is well served (modelled APL about 9 today): a threshold of 8 leaves
#: communes under it in 2036, so that the models have work to do.
THRESHOLD = "8"


@pytest.fixture
def tiny(tmp_path: Path) -> dict[str, Path]:
    mirror = write_mirror(tmp_path / "mirror")
    (mirror / "bpe" / "bpe19_ensemble_sante.csv").write_text(  # nurses (D232), a pharmacy
        "REG;DEP;DEPCOM;DCIRIS;AN;TYPEQU;NB_EQUIP\n"
        "75;19;19001;19001;2019;D232;4\n"
        "75;19;19004;19004;2019;D232;2\n"
        "75;23;23001;23001;2019;D232;1\n"
        "75;19;19002;19002;2019;D301;1\n",
        encoding="utf-8",
    )
    return {"mirror": mirror, "store": tmp_path / "db.duckdb"}


def _site(tiny: dict[str, Path], *args: str) -> list[str]:
    return ["site", "-t", TERRITORY, "--crowfly", "--mirror", str(tiny["mirror"]),
            "--store", str(tiny["store"]), *args]  # fmt: skip


def _out(capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    captured = capsys.readouterr()
    return " ".join(captured.out.split()), captured.err


def _figures(out: str, when: str) -> tuple[str, str, str, str, str, str]:
    """``(under before, after, communes before, after, APL before, after)`` printed for ``when``."""
    found = re.search(
        rf"{when}(?: \(\d+\))? : habitants sous 8 : ([\d  ]+) → ([\d  ]+) ; "
        r"communes sous 8 : (\d+) → (\d+) ; APL du territoire : ([\d,]+) → ([\d,]+)\.",
        out,
    )
    assert found, out
    return tuple(g.strip() for g in found.groups())  # type: ignore[return-value]


def test_recruits_needed_lift_every_commune_and_are_stored(tiny, capsys):
    assert main(_site(tiny, "--model", "apl_recruits", "--threshold", THRESHOLD)) == 0
    out, err = _out(capsys)
    assert "recrues nécessaires, médecins généralistes, 2036 : optimal" in out
    assert "ETP à recruter sur" in out
    assert "seuil 8 : le seuil demandé (--threshold)" in out
    assert "aucune APL des médecins généralistes n'est publiée" in out  # the tiny mirror's
    under = _figures(out, "En 2036")
    assert int(under[0].replace("\u202f", "").replace(" ", "")) > 0  # work to do...
    assert under[1] == "0"  # ...and done
    assert under[3] == "0"
    assert "médiane" in out
    assert "10-90 %" in out
    assert "ILLUSTRATIFS" in err
    with Store.open(tiny["store"], read_only=True) as db:
        sites = db.read_table("results_siting")
        figures = db.read_table("results_siting_comparison")
    assert set(sites["model"]) == {"apl_recruits"}
    assert sites["fte"].sum() > 0
    assert set(sites["kind"]) <= {"new_msp", "reinforced"}
    plan = figures[(figures["option"] == "plan") & (figures["year"] == 2036)]
    assert plan["pop_apl_below"].iloc[0] == 0
    assert plan["new_fte"].iloc[0] == sites["fte"].sum()


def test_nurses_get_the_reference_convention_in_their_unit(tiny, capsys):
    assert main(_site(tiny, "--model", "apl_recruits", "--profession", "infirmier")) == 0
    out, _ = _out(capsys)
    assert "recrues nécessaires, infirmiers" in out
    assert "aucune APL des infirmiers n'est publiée" in out
    level = re.search(r"seuil ([\d,]+) : convention de ce projet, pas un seuil officiel", out)
    assert level, out
    value = float(level.group(1).replace(",", "."))
    assert value > 10  # FTE per 100 000 inhabitants, like the models' gains
    apl = re.search(r"En 2036 : .* APL du territoire : ([\d,  ]+) → ([\d,  ]+)\.", out)
    assert apl, out
    before, after = (float(g.replace(",", ".").replace(" ", "").replace("\u202f", ""))
                     for g in apl.groups())  # fmt: skip
    assert after > before > 1  # same unit: the plan's gain is commensurate with the baseline
    assert "habitants sous 4" not in out  # no official vigilance level for nurses


def test_best_use_respects_the_recruits_and_the_robust_variant_runs(tiny, capsys):
    assert main(_site(tiny, "--model", "apl_best_use", "--recruits", "2",
                      "--threshold", THRESHOLD)) == 0  # fmt: skip
    out, _ = _out(capsys)
    assert "meilleur emploi des recrues, médecins généralistes" in out
    assert "Plan : 2,0 ETP à recruter" in out
    assert main(_site(tiny, "--model", "robust", "--param", "recruits=2", "--param", "sample=5",
                      "--runs", "20", "--threshold", THRESHOLD)) == 0  # fmt: skip
    out, _ = _out(capsys)
    assert "robuste" in out
    assert "sur 20 tirages" in out


def test_a_plan_prints_the_library_evaluation(tiny, capsys, tmp_path):
    plan = "19002:2,19004:1"
    assert main(_site(tiny, "--plan", plan, "--threshold", THRESHOLD, "--runs", "30")) == 0
    out, _ = _out(capsys)
    assert "plan donné, évalué sans optimisation" in out
    assert "Beta (19002) : 2,0 ETP, nouvelle MSP" in out
    assert "Plan : 3,0 ETP à recruter sur 2 site(s)" in out
    # the same plan through the library, on the same inputs
    from accessmap import settings
    from accessmap.app import SiteOptions, run_site
    from accessmap.inputs import InputOptions

    with settings.override(mirror=tiny["mirror"], store_path=tiny["store"]):
        result = run_site(SiteOptions(
            inputs=InputOptions(territory=TERRITORY, crowfly=True), plan=plan,
            params={"threshold": 8.0}, runs=30,
        ))  # fmt: skip
    answer = result.answer
    ev = evaluate_plan(answer.decision, {"19002": 2.0, "19004": 1.0})  # type: ignore[union-attr]
    for when, under, communes, apl in (
        ("Aujourd'hui", ev.under_today, ev.communes_under_today, ev.apl_today),
        ("En 2036", ev.under_year, ev.communes_under_year, ev.apl_year),
    ):
        printed = _figures(out, when)
        assert printed[1] == fmt_int(under).replace("\u202f", " ") or printed[1] == fmt_int(under)
        assert printed[3] == str(communes)
        assert printed[5] == fmt_float(apl, 2)
    # the same plan from a CSV file
    csv = tmp_path / "plan.csv"
    csv.write_text("site,fte\n19002,2\n19004,1\n", encoding="utf-8")
    assert main(_site(tiny, "--plan", str(csv), "--threshold", THRESHOLD, "--runs", "30")) == 0
    again, _ = _out(capsys)
    assert _figures(again, "En 2036") == _figures(out, "En 2036")


def test_the_library_answer_is_the_printed_one(tiny):
    from accessmap import settings
    from accessmap.app import SiteOptions, run_site
    from accessmap.inputs import InputOptions

    with settings.override(mirror=tiny["mirror"], store_path=tiny["store"]):
        result = run_site(SiteOptions(
            inputs=InputOptions(territory=TERRITORY, crowfly=True), model="apl_recruits",
            params={"threshold": 8.0}, runs=10,
        ))  # fmt: skip
    answer = result.answer
    assert answer.result is not None  # type: ignore[union-attr]
    plan = dict(zip(answer.plan["site_id"], answer.plan["fte"], strict=True))  # type: ignore[union-attr]
    direct = answer_apl_site(
        result.inputs, result.times, model="apl_recruits", params={"threshold": 8.0}, runs=10,
        candidates=host_candidates(result.inputs), names=site_names(result.inputs),
    )  # fmt: skip
    assert dict(zip(direct.plan["site_id"], direct.plan["fte"], strict=True)) == plan
    assert direct.after.under_year == 0.0
    assert direct.before.under_year > 0.0


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--plan", "19002=2"], "plan"),
        (["--plan", "19002:zéro"], "plan"),
        (["--plan", "99999:1"], "plan"),
        (["--model", "apl_recruits", "--param", "colour=3"], "colour"),
        (["--model", "apl_recruits", "--param", "share=abc"], "share"),
        (["--model", "apl_recruits", "--param", "share"], "--param"),
        (["--model", "apl_recruits", "--recruits", "2"], "recruits"),
        (["--model", "apl_recruits", "--threshold", "-1"], "threshold"),
        (["--model", "apl_best_use"], "recruits"),
        (["--model", "apl_recruits", "--profession", "pharmacie"], "profession"),
        (["--plan", "19002:1", "--year", "2020"], "year"),
    ],
)
def test_bad_parameters_and_plans_are_one_french_error(tiny, capsys, args, field):
    assert main(_site(tiny, *args)) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("erreur")]
    assert len(errors) == 1, err
    assert field in errors[0], errors[0]
    assert "Correctif" in errors[0]
    assert "Traceback" not in err


def test_the_help_lists_the_parameters_from_the_registry(capsys):
    from accessmap.siting import registry

    assert main(["site", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for option in ("--threshold", "--recruits", "--share", "--team-min", "--objective",
                   "--param", "--plan", "--runs"):  # fmt: skip
        assert option in out, option
    spec = registry.get_model("apl_recruits")
    for par in spec.user_parameters():
        assert par.name in out, par.name
    assert "baseline (" not in out  # supplied by the use case, not by readers


@pytest.mark.mirror
@pytest.mark.slow
def test_gp_recruits_on_the_montagne_limousine(mirror, tmp_path, capsys):
    code = main(["site", "--territory", "montagne-limousine", "--model", "apl_recruits",
                 "--mirror", str(mirror), "--store", str(tmp_path / "db.duckdb")])  # fmt: skip
    out, err = _out(capsys)
    assert code == 0, err
    assert "l'APL publiée par la DREES" in out
    assert "seuil 2,5 : le seuil des zones d'intervention prioritaire" in out
    assert re.search(r"En 2036 : habitants sous 2,5 : [\d  ]+ → 0 ;", out), out
    assert "nouvelle MSP" in out
    assert "habitants sous 4" in out
    code = main(["site", "--territory", "montagne-limousine", "--plan", "msp-bugeat:2,23077:1",
                 "--mirror", str(mirror), "--store", str(tmp_path / "db.duckdb")])  # fmt: skip
    out, err = _out(capsys)
    assert code == 0, err
    assert "Bugeat (msp-bugeat) : 2,0 ETP, site existant renforcé" in out
    assert "Faux-la-Montagne (23077) : 1,0 ETP, nouvelle MSP" in out
    assert "moins que l'équipe d'une nouvelle MSP" in err  # 1 FTE at a new site: said
    for when in (r"Aujourd'hui \(\d+\) :", "En 2036 :"):
        assert re.search(
            rf"{when} habitants sous 2,5 : [\d  ]+ → [\d  ]+ ; communes sous "
            r"2,5 : \d+ → \d+ ; APL du territoire : \d+,\d\d → \d+,\d\d\.",
            out,
        ), out


@pytest.mark.mirror
@pytest.mark.slow
def test_nurses_recruits_on_the_mirror(mirror, tmp_path, capsys):
    code = main(["site", "--territory", "montagne-limousine", "--profession", "infirmier",
                 "--model", "apl_recruits", "--time-limit", "20", "--runs", "50",
                 "--mirror", str(mirror), "--store", str(tmp_path / "db.duckdb")])  # fmt: skip
    out, err = _out(capsys)
    assert code == 0, err
    assert "infirmiers" in out
    assert "aucune APL des infirmiers n'est publiée" in out
    assert "convention de ce projet, pas un seuil officiel" in out
    level = re.search(r"seuil ([\d,]+) : convention", out)
    assert level, out
    assert float(level.group(1).replace(",", ".")) > 10  # FTE per 100 000 inhabitants
    assert "habitants sous 4" not in out  # no official vigilance level for nurses
