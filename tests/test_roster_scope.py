"""A user's roster inside the territory, the official counts in the buffer (``roster_scope``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from accessmap import settings
from accessmap.cli._common import ROSTER_SCOPE_CHOICES
from accessmap.errors import ValidationError
from accessmap.inputs import ROSTER_SCOPES, InputOptions, load_territory, territory_roster
from accessmap.messages import Message

pytestmark = pytest.mark.mirror

#: Ambert and five neighbours (Puy-de-Dôme), with a 15 km buffer.
CODES = "63003,63178,63220,63258,63301,63389"


def _write_user_roster(roster: object, path: Path, *, inside: set[str]) -> int:
    """Write the official sites of the territory as a user's roster CSV; return its site count."""
    sites = roster.sites.loc[roster.sites["commune_code"].isin(inside)]
    rows = roster.assignments.merge(sites, on="site_id").merge(
        roster.practitioners[["practitioner_id", "profession", "fte"]], on="practitioner_id"
    )
    table = pd.DataFrame(
        {
            "practitioner_id": rows["practitioner_id"],
            "profession": rows["profession"],
            "fte": rows["fte"],
            "site_id": rows["site_id"],
            "site_name": rows["name"],
            "site_kind": rows["kind"],
            "commune_code": rows["commune_code"],
            "lon": rows["lon"],
            "lat": rows["lat"],
            "share": rows["share"],
        }
    )
    table.to_csv(path, index=False)
    return len(sites)


def test_scopes_are_the_cli_choices() -> None:
    assert ROSTER_SCOPES == ROSTER_SCOPE_CHOICES


def test_territory_scope_keeps_official_counts_in_the_buffer(mirror: Path, tmp_path: Path) -> None:
    with settings.override(mirror=mirror):
        territory = load_territory(CODES, buffer_km=15.0)
        official = territory_roster(territory)
        inside = set(territory.codes)
        path = tmp_path / "liste.csv"
        n_user = _write_user_roster(official, path, inside=inside)
        assert 0 < n_user < len(official.sites)  # the buffer has sites of its own
        notes: list[str] = []
        combined = territory_roster(territory, path=path, notes=notes)
        alone = territory_roster(territory, path=path, scope="everywhere", notes=notes)
    assert set(combined.sites["site_id"]) == set(official.sites["site_id"])
    assert combined.site_fte.sum() == pytest.approx(official.site_fte.sum())
    assert set(alone.sites["site_id"]) == set(
        official.sites.loc[official.sites["in_territory"], "site_id"]
    )
    assert combined.sites["in_territory"].sum() == alone.sites["in_territory"].sum() == n_user
    extra = len(official.sites) - n_user
    assert notes == [
        str(Message("inputs.roster_scope_territory", user_sites=n_user, official_sites=extra)),
        str(Message("inputs.roster_scope_everywhere", user_sites=n_user, official_sites=0)),
    ]


def test_a_buffer_commune_the_user_lists_is_the_users(mirror: Path, tmp_path: Path) -> None:
    with settings.override(mirror=mirror):
        territory = load_territory(CODES, buffer_km=15.0)
        official = territory_roster(territory)
        buffer_sites = official.sites.loc[~official.sites["in_territory"]]
        listed = str(buffer_sites["commune_code"].iloc[0])
        path = tmp_path / "liste.csv"
        path.write_text(
            "practitioner_id,site_id,commune_code\nmoi,mon-cabinet," + listed + "\n",
            encoding="utf-8",
        )
        combined = territory_roster(territory, path=path)
    in_listed = combined.sites.loc[combined.sites["commune_code"] == listed, "site_id"]
    assert in_listed.tolist() == ["mon-cabinet"]
    assert not combined.sites["in_territory"].any()  # the territory: the user says nobody
    others = buffer_sites.loc[buffer_sites["commune_code"] != listed, "site_id"]
    assert set(others) <= set(combined.sites["site_id"])


def test_an_unknown_scope_is_refused(mirror: Path) -> None:
    with settings.override(mirror=mirror), pytest.raises(ValidationError) as err:
        territory_roster(load_territory(CODES, buffer_km=0.0), path="x.csv", scope="partout")  # type: ignore[arg-type]
    assert err.value.code == "inputs.bad_roster_scope"
    assert InputOptions().roster_scope == "territory"


def test_the_cli_refuses_an_unknown_scope() -> None:
    with pytest.raises(ValidationError) as err:
        InputOptions(roster_scope="partout")  # type: ignore[arg-type]
    assert err.value.field == "--roster-scope"
