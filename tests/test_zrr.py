"""The ZRR file: its sheet read by calamine, as the ANCT publishes it (title rows, then columns)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from accessmap import settings
from accessmap.errors import ValidationError
from accessmap.sources import load_zrr
from accessmap.sources.zrr import ZRR_HEADER_ROW, ZRR_SHEET

HEADER = ["CODGEO", "LIBGEO", "ZRR_SIMP", "ZONAGE_ZRR"]
ROWS = [
    ["19001", "Alpha", "C - Classée en ZRR", "C - Classée en ZRR"],
    [19002.0, "Beta", "P - Commune partiellement classée en ZRR", "P - Partiellement"],
    [None, None, None, None],  # a blank row inside the table
    ["1003", "Gamma", "NC - Non classée", None],  # a code that lost its leading zero
    [None, "Total", None, None],  # no code: not a commune
]


def _zrr_file(mirror: Path, *, sheet: str = ZRR_SHEET, header: list[str] = HEADER) -> Path:
    """Write the mirror's ZRR file: an .xlsx under the .xls name the mirror expects."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Classement ZRR (COG 2021)"
    first.append(["CODGEO", "ZRR_SIMP"])
    data = book.create_sheet(sheet)
    for k in range(ZRR_HEADER_ROW):
        data.append([f"Titre {k}"] if k % 2 == 0 else [])
    data.append(header)
    for row in ROWS:
        data.append(row)
    path = mirror / "zrr" / "diffusion-zonages-zrr-cog2021.xls"
    path.parent.mkdir(parents=True)
    book.save(path)
    return path


def test_zrr_table_from_the_sheet(tmp_path: Path) -> None:
    _zrr_file(tmp_path / "m")
    with settings.override(mirror=tmp_path / "m", cache_dir=tmp_path / "cache"):
        table = load_zrr()
        again = load_zrr()  # read back from its parsed copy in the cache
    assert table["code"].tolist() == ["19001", "19002", "01003"]
    assert table["zrr"].tolist() == [True, True, False]
    assert table["zrr_class"].tolist() == ["C", "P", "NC"]
    assert table["zrr_detail"].tolist()[:2] == ["C - Classée en ZRR", "P - Partiellement"]
    assert pd.isna(table["zrr_detail"].iloc[2])  # an empty label stays missing
    assert list((tmp_path / "cache" / "parsed").glob("zrr-*.parquet"))
    assert again.equals(table)


def test_zrr_without_its_sheet_names_the_sheet(tmp_path: Path) -> None:
    _zrr_file(tmp_path / "m", sheet="Autre")
    with (
        settings.override(mirror=tmp_path / "m", cache_dir=tmp_path / "cache"),
        pytest.raises(ValidationError) as err,
    ):
        load_zrr()
    assert err.value.code == "sources.zrr_sheet_unreadable"
    assert err.value.params["sheet"] == ZRR_SHEET
    assert ZRR_SHEET in str(err.value)


def test_zrr_without_a_column_names_it(tmp_path: Path) -> None:
    _zrr_file(tmp_path / "m", header=["CODGEO", "LIBGEO", "ZRR", "ZONAGE_ZRR"])
    with (
        settings.override(mirror=tmp_path / "m", cache_dir=tmp_path / "cache"),
        pytest.raises(ValidationError) as err,
    ):
        load_zrr()
    assert err.value.code == "sources.zrr_missing_columns"
    assert err.value.params["columns"] == ["ZRR_SIMP"]


def test_zrr_file_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "m" / "zrr" / "diffusion-zonages-zrr-cog2021.xls"
    path.parent.mkdir(parents=True)
    path.write_text("CODGEO;ZRR_SIMP\n19001;C\n", encoding="utf-8")
    with (
        settings.override(mirror=tmp_path / "m", cache_dir=tmp_path / "cache"),
        pytest.raises(ValidationError) as err,
    ):
        load_zrr()
    assert err.value.code == "sources.zrr_sheet_unreadable"
