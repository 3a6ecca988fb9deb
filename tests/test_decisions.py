"""Decisions on the official indicator: plans evaluated exactly, options ranked, one loss count."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accessmap import settings
from accessmap.conventions import MILLESOINS_SITES, VOLUNTEER_WEEKS_PER_CENTRE, WEEKS_PER_FTE
from accessmap.diagnostic import Diagnostic, DiagnosticOptions, run_diagnostic
from accessmap.diagnostic.choices import compute_decisions, pole_sites
from accessmap.diagnostic.decisions import (
    DecisionInputs,
    effect_matrix,
    evaluate_plan,
    parse_plan,
)
from accessmap.errors import ValidationError
from accessmap.inputs import InputOptions
from accessmap.report import render_html, verdict, write_report
from accessmap.report.tables import tables
from tests.factories import write_mirror

# Six communes on a line, 6 minutes apart; two practices today (p1 at c1, p2 at c6); the four
# MilleSoins bourgs and two other town halls are candidates.
COMMUNES = ["c1", "c2", "c3", *MILLESOINS_SITES[:2], "c6"]


def _problem(*, draws: bool = True) -> DecisionInputs:
    ids = COMMUNES
    pos = {c: 6.0 * k for k, c in enumerate(ids)}
    sites = {"p1": pos["c1"], "p2": pos["c6"], **{c: pos[c] for c in ids}}
    od = pd.DataFrame(
        [(o, s, abs(pos[o] - x) + 1.0) for o in ids for s, x in sites.items()],
        columns=["origin_id", "dest_id", "minutes"],
    )
    people = [900.0, 300.0, 120.0, 400.0, 50.0, 700.0]
    demand = pd.DataFrame(
        {"id": ids, "population": people, "pop_std": people, "in_territory": True,
         "counted": people}
    )  # fmt: skip
    today = pd.DataFrame({"id": ids, "apl": [3.1, 2.6, 2.0, 2.4, 1.5, 3.3]})
    year = today.assign(apl=today["apl"] - [1.2, 0.9, 0.4, 0.5, 0.3, 1.4])
    frames = {
        "published": today["apl"].to_numpy(), "modelled_today": today["apl"].to_numpy(),
        "modelled_year": year["apl"].to_numpy(), "source": "official",
    }  # fmt: skip
    rng = np.random.default_rng(3)
    sample = year["apl"].to_numpy() + rng.normal(0.0, 0.2, size=(30, len(ids)))
    return DecisionInputs(
        profession="generaliste", start_year=2026, year=2036, threshold=2.5,
        official_threshold=True, official=True, od=od, demand=demand,
        existing=("p1", "p2"), candidates=tuple(ids),
        today=today.assign(**frames, change=0.0),
        baseline=year.assign(**frames, change=year["apl"] - today["apl"]),
        draws=pd.DataFrame(np.maximum(sample, 0.0), columns=ids) if draws else None,
        site_communes={"p1": "c1", "p2": "c6", **{c: c for c in ids}},
    )  # fmt: skip


def _brute(dec: DecisionInputs, plan: dict[str, float]) -> tuple[float, float]:
    """Inhabitants under the threshold today and in the year, from the effect matrix alone."""
    g = effect_matrix(dec)
    gain = pd.Series(0.0, index=dec.demand["id"])
    for site, fte in plan.items():
        rows = g[g["site_id"] == site]
        gain = gain.add(pd.Series(rows["gain"].to_numpy() * fte, index=rows["id"]), fill_value=0)
    people = dec.demand.set_index("id")["counted"]
    level = dec.threshold - 1e-5 * dec.threshold
    out = []
    for base in (dec.today, dec.baseline):
        apl = base.set_index("id")["apl"] + gain
        out.append(float(people[apl < level].sum()))
    return out[0], out[1]


@pytest.mark.parametrize(
    "plan", [{}, {"p1": 1.0}, {"c3": 2.0, "p2": 1.0}, {MILLESOINS_SITES[0]: 0.5, "c2": 3.0}]
)
def test_a_plan_is_evaluated_as_the_effect_matrix_adds_up(plan: dict[str, float]) -> None:
    dec = _problem()
    ev = evaluate_plan(dec, plan)
    assert (ev.under_today, ev.under_year) == pytest.approx(_brute(dec, plan))
    assert ev.fte == pytest.approx(sum(plan.values()))
    assert ev.band is not None
    assert ev.band.q10 <= ev.band.median <= ev.band.q90


def test_a_plan_evaluated_after_others_is_evaluated_as_on_a_fresh_problem() -> None:
    """The gains, baselines and draws read once per problem give what a first call gives."""
    plans = [{"c3": 2.0, "p2": 1.0}, {"p1": 1.0}, {MILLESOINS_SITES[0]: 0.5, "c2": 3.0}]
    dec = _problem()
    for plan in plans:
        again = evaluate_plan(dec, plan)
        fresh = evaluate_plan(dataclasses.replace(dec), plan)  # its own, empty, arrays
        assert again.plan == fresh.plan
        assert (again.under_today, again.under_year) == (fresh.under_today, fresh.under_year)
        assert again.apl_year == pytest.approx(fresh.apl_year, rel=1e-12)
        assert again.band is not None
        assert fresh.band is not None
        assert np.allclose(again.band.under, fresh.band.under, rtol=0, atol=1e-9)
        pd.testing.assert_frame_equal(again.communes, fresh.communes, rtol=1e-12)
    assert dataclasses.replace(dec).arrays == {}


def test_more_doctors_never_leave_more_inhabitants_under_the_threshold() -> None:
    dec = _problem(draws=False)
    small, large = evaluate_plan(dec, {"c3": 1.0}), evaluate_plan(dec, {"c3": 3.0})
    assert large.under_year <= small.under_year
    assert large.apl_year > small.apl_year


def test_plans_are_read_from_text_with_their_errors_named() -> None:
    known = ["p1", "c2"]
    assert parse_plan("p1:2, c2:0,5 ,p1:1", known=known) == {"p1": 3.0, "c2": 0.5}
    for bad, code in (("p1", "plan_pair"), ("p1:-1", "plan_fte"), ("zz:1", "plan_site"),
                      ("p1:x", "plan_fte")):  # fmt: skip
        with pytest.raises(ValidationError) as err:
            parse_plan(bad, known=known)
        assert err.value.code == f"decisions.{code}"
        assert err.value.field == "plan"


def test_decisions_are_ranked_and_each_variant_is_the_best_of_its_kind() -> None:
    dec = _problem()
    decisions = compute_decisions(dec, time_limit=20)
    under = [o.evaluation.under_year for o in decisions.options]
    assert under == sorted(under)
    keys = {o.key for o in decisions.options}
    assert {"recruits", "team", "central", "pole_equal", "pole_best", "robust"} <= keys
    # the recruits plan lifts every commune some plan can lift
    recruits = decisions.recruits
    assert recruits is not None
    assert recruits.status == "optimal"
    lifted = recruits.evaluation.communes.set_index("id")
    stuck = set(decisions.unliftable["id"])
    assert not lifted.loc[~lifted.index.isin(stuck), "below_year"].any()
    # the central MSP is the best single site for the whole team (brute force)
    central = decisions.option("central")
    assert central is not None
    team = central.fte
    best = min(_brute(dec, {s: team})[1] for s in dec.sites)
    assert central.evaluation.under_year == pytest.approx(best)
    # the best rota of the pôle is at least as good as any half-FTE split, the equal one included
    pole = pole_sites(dec)
    assert len(pole) == 2  # two of the four bourgs are in this territory
    rota = decisions.option("pole_best")
    assert rota is not None
    splits = [
        {s: k * 0.5 for s, k in zip(pole, c, strict=True)}
        for c in itertools.product(range(int(team * 2) + 1), repeat=len(pole))
        if sum(c) == int(team * 2)
    ]
    assert rota.evaluation.under_year <= min(_brute(dec, p)[1] for p in splits) + 1e-9
    # a volunteer centre is one centre's volunteer-weeks, in a commune without a practice
    vol = decisions.volunteer
    assert vol is not None
    assert vol.fte == pytest.approx(VOLUNTEER_WEEKS_PER_CENTRE / WEEKS_PER_FTE)
    assert vol.sites["commune_code"].iloc[0] not in {"c1", "c6"}


@pytest.fixture(scope="module")
def losing_diagnostic(tmp_path_factory: pytest.TempPathFactory) -> Diagnostic:
    root = tmp_path_factory.mktemp("decisions")
    mirror = write_mirror(root / "mirror")
    with settings.override(mirror=mirror, cache_dir=root / "cache", online=False):
        return run_diagnostic(
            DiagnosticOptions(
                inputs=InputOptions(territory="19001,19002,19003,19004,19005", buffer_km=5),
                runs=40,
                retirement_age=40,  # every GP is past it: each commune with a GP loses it
            )
        )


def test_the_verdict_the_options_table_and_the_csv_count_the_same_losses(
    losing_diagnostic: Diagnostic, tmp_path: Path
) -> None:
    d = losing_diagnostic
    lost = set(d.losing_last.loc[d.losing_last["lost"], "commune_code"])
    assert lost == {"19001", "19003"}  # the territory's two communes with a GP today
    v = verdict(d)
    assert set(v.losing["code"]) == lost
    comparison = d.comparison.set_index("option")
    future = comparison[comparison["year"].notna()]
    status_quo = future.iloc[0]
    assert status_quo["communes_losing_last_gp"] == len(lost)
    for _, row in future.iloc[1:].iterrows():
        assert row["communes_losing_last_gp"] + row["losing_last_gp_avoided"] == len(lost)
    files = write_report(d, tmp_path / "report")
    written = pd.read_csv(files.csv["derniers_medecins"], dtype={"commune_code": str})
    assert set(written.loc[written["lost"], "commune_code"]) == lost
    options = pd.read_csv(files.csv["options"])
    assert options.loc[options["year"].notna(), "communes_losing_last_gp"].iloc[0] == len(lost)


def test_the_report_opens_the_options_with_the_recruits_needed(
    losing_diagnostic: Diagnostic,
) -> None:
    d = losing_diagnostic
    assert d.decisions is not None
    html = render_html(d)
    verdict_part = html[html.index('id="verdict"') : html.index('id="acces"')]
    assert "Pour qu'aucune commune ne passe sous 2,5 en " in verdict_part
    assert "Classement : habitants sous 2,5 en" in verdict_part
    assert "Combien de médecins, en quelles équipes, et où ?" in html
    assert "MilleSoins : une MSP centrale ou un pôle éclaté ?" in html
    assert "Médecins Solidaires" in html
    table = tables(d)["decisions"]
    assert list(table["rank"]) == list(range(1, len(d.decisions.options) + 1))
    assert list(table["under_year"]) == [o.evaluation.under_year for o in d.decisions.options]


UNPROVEN = "sans preuve qu'il n'y en a pas de meilleure"


def test_a_plan_no_proof_backs_says_so_where_it_is_read(
    losing_diagnostic: Diagnostic, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A search stopped by its limit: the verdict's headline, the options, the CLI say so."""
    from accessmap.app.diagnose import DiagnoseOptions, DiagnoseResult
    from accessmap.cli.diagnose import _summary
    from accessmap.report.decisions import profession_recruits_html

    d = losing_diagnostic
    assert d.decisions is not None
    assert d.decisions.recruits is not None
    assert d.decisions.recruits.proven
    stopped = dataclasses.replace(d.decisions.recruits, status="time_limit")
    assert not stopped.proven
    d_stopped = dataclasses.replace(d, decisions=dataclasses.replace(d.decisions, recruits=stopped))
    for diagnostic, said in ((d, False), (d_stopped, True)):
        html = render_html(diagnostic)
        verdict_part = html[html.index('id="verdict"') : html.index('id="acces"')]
        headline = verdict_part[verdict_part.index("Pour qu'aucune commune") :]
        headline = headline[: headline.index("</strong>")]
        assert (UNPROVEN in headline) is said
        (tmp_path / "diagnostic.html").write_text(html, encoding="utf-8")
        _summary(DiagnoseResult(options=DiagnoseOptions(out=tmp_path), diagnostic=diagnostic))
        assert ("sans preuve qu'il n'y en a pas de plus petit" in capsys.readouterr().out) is said
    # the other professions' table: a column says which counts are proven minima
    table = pd.DataFrame(
        {
            "profession": ["infirmier", "sage_femme"], "threshold": [120.0, 10.0],
            "fte": [416.0, 126.0], "status": ["time_limit", "optimal"], "sites": [19, 8],
            "new_msp": [2, 1], "under_today": [8629.0, 100.0], "under_year": [23874.0, 300.0],
            "under_year_after": [711.0, 0.0], "unliftable": [4, 0], "year": [2036, 2036],
        }
    )  # fmt: skip
    section = profession_recruits_html(dataclasses.replace(d, profession_recruits=table))
    rows = section.split("<tr>")[2:]
    assert "meilleur trouvé, non prouvé" in rows[0]
    assert "un plan avec moins de recrues peut exister" in section
    assert "minimum prouvé" in rows[1]
    assert "non prouvé" not in rows[1].split("</table>")[0]
    proven = table.assign(status="optimal")
    section = profession_recruits_html(dataclasses.replace(d, profession_recruits=proven))
    assert "non prouvé" not in section


def test_the_band_of_a_plan_is_the_library_s_evaluation_over_the_draws() -> None:
    from accessmap import siting

    dec = _problem()
    plan = {"c3": 2.0, "p1": 1.0}
    band = evaluate_plan(dec, plan).band
    assert band is not None
    reference = siting.apl_plan_draws(
        dec.od, dec.demand, plan=plan, draws=dec.draws, threshold=dec.threshold,
        weight="counted", apl_weight="pop_std", profession=dec.profession,
    )  # fmt: skip
    np.testing.assert_allclose(band.under, reference.under)
    assert (band.q10, band.median, band.q90) == (reference.q10, reference.median, reference.q90)


@pytest.mark.mirror
@pytest.mark.slow
def test_on_the_mirror_today_s_decision_counts_are_the_official_ones(
    mirror: Path, tmp_path: Path
) -> None:
    with settings.override(mirror=mirror, cache_dir=tmp_path / "cache", online=False):
        d = run_diagnostic(
            DiagnosticOptions(inputs=InputOptions(territory="montagne-limousine"), runs=50)
        )
    assert d.official is not None
    assert d.decisions is not None
    today = d.decisions.status_quo
    assert today.communes_under_today == d.official.communes_priority
    assert today.under_today == pytest.approx(d.official.pop_priority)
    assert today.apl_today == pytest.approx(d.official.apl)
    # the recruits plan leaves under the threshold only the communes it names as out of reach
    recruits = d.decisions.recruits
    assert recruits is not None
    stuck = set(d.decisions.unliftable["id"])
    below = recruits.evaluation.communes
    assert set(below.loc[below["below_year"], "id"]) <= stuck


@pytest.mark.parametrize("parts", [1, 2, 3, 4])
def test_rotas_are_every_sharing_in_order(parts: int) -> None:
    """The pôle's rotas: every sharing of the steps, in the order of the full enumeration."""
    from accessmap.diagnostic.choices import compositions

    for total in range(9):
        every = [c for c in itertools.product(range(total + 1), repeat=parts) if sum(c) == total]
        assert compositions(total, parts).tolist() == [list(c) for c in every]


@pytest.mark.parametrize(
    ("fte", "new_sites", "expected"),
    [
        (6.0, 0, "Il faut 6 médecins à recruter, en renfort des cabinets et MSP existants."),
        (1.5, 0, "Il faut 1,5 médecin à recruter, en renfort des cabinets et MSP existants."),
        (6.0, 1, "Il faut 6 médecins à recruter, dont une nouvelle MSP."),
        (8.0, 3, "Il faut 8 médecins à recruter, dont 3 nouvelles MSP."),
    ],
)
def test_what_an_option_takes_is_said_in_french(fte: float, new_sites: int, expected: str):
    from types import SimpleNamespace

    from accessmap.report.decisions import _takes

    option = SimpleNamespace(volunteer_weeks=0.0, fte=fte, new_sites=new_sites)
    assert _takes(option) == expected  # type: ignore[arg-type]
