"""French labels and number/date formatting (accessmap.labels)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from accessmap import labels
from accessmap.conventions import NEAREST_BAND_EDGES, band_labels
from accessmap.labels import (
    NNBSP,
    band_label,
    column_label,
    criterion_detail,
    fmt_date,
    fmt_float,
    fmt_int,
    fmt_minutes,
    fmt_percent,
    format_value,
    label,
    plotly_config,
    plotly_locale_script,
)


def test_integers_use_a_narrow_no_break_space():
    assert fmt_int(38474) == f"38{NNBSP}474"
    assert fmt_int(1_234_567.4) == f"1{NNBSP}234{NNBSP}567"
    assert fmt_int(92.0) == "92"
    assert fmt_int(None) == "—"
    assert fmt_int(float("nan")) == "—"


def test_decimals_use_a_comma_and_no_negative_zero():
    assert fmt_float(4.56, 1) == "4,6"
    assert fmt_float(3.2857, 2) == "3,29"
    assert fmt_float(-0.001, 2) == "0,00"
    assert fmt_float(-5.61, 2) == "-5,61"
    assert fmt_float(12345.678, 1) == f"12{NNBSP}345,7"
    assert fmt_float(math.inf) == "∞"


def test_percent_and_minutes():
    assert fmt_percent(0.125) == f"12{NNBSP}%"
    assert fmt_percent(0.4567, 1) == f"45,7{NNBSP}%"
    assert fmt_minutes(12.34) == "12,3"
    assert fmt_minutes(3.0) == "3,0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-30T21:25:37+00:00", "30 novembre 2026"),
        ("2026-12-01", "1er décembre 2026"),
        (dt.date(2027, 8, 15), "15 août 2027"),
        (dt.datetime(2026, 2, 3, 10, 0, tzinfo=dt.UTC), "3 février 2026"),
        ("", "—"),
        ("not a date", "—"),
    ],
)
def test_dates_in_words(value: object, expected: str):
    assert fmt_date(value) == expected  # type: ignore[arg-type]


def test_band_labels_follow_the_conventions():
    machine = band_labels(NEAREST_BAND_EDGES)
    assert [band_label(b) for b in machine] == [
        "moins de 10 min", "10 à 20 min", "20 à 30 min", "30 à 40 min", "40 min et plus",
    ]  # fmt: skip
    assert band_label("unreachable") == "inaccessible"
    assert band_label("7.5-15") == "7,5 à 15 min"


def test_codes_get_french_labels():
    assert label("model", "mclp") == "couverture maximale"
    assert label("model", "p_median") == "temps moyen le plus court"
    assert label("model", "volunteer_centres") == "centre de médecins bénévoles"
    assert label("accessibility", "e2sfca") == "E2SFCA"
    assert label("apl_class", "priority").startswith("moins de 2,5")
    assert label("apl_class", "secondary").startswith("2,5 à 4")
    assert label("origin", "mirror") == "miroir local"
    assert label("method", "crowfly") == "estimation à vol d'oiseau"
    assert label("zone", "does_not_qualify") == "ne remplit pas les conditions"
    assert label("model", "new_model") == "new_model"  # unknown codes pass through
    assert label("model", None) == "—"


def test_values_are_formatted_by_column():
    assert format_value("population", 38474.0) == f"38{NNBSP}474"
    assert format_value("population", 92.0) == "92"
    assert format_value("apl", 3.2857) == "3,29"
    assert format_value("nearest_minutes", 12.3456) == "12,3"
    assert format_value("share_within_10", 0.5) == f"50{NNBSP}%"
    assert format_value("year", 2036.0) == "2036"
    assert format_value("apl_class", "adequate") == "4 ou plus"
    assert format_value("band", "10-20") == "10 à 20 min"
    assert format_value("in_territory", True) == "oui"
    assert format_value("p_sans_mg_2036", 0.25) == f"25{NNBSP}%"
    assert format_value("apl", float("nan")) == "—"
    assert column_label("mean_minutes") == "temps moyen (min)"
    assert column_label("p_sans_mg_2036") == "probabilité sans médecin en 2036"


def test_model_and_measure_labels_are_read_from_their_registries():
    from accessmap.indicators.registry import MEASURES
    from accessmap.siting.registry import MODELS

    assert not hasattr(labels, "MODELS")
    assert not hasattr(labels, "french_text")
    for name, spec in MODELS.items():
        assert label("model", name) == spec.label
    for name, measure in MEASURES.items():
        assert label("accessibility", name) == measure.label


def test_criterion_detail_from_the_value_or_the_french_detail():
    from accessmap.messages import Message

    assert criterion_detail("fewer_than_3_fte_per_5000", 2.5, "").startswith("2,50 médecins")
    assert criterion_detail("gps_over_7500_acts", None, "") == "donnée manquante"
    detail = Message("core.example_for_tests", count=3)
    assert criterion_detail("gps_over_7500_acts", None, detail) == str(detail)


def test_plotly_config_is_offline_and_french():
    config = plotly_config()
    assert config["displaylogo"] is False
    assert config["locale"] == "fr"
    assert {"sendChartToCloud", "sendDataToCloud"} <= set(config["modeBarButtonsToRemove"])
    script = plotly_locale_script()
    payload = json.loads(script[script.index("Plotly.register(") + 16 : script.rindex(");")])
    assert payload["name"] == "fr"
    assert payload["format"]["decimal"] == ","
    assert payload["format"]["months"][10] == "novembre"
    assert payload["dictionary"]["Zoom in"] == "Zoom avant"
    assert labels.PLOTLY_SEPARATORS == "," + NNBSP


@pytest.mark.parametrize(
    ("name", "of", "at"),
    [
        ("Meymac", "de Meymac", "à Meymac"),
        ("Ussel", "d'Ussel", "à Ussel"),
        ("Eymoutiers", "d'Eymoutiers", "à Eymoutiers"),
        ("Égletons", "d'Égletons", "à Égletons"),
        ("Le Monteil-au-Vicomte", "du Monteil-au-Vicomte", "au Monteil-au-Vicomte"),
        ("Les Angles-sur-Corrèze", "des Angles-sur-Corrèze", "aux Angles-sur-Corrèze"),
        ("La Courtine", "de La Courtine", "à La Courtine"),
        ("L'Église-aux-Bois", "de L'Église-aux-Bois", "à L'Église-aux-Bois"),
        ("Hautefaye", "de Hautefaye", "à Hautefaye"),  # an h: left as written
        ("Lestards", "de Lestards", "à Lestards"),  # « Le » only as a word
    ],
)
def test_place_names_take_french_elision_and_contraction(name: str, of: str, at: str) -> None:
    assert labels.of_place(name) == of
    assert labels.at_place(name) == at


def test_a_noun_agrees_with_its_quantity_the_french_way() -> None:
    assert [labels.noun(n, "médecin", "médecins") for n in (0.5, 1, 1.5, 2, 6)] == [
        "médecin", "médecin", "médecin", "médecins", "médecins",
    ]  # fmt: skip
