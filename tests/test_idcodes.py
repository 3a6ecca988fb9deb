"""The id codes of a travel-time table are computed once per column, never stale."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from accessmap._idcodes import factorized, known_distinct
from accessmap.contracts import validate_od
from accessmap.errors import ValidationError


def _od() -> pd.DataFrame:
    return pd.DataFrame(
        {"origin_id": ["a", "a", "b"], "dest_id": ["x", "y", "x"], "minutes": [1.0, 2.0, 3.0]}
    )


def test_codes_are_kept_and_read_only() -> None:
    od = _od()
    first, names = factorized(od["origin_id"])
    again, _ = factorized(od["origin_id"])
    assert again is first
    assert not first.flags.writeable
    assert names.tolist() == ["a", "b"]
    assert known_distinct(od)


def test_a_table_written_to_is_coded_afresh() -> None:
    od = _od()
    validate_od(od)
    od.loc[1, "dest_id"] = "x"  # now a->x twice
    assert not known_distinct(od)
    with pytest.raises(ValidationError):
        validate_od(od)


def test_same_result_as_without_arrow_columns() -> None:
    od = _od()
    plain = od.astype({"origin_id": object, "dest_id": object})
    for table in (od, plain):
        pairs = validate_od(table, origins=["b", "a"], dests=pd.Index(["x"], dtype="str"))
        assert pairs.origin.tolist() == [1, 0]
        assert pairs.dest.tolist() == [0, 0]
        assert np.array_equal(pairs.rows, [0, 2])
