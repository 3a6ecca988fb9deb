"""GP sites and GPs of a study area from official counts and declared sites (pure)."""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from accessmap.contracts import isin_codes
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.supply.roster import Roster, _as_id, _require_columns, make_roster

if TYPE_CHECKING:
    from accessmap.territory import Territory

__all__ = ["study_area_roster"]


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
    counts = counts[isin_codes(counts["code"], codes - creuse)]
    n_gp = pd.to_numeric(counts["n_gp"], errors="coerce")
    if bool((n_gp.isna() | (n_gp < 0)).any()):
        bad = counts.loc[n_gp.isna() | (n_gp < 0), "code"]
        raise ValidationError("supply.bad_gp_counts", field="bpe.n_gp", codes=list(bad))
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
            "supply.bad_counting",
            field="declared.counting",
            sites=list(bad),
            choices=["in_official_counts", "additional"],
        )
    neg = dec.loc[(dec["n_gp"] < 0) | (dec["fte"] < 0), "site_id"]
    if len(neg):
        raise ValidationError("supply.negative_declared", field="declared", sites=list(neg))
    return dec[isin_codes(dec["commune_code"], codes)].reset_index(drop=True)


def _declared_gps(rec: Mapping[Hashable, Any], site_id: str) -> list[dict[str, Any]]:
    """Practitioner positions a declared site adds (volunteer pool, or its declared GPs)."""
    n_gp, fte = float(rec["n_gp"]), float(rec["fte"])
    if rec["counting"] == "additional":
        return [
            {
                "practitioner_id": f"{site_id}-pool",
                "site_id": site_id,
                "fte": fte if math.isfinite(fte) else 1.0,
                "health_centre": True,
            }
        ]
    if not math.isfinite(n_gp):
        return []
    return [
        {
            "practitioner_id": f"{site_id}-gp{k + 1}",
            "site_id": site_id,
            "fte": 1.0,
            "health_centre": bool(rec["health_centre"]),
        }
        for k in range(round(n_gp))
    ]


def _apply_declared(
    area: pd.DataFrame, sites: pd.DataFrame, gps: pd.DataFrame, dec: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict[str, Any]]]:
    """Merge declared sites into the official ones (see :func:`study_area_roster`)."""
    new_sites: list[dict[str, Any]] = []
    extra: list[dict[str, Any]] = []
    for rec in dec.to_dict("records"):
        site_id, code = str(rec["site_id"]), str(rec["commune_code"])
        d_lon, d_lat = float(rec["lon"]), float(rec["lat"])
        attrs = {"site_id": site_id, "name": str(rec["name"]), "kind": str(rec["kind"])}
        home = sites.index[sites["commune_code"] == code]
        if rec["counting"] == "in_official_counts" and len(home):
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
        extra.extend(_declared_gps(rec, site_id))
    if new_sites:
        sites = pd.concat([sites, pd.DataFrame(new_sites)], ignore_index=True)
    return sites, gps, extra


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
    parts = [Message("supply.source_bpe")]
    if creuse_sites is not None and (sites["origin"] == "annuaire_creuse").any():
        # named only when it placed a site: a Puy-de-Dôme study area owes it nothing
        parts.append(Message("supply.source_creuse"))
    if declared is not None:
        dec = _declared(declared, area["code"])
        one = len(dec) == 1
        parts.append(
            Message(
                "supply.source_declared_one" if one else "supply.source_declared", count=len(dec)
            )
        )
        sites, gps, extra_prac = _apply_declared(area, sites, gps, dec)
    practitioners = pd.concat(
        [gps.assign(fte=1.0, health_centre=False), pd.DataFrame(extra_prac)], ignore_index=True
    )
    if practitioners.empty:
        practitioners = pd.DataFrame(columns=["practitioner_id", "site_id", "fte", "health_centre"])
    inside = set(area.loc[area["in_territory"].astype(bool), "code"])
    sites["in_territory"] = isin_codes(sites["commune_code"], inside)
    sites = sites.drop(columns=["n_gp"], errors="ignore")
    return make_roster(
        practitioners.drop(columns="site_id"),
        sites,
        practitioners[["practitioner_id", "site_id"]].assign(share=1.0),
        known_communes=set(area["code"]),
        current_year=current_year,
        source=" ; ".join(str(part) for part in parts),
    )
