"""Health supply: who practises where, and for what share of their time.

A :class:`Roster` is one row per practitioner, one row per site, and one row per practitioner x site
with the **share of their time** at that site. A MilleSoins-style GP working two days in Bugeat and
one in Peyrelevade has two assignment rows with shares 2/3 and 1/3, and counts as 2/3 and 1/3 of a
practitioner at each site.

Build one with :func:`make_roster` (validation: one error listing every bad row), from a user's CSV
(:func:`accessmap.sources.roster.load_roster_csv`), or from official data with
:func:`study_area_roster` (BPE counts, the Creuse annuaire and declared MSP / volunteer sites,
combined without counting a GP twice; see ``docs/indicators.md``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError, format_rows

if TYPE_CHECKING:
    from accessmap.territory import Territory

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "DECLARED_COLUMNS",
    "PRACTITIONER_COLUMNS",
    "SHARE_TOLERANCE",
    "SITE_COLUMNS",
    "SITE_KINDS",
    "Roster",
    "make_roster",
    "study_area_roster",
]

#: Kinds of practice site.
SITE_KINDS: tuple[str, ...] = ("cabinet", "msp", "centre_sante", "volunteer_centre")

PRACTITIONER_COLUMNS: tuple[str, ...] = (
    "practitioner_id",
    "profession",
    "birth_year",
    "activity",
    "fte",
    "new_install",
    "health_centre",
    "retirement_year",
)
SITE_COLUMNS: tuple[str, ...] = ("site_id", "name", "kind", "commune_code", "lon", "lat")
ASSIGNMENT_COLUMNS: tuple[str, ...] = ("practitioner_id", "site_id", "share")

#: Columns of the declared-sites table (``accessmap/data/declared_sites.csv``).
DECLARED_COLUMNS: tuple[str, ...] = (
    "site_id",
    "name",
    "kind",
    "commune_code",
    "lon",
    "lat",
    "counting",
    "n_gp",
    "fte",
    "health_centre",
    "source",
)

#: Shares of one practitioner must sum to 1 within this tolerance.
SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Roster:
    """Practitioners, their sites and their time shares.

    Build it with :func:`make_roster`, which fills defaults, normalises dtypes and validates.

    Attributes
    ----------
    practitioners
        One row per practitioner: ``practitioner_id`` (str), ``profession`` (str), ``birth_year``
        (Int64, nullable), ``activity`` (float acts/year, NaN when unknown), ``fte`` (float),
        ``new_install`` (bool), ``health_centre`` (bool), ``retirement_year`` (Int64, nullable:
        a declared retirement year, which wins over any age model).
    sites
        One row per site: ``site_id`` (str), ``name``, ``kind`` (one of :data:`SITE_KINDS`),
        ``commune_code`` (str), ``lon``, ``lat`` (EPSG:4326).
    assignments
        One row per practitioner x site: ``practitioner_id``, ``site_id``, ``share`` in (0, 1],
        summing to 1 per practitioner.
    illustrative_ages
        True when birth years were generated (see ``workforce``): outputs must say so.
    source
        Where the roster came from (file path, "BPE 2017"...), for provenance and reports.
    """

    practitioners: pd.DataFrame
    sites: pd.DataFrame
    assignments: pd.DataFrame
    illustrative_ages: bool = False
    source: str = field(default="")

    @property
    def site_fte(self) -> pd.Series:
        """FTE practising at each site (sum of FTE x share), indexed by ``site_id``."""
        merged = self.assignments.merge(
            self.practitioners[["practitioner_id", "fte"]], on="practitioner_id"
        )
        fte = (merged["fte"] * merged["share"]).groupby(merged["site_id"]).sum()
        return fte.reindex(self.sites["site_id"], fill_value=0.0).rename("fte")


def _require_columns(frame: pd.DataFrame, required: Iterable[str], *, table: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field=table,
            fix=f"add the column(s); the {table} table needs {', '.join(required)}.",
        )


def _as_id(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().astype(object)


def make_roster(
    practitioners: pd.DataFrame,
    sites: pd.DataFrame,
    assignments: pd.DataFrame | None = None,
    *,
    known_communes: Collection[str] | None = None,
    current_year: int | None = None,
    illustrative_ages: bool = False,
    source: str = "",
) -> Roster:
    """Normalise, default and validate a roster.

    Parameters
    ----------
    practitioners
        Needs ``practitioner_id``; other columns of :data:`PRACTITIONER_COLUMNS` are filled with
        defaults when absent (profession ``generaliste``, FTE 1, unknown age and activity,
        flags False).
    sites
        Needs ``site_id``, ``commune_code``, ``lon``, ``lat``; ``kind`` defaults to ``cabinet``,
        ``name`` to the site id.
    assignments
        Practitioner x site shares. When ``None``, ``practitioners`` must carry a ``site_id`` column
        and each practitioner works full time at that one site.
    known_communes
        When given, every site's ``commune_code`` must be in it.
    current_year
        Birth years after it are rejected (default: today's year).
    illustrative_ages
        Mark generated ages (carried to every output).
    source
        Provenance label.

    Returns
    -------
    Roster
        Validated, with normalised dtypes.

    Raises
    ------
    ValidationError
        One error listing every bad row: unknown commune, shares not summing to 1, negative FTE or
        activity, birth year in the future, retirement before birth, duplicate ids, unknown site or
        practitioner in the assignments, invalid kind or coordinates.
    """
    year_now = current_year if current_year is not None else dt.datetime.now(tz=dt.UTC).year
    prac = practitioners.copy()
    _require_columns(prac, ["practitioner_id"], table="practitioners")
    if assignments is None:
        _require_columns(prac, ["practitioner_id", "site_id"], table="practitioners")
        assignments = pd.DataFrame(
            {"practitioner_id": prac["practitioner_id"], "site_id": prac["site_id"], "share": 1.0}
        )
        prac = prac.drop(columns=["site_id"])
    defaults: dict[str, Any] = {
        "profession": "generaliste",
        "birth_year": pd.NA,
        "activity": np.nan,
        "fte": 1.0,
        "new_install": False,
        "health_centre": False,
        "retirement_year": pd.NA,
    }
    for col, value in defaults.items():
        if col not in prac.columns:
            prac[col] = value
    prac["practitioner_id"] = _as_id(prac["practitioner_id"])
    prac["profession"] = prac["profession"].fillna("generaliste").astype(str)
    problems: list[str] = []
    for col in ("birth_year", "retirement_year"):
        numeric = pd.to_numeric(prac[col], errors="coerce")
        bad = prac.loc[numeric.isna() & prac[col].notna(), "practitioner_id"]
        if len(bad):
            problems.append(f"practitioners.{col} not a year for {format_rows(bad)}")
        prac[col] = numeric.round().astype("Int64")
    for col in ("activity", "fte"):
        prac[col] = pd.to_numeric(prac[col], errors="coerce").astype(float)
    for col in ("new_install", "health_centre"):
        prac[col] = prac[col].fillna(value=False).astype(bool)
    prac = prac[
        [*PRACTITIONER_COLUMNS, *[c for c in prac.columns if c not in PRACTITIONER_COLUMNS]]
    ]

    site = sites.copy()
    _require_columns(site, ["site_id", "commune_code", "lon", "lat"], table="sites")
    site["site_id"] = _as_id(site["site_id"])
    if "name" not in site.columns:
        site["name"] = site["site_id"]
    if "kind" not in site.columns:
        site["kind"] = "cabinet"
    site["kind"] = site["kind"].fillna("cabinet").astype(str).str.strip()
    site["commune_code"] = _as_id(site["commune_code"]).str.zfill(5)
    for col in ("lon", "lat"):
        site[col] = pd.to_numeric(site[col], errors="coerce").astype(float)
    site = site[[*SITE_COLUMNS, *[c for c in site.columns if c not in SITE_COLUMNS]]]

    asg = assignments.copy()
    _require_columns(asg, ["practitioner_id", "site_id"], table="assignments")
    if "share" not in asg.columns:
        asg["share"] = 1.0
    asg["practitioner_id"] = _as_id(asg["practitioner_id"])
    asg["site_id"] = _as_id(asg["site_id"])
    asg["share"] = pd.to_numeric(asg["share"], errors="coerce").astype(float)
    asg = asg[list(ASSIGNMENT_COLUMNS)]

    problems.extend(_problems(prac, site, asg, known_communes=known_communes, year_now=year_now))
    if problems:
        raise ValidationError(
            "invalid roster: " + "; ".join(problems) + ".",
            field="roster",
            fix="correct these rows (see docs/roster_template.md for the columns).",
        )
    return Roster(
        practitioners=prac.reset_index(drop=True),
        sites=site.reset_index(drop=True),
        assignments=asg.reset_index(drop=True),
        illustrative_ages=illustrative_ages,
        source=source,
    )


def _problems(
    prac: pd.DataFrame,
    site: pd.DataFrame,
    asg: pd.DataFrame,
    *,
    known_communes: Collection[str] | None,
    year_now: int,
) -> list[str]:
    """Every problem of a normalised roster, one string per kind of problem."""
    out: list[str] = []
    pid = prac["practitioner_id"]

    def flag(mask: pd.Series, ids: pd.Series, what: str) -> None:
        if bool(mask.any()):
            out.append(f"{what} for {format_rows(ids[mask])}")

    flag(pid.isna() | (pid == ""), pid.fillna("<blank>"), "practitioners.practitioner_id blank")
    flag(pid.duplicated(keep=False), pid, "practitioners.practitioner_id duplicated")
    flag(prac["fte"].isna() | (prac["fte"] < 0), pid, "practitioners.fte negative or missing")
    flag(prac["activity"] < 0, pid, "practitioners.activity negative")
    flag(prac["birth_year"].fillna(0) > year_now, pid, f"practitioners.birth_year after {year_now}")
    flag(prac["birth_year"].fillna(1900) < 1900, pid, "practitioners.birth_year before 1900")
    both = prac["birth_year"].notna() & prac["retirement_year"].notna()
    flag(
        both & (prac["retirement_year"].fillna(0) <= prac["birth_year"].fillna(0)),
        pid,
        "practitioners.retirement_year not after birth_year",
    )

    sid = site["site_id"]
    flag(sid.duplicated(keep=False), sid, "sites.site_id duplicated")
    flag(~site["kind"].isin(SITE_KINDS), sid, f"sites.kind not one of {', '.join(SITE_KINDS)}")
    bad_xy = (
        site["lon"].isna()
        | site["lat"].isna()
        | ~site["lon"].between(-180, 180)
        | ~site["lat"].between(-90, 90)
    )
    flag(bad_xy, sid, "sites.lon/lat missing or out of range (EPSG:4326 degrees)")
    flag(
        ~site["commune_code"].str.fullmatch(r"[0-9][0-9AB][0-9]{3}"),
        sid,
        "sites.commune_code malformed",
    )
    if known_communes is not None:
        known = set(known_communes)
        flag(~site["commune_code"].isin(known), site["commune_code"], "sites.commune_code unknown")

    label = asg["practitioner_id"].astype(str) + "@" + asg["site_id"].astype(str)
    flag(
        asg["share"].isna() | (asg["share"] <= 0) | (asg["share"] > 1),
        label,
        "assignments.share not in (0, 1]",
    )
    flag(~asg["practitioner_id"].isin(set(pid)), label, "assignments.practitioner_id unknown")
    flag(~asg["site_id"].isin(set(sid)), label, "assignments.site_id unknown")
    flag(
        asg.duplicated(["practitioner_id", "site_id"], keep=False), label, "assignments duplicated"
    )
    totals = asg.groupby("practitioner_id")["share"].sum()
    off = totals[(totals - 1.0).abs() > SHARE_TOLERANCE]
    if len(off):
        out.append(
            "assignments.share does not sum to 1 for "
            + format_rows(f"{k} ({v:.3f})" for k, v in off.items())
        )
    unassigned = pid[~pid.isin(set(asg["practitioner_id"]))]
    if len(unassigned):
        out.append(f"practitioners without any site: {format_rows(unassigned)}")
    return out


# --- the study area's GP sites from official counts ---------------------------------------------


def _site_frame(
    ids: pd.Series,
    names: pd.Series,
    codes: pd.Series,
    lonlat: pd.DataFrame,
    *,
    origin: str,
    n_gp: pd.Series,
) -> pd.DataFrame:
    """Return official sites as a frame of :data:`SITE_COLUMNS` plus ``origin`` and ``n_gp``."""
    return pd.DataFrame(
        {
            "site_id": ids.to_numpy(),
            "name": names.to_numpy(),
            "kind": "cabinet",
            "commune_code": codes.to_numpy(),
            "lon": lonlat.iloc[:, 0].astype(float).to_numpy(),
            "lat": lonlat.iloc[:, 1].astype(float).to_numpy(),
            "origin": origin,
            "n_gp": n_gp.to_numpy(),
        }
    )


def _official_sites(
    area: pd.DataFrame, *, bpe: pd.DataFrame, creuse_sites: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return official GP sites (BPE at town halls; Creuse annuaire) and their GPs."""
    _require_columns(bpe, ["code", "n_gp"], table="bpe")
    codes = set(area["code"])
    creuse = set(area.loc[area["dep"] == "23", "code"]) if creuse_sites is not None else set()
    counts = bpe.assign(code=_as_id(bpe["code"]).str.zfill(5))
    counts = counts[counts["code"].isin(codes - creuse)]
    n_gp = pd.to_numeric(counts["n_gp"], errors="coerce")
    if bool((n_gp.isna() | (n_gp < 0)).any()):
        bad = counts.loc[n_gp.isna() | (n_gp < 0), "code"]
        raise ValidationError(
            f"missing or negative n_gp for {format_rows(bad)}.",
            field="bpe.n_gp",
            fix="give whole numbers of GPs >= 0 per commune.",
        )
    counts = counts.assign(n_gp=n_gp.round().astype("int64"))
    counts = counts[counts["n_gp"] > 0].merge(
        area[["code", "nom", "mairie_lon", "mairie_lat"]], on="code", how="left"
    )
    sites = _site_frame(
        "bpe-" + counts["code"],
        counts["nom"].fillna(counts["code"]).astype(str) + " (BPE)",
        counts["code"],
        counts[["mairie_lon", "mairie_lat"]],
        origin="bpe",
        n_gp=counts["n_gp"],
    )
    if creuse_sites is not None:
        _require_columns(
            creuse_sites,
            ["site_id", "lon", "lat", "adresse", "n_unique_names", "commune_code"],
            table="creuse_sites",
        )
        geo = creuse_sites.assign(commune_code=_as_id(creuse_sites["commune_code"]).str.zfill(5))
        geo = geo[geo["commune_code"].isin(creuse)]
        names = pd.to_numeric(geo["n_unique_names"], errors="coerce").fillna(0).astype("int64")
        geo = geo.assign(n_gp=names)[names > 0]
        geocoded = _site_frame(
            _as_id(geo["site_id"]),
            geo["adresse"].astype(str).str.strip(),
            geo["commune_code"],
            geo[["lon", "lat"]],
            origin="annuaire_creuse",
            n_gp=geo["n_gp"],
        )
        sites = pd.concat([sites, geocoded], ignore_index=True)
    repeat = sites.loc[sites.index.repeat(sites["n_gp"])]
    rank = repeat.groupby("site_id").cumcount() + 1
    gps = pd.DataFrame(
        {
            "practitioner_id": repeat["site_id"].astype(str) + "-gp" + rank.astype(str),
            "site_id": repeat["site_id"].to_numpy(),
        }
    )
    return sites.reset_index(drop=True), gps.reset_index(drop=True)


def _declared(declared: pd.DataFrame, codes: Collection[str]) -> pd.DataFrame:
    """Return the normalised declared sites of the study area."""
    _require_columns(declared, ["site_id", "kind", "commune_code", "counting"], table="declared")
    dec = declared.copy()
    dec["site_id"] = _as_id(dec["site_id"])
    dec["commune_code"] = _as_id(dec["commune_code"]).str.zfill(5)
    dec["counting"] = dec["counting"].astype(str).str.strip()
    for col, default in (("name", None), ("lon", np.nan), ("lat", np.nan), ("n_gp", np.nan)):
        if col not in dec.columns:
            dec[col] = default
    if "fte" not in dec.columns:
        dec["fte"] = np.nan
    if "health_centre" not in dec.columns:
        dec["health_centre"] = False
    dec["name"] = dec["name"].fillna(dec["site_id"]).astype(str)
    for col in ("lon", "lat", "n_gp", "fte"):
        dec[col] = pd.to_numeric(dec[col], errors="coerce").astype(float)
    dec["health_centre"] = (
        dec["health_centre"].astype(str).str.strip().str.lower().isin({"true", "1", "yes"})
    )
    bad = dec.loc[~dec["counting"].isin({"in_official_counts", "additional"}), "site_id"]
    if len(bad):
        raise ValidationError(
            f"counting must be in_official_counts or additional for {format_rows(bad)}.",
            field="declared.counting",
            fix="in_official_counts: the site's GPs are already in BPE/annuaire counts; "
            "additional: they are not (e.g. volunteer GPs).",
        )
    neg = dec.loc[(dec["n_gp"] < 0) | (dec["fte"] < 0), "site_id"]
    if len(neg):
        raise ValidationError(
            f"negative n_gp or fte for {format_rows(neg)}.",
            field="declared",
            fix="give n_gp and fte >= 0 (or leave them empty).",
        )
    return dec[dec["commune_code"].isin(set(codes))].reset_index(drop=True)


def study_area_roster(
    territory: Territory,
    *,
    bpe: pd.DataFrame,
    creuse_sites: pd.DataFrame | None = None,
    declared: pd.DataFrame | None = None,
    current_year: int | None = None,
) -> Roster:
    """GP sites and GPs of a territory and its buffer, from official counts and declared sites.

    How the sources combine, without counting a GP twice:

    - **BPE** (INSEE, D201, about 2017): one ``cabinet`` site per commune at the town hall with
      ``n_gp`` GPs, each 1 FTE, activity and age unknown.
    - **Creuse annuaire** (``creuse_sites``, RPPS 2025-2026, geocoded): when given, it *replaces*
      the BPE for every Creuse (23) commune of the study area: one site per geocoded address with
      ``n_unique_names`` GPs. It is exhaustive for the department and more recent, so a Creuse
      commune absent from it has no GP in the roster even if the BPE counted some.
    - **Declared sites** (``declared``, e.g. :func:`accessmap.sources.roster.load_declared_sites`):
      ``counting == "in_official_counts"`` (MSPs): their GPs are already in the official counts of
      the commune, so the official site of that commune nearest to the declared point takes the
      declared id, name and kind (its coordinates and GPs are kept). When the commune has no
      official site, the declared site is added with ``n_gp`` GPs (none when ``n_gp`` is empty:
      the site is known, its staffing is not). ``counting == "additional"`` (volunteer centres):
      the GPs are not in any official count; the site is added with one pooled practitioner
      position of ``fte`` FTE (default 1), a health-centre GP.

    Parameters
    ----------
    territory
        The territory; its :attr:`~accessmap.territory.Territory.study_area` (territory and
        buffer) bounds the roster.
    bpe
        ``code``, ``n_gp`` (``accessmap.sources.load_bpe_gp_counts()``).
    creuse_sites
        ``site_id``, ``lon``, ``lat``, ``adresse``, ``n_unique_names``, ``commune_code``
        (``accessmap.sources.load_gp_sites_creuse()``), or ``None`` to use the BPE everywhere.
    declared
        Declared sites, columns :data:`DECLARED_COLUMNS`; those outside the study area are
        ignored.
    current_year
        Passed to :func:`make_roster`.

    Returns
    -------
    Roster
        Sites carry two extra columns: ``origin`` (``bpe``, ``annuaire_creuse``, ``declared``)
        and ``in_territory``. Ages are unknown (``illustrative_ages`` False).

    Raises
    ------
    ValidationError
        Missing columns, negative counts, invalid declared rows.

    References
    ----------
    INSEE, Base permanente des équipements (D201, médecin généraliste); ANS, Annuaire santé
    (RPPS); MilleSoins and Médecins Solidaires facts in ``../shared/context/territory.md``.
    """
    area = pd.DataFrame(territory.study_area.drop(columns="geometry", errors="ignore"))
    _require_columns(area, ["code", "mairie_lon", "mairie_lat", "in_territory"], table="territory")
    area["code"] = _as_id(area["code"])
    if "dep" not in area.columns:
        area["dep"] = area["code"].str[:2]
    if "nom" not in area.columns:
        area["nom"] = area["code"]
    sites, gps = _official_sites(area, bpe=bpe, creuse_sites=creuse_sites)
    extra_prac: list[dict[str, Any]] = []
    parts = ["BPE D201 counts at town halls (1 FTE per GP, activity and age unknown)"]
    if creuse_sites is not None:
        parts.append("Annuaire santé geocoded sites for Creuse communes")
    if declared is not None:
        dec = _declared(declared, area["code"])
        parts.append(f"{len(dec)} declared site(s)")
        new_sites: list[dict[str, Any]] = []
        for rec in dec.to_dict("records"):
            site_id, code, counting = str(rec["site_id"]), str(rec["commune_code"]), rec["counting"]
            d_lon, d_lat = float(rec["lon"]), float(rec["lat"])
            n_gp, fte = float(rec["n_gp"]), float(rec["fte"])
            attrs = {"site_id": site_id, "name": str(rec["name"]), "kind": str(rec["kind"])}
            home = sites.index[sites["commune_code"] == code]
            if counting == "in_official_counts" and len(home):
                here = sites.loc[home]
                lon = d_lon if math.isfinite(d_lon) else float(here["lon"].mean())
                lat = d_lat if math.isfinite(d_lat) else float(here["lat"].mean())
                target = ((here["lon"] - lon) ** 2 + (here["lat"] - lat) ** 2).idxmin()
                gps.loc[gps["site_id"] == sites.at[target, "site_id"], "site_id"] = site_id
                for key, value in attrs.items():
                    sites.at[target, key] = value
                continue
            point = area.loc[area["code"] == code].iloc[0]
            new_sites.append(
                {
                    **attrs,
                    "commune_code": code,
                    "lon": d_lon if math.isfinite(d_lon) else float(point["mairie_lon"]),
                    "lat": d_lat if math.isfinite(d_lat) else float(point["mairie_lat"]),
                    "origin": "declared",
                }
            )
            if counting == "additional":
                extra_prac.append(
                    {
                        "practitioner_id": f"{site_id}-pool",
                        "site_id": site_id,
                        "fte": fte if math.isfinite(fte) else 1.0,
                        "health_centre": True,
                    }
                )
            elif math.isfinite(n_gp):
                extra_prac.extend(
                    {
                        "practitioner_id": f"{site_id}-gp{k + 1}",
                        "site_id": site_id,
                        "fte": 1.0,
                        "health_centre": bool(rec["health_centre"]),
                    }
                    for k in range(round(n_gp))
                )
        if new_sites:
            sites = pd.concat([sites, pd.DataFrame(new_sites)], ignore_index=True)
    practitioners = pd.concat(
        [gps.assign(fte=1.0, health_centre=False), pd.DataFrame(extra_prac)], ignore_index=True
    )
    if practitioners.empty:
        practitioners = pd.DataFrame(columns=["practitioner_id", "site_id", "fte", "health_centre"])
    inside = set(area.loc[area["in_territory"].astype(bool), "code"])
    sites["in_territory"] = sites["commune_code"].isin(inside)
    sites = sites.drop(columns=["n_gp"], errors="ignore")
    return make_roster(
        practitioners.drop(columns="site_id"),
        sites,
        practitioners[["practitioner_id", "site_id"]].assign(share=1.0),
        known_communes=set(area["code"]),
        current_year=current_year,
        source="; ".join(parts),
    )
