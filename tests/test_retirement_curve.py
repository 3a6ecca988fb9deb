"""The retirement curve of the code and the figures its documentation cites agree (issue 22)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accessmap.professions import GP_RETIREMENT_AGES
from accessmap.workforce import DEFAULT_RETIREMENT_AGES

DOC = Path(__file__).resolve().parents[1] / "docs" / "workforce.md"


def _section() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text[text.index("## Retirement model") :].split("\n## ", 1)[0]


def _mean_and_mode(curve: dict[int, float]) -> tuple[float, int]:
    total = sum(curve.values())
    mean = sum(age * weight for age, weight in curve.items()) / total
    return mean, max(curve, key=lambda age: curve[age])


def test_curve_mean_and_mode_are_the_documented_ones() -> None:
    mean, mode = _mean_and_mode(dict(DEFAULT_RETIREMENT_AGES))
    found = re.search(r"Mean stop age \*\*(\d+\.\d+)\*\*, mode .*?\*\*(\d+)\*\*", _section())
    assert found is not None, "docs/workforce.md states the curve's mean and mode"
    assert mean == pytest.approx(float(found.group(1)), abs=0.005)
    assert mode == int(found.group(2))
    # and they are the cited CARMF figures (GPs, 2007-2008): mean 65.24, largest peak at 66
    assert "65.24" in _section()
    assert mode == 66


def test_documented_table_is_the_code_curve() -> None:
    section = _section()
    ages = re.search(r"^\| age \|(.*)\|$", section, re.MULTILINE)
    weights = re.search(r"^\| weight \|(.*)\|$", section, re.MULTILINE)
    assert ages is not None
    assert weights is not None
    table = {
        int(a): float(w)
        for a, w in zip(ages.group(1).split("|"), weights.group(1).split("|"), strict=True)
    }
    assert table == pytest.approx(dict(GP_RETIREMENT_AGES))
    assert sum(table.values()) == pytest.approx(1.0)
