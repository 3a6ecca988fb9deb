"""The shapes that cross module boundaries, and one validator per shape.

This module imports nothing of the domain: ``sources`` (I/O) may build these types and every domain
module validates its inputs with these functions, so that a table is accepted or refused the same
way everywhere (one message naming the field and the fix).

Contracts
---------
- points: ``id`` (str, unique), ``lon``, ``lat`` (float, EPSG:4326) -> :func:`validate_points`;
  a GeoDataFrame in any CRS is accepted wherever points are (:func:`as_points`), and results join
  back to geometry with :func:`with_geometry`
- travel times (the currency): ``origin_id``, ``dest_id``, ``minutes`` (float, ``inf`` = no path),
  optionally ``method`` -> :func:`validate_od` (integer-coded pairs for the numeric kernels)
- demand: ``id``, ``population``, optionally ``pop_std`` (DREES standardised population) and
  ``in_territory`` -> :func:`validate_demand`
- supply: ``site_id``, ``acts`` (yearly consultations offered) -> :func:`validate_supply`
- APL parameters: :class:`AplParameters` (DREES workbook, sheet *Paramètres*)
- drivable OSM ways read from a road file: :class:`RoadWays` (``sources.osmfile`` builds it,
  ``network.network_from_ways`` turns it into a road network)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap._idcodes import factorized, id_index, known_distinct, repeated_pairs
from accessmap.errors import ValidationError
from accessmap.messages import Message

__all__ = [
    "AGE_BANDS",
    "DECLARED_COLUMNS",
    "OD_COLUMNS",
    "SIMPLIFIED_GEOMETRY",
    "AplParameters",
    "DecayBand",
    "OdPairs",
    "RoadWays",
    "as_points",
    "booleans_column",
    "isin_codes",
    "numbers_column",
    "parse_number",
    "require_columns",
    "validate_demand",
    "validate_minutes",
    "validate_od",
    "validate_points",
    "validate_supply",
    "with_geometry",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.intp]

#: Road-graph attribute (``graph.graph[SIMPLIFIED_GEOMETRY]``): ``True`` when the file's geometry is
#: simplified to straight segments between waypoints, so edge lengths run short of the real roads.
#: Set by ``sources.osm`` readers, read by ``network.build_network`` (``road_length_factor``).
SIMPLIFIED_GEOMETRY = "simplified_geometry"


@dataclass(frozen=True, slots=True)
class RoadWays:
    """The drivable ways of an OpenStreetMap file, as plain arrays (no graph library).

    Attributes
    ----------
    node_ids
        OSM id of each node used by a way (int64), in the file's order.
    lon, lat
        Node coordinates (EPSG:4326).
    offsets
        ``len(ways) + 1`` positions into ``nodes``: way ``i`` runs over
        ``nodes[offsets[i]:offsets[i + 1]]``.
    nodes
        Node row indices (into ``node_ids``) of every way, in the way's order.
    highway, maxspeed, oneway, junction
        The way's tag values (object arrays of ``str`` or ``None``).
    simplified_geometry
        The file's geometry is simplified to straight segments between waypoints (see
        :data:`SIMPLIFIED_GEOMETRY`).
    source
        The file read (for messages and reports).
    missing_nodes
        Number of distinct nodes referred to by ways but absent from the file (the ways are cut
        there).
    """

    node_ids: npt.NDArray[np.int64]
    lon: FloatArray
    lat: FloatArray
    offsets: npt.NDArray[np.int64]
    nodes: npt.NDArray[np.int64]
    highway: npt.NDArray[np.object_]
    maxspeed: npt.NDArray[np.object_]
    oneway: npt.NDArray[np.object_]
    junction: npt.NDArray[np.object_]
    simplified_geometry: bool = False
    source: str = ""
    missing_nodes: int = 0

    @property
    def n_ways(self) -> int:
        """Number of ways."""
        return len(self.offsets) - 1


#: Columns of the long travel-time table (the currency between modules).
OD_COLUMNS: tuple[str, ...] = ("origin_id", "dest_id", "minutes", "method")

#: Columns of the declared-sites table (``accessmap/data/declared_sites.csv``): health centres
#: known from the territory facts, with how their GPs are counted.
DECLARED_COLUMNS: tuple[str, ...] = (
    "site_id", "name", "kind", "commune_code", "lon", "lat", "counting", "n_gp", "fte",
    "health_centre", "source",
)  # fmt: skip

#: The 19 DREES age bands, youngest first.
AGE_BANDS: tuple[str, ...] = (
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
    "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
)  # fmt: skip

_DREES_WEIGHTS_2022 = (
    0.93, 0.59, 0.55, 0.59, 0.73, 0.78, 0.84, 0.88, 0.9, 0.97,
    1.06, 1.14, 1.16, 1.19, 1.52, 1.53, 1.72, 1.99, 2.39,
)  # fmt: skip
_DREES_WEIGHTS_2023 = (
    1.12, 0.58, 0.51, 0.6, 0.75, 0.79, 0.82, 0.85, 0.89, 0.93,
    1.03, 1.15, 1.18, 1.23, 1.46, 1.57, 1.63, 1.89, 2.26,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DecayBand:
    """One step of a time-decay function: weight for ``lower <= minutes < upper``."""

    lower: float
    upper: float
    weight: float


@dataclass(frozen=True, slots=True)
class AplParameters:
    """Parameters of the DREES APL indicator (defaults: the DREES 2023 workbook).

    Attributes
    ----------
    zero_below
        Activity at or below this counts 0 ("moins de 250").
    floor_acts
        Activity above ``zero_below`` and up to this counts this ("entre 251 et 3 600": 3,600).
    cap_acts
        Activity above this counts this ("plus de 6 000": 6,000); in between it counts as is.
    new_gp_acts
        Activity imputed to a GP with no activity the previous year (5,400).
    decay
        Time-decay steps, half-open ``[lower, upper)``; beyond the last step the weight is 0.
    age_weights
        The 19 age-band weights by vintage year (see :data:`AGE_BANDS`).
    age_limit
        Age limit of the "GPs under 65" variant.
    unknown_acts
        Yearly acts imputed to a full-time GP whose activity is unknown; ``None``: ``new_gp_acts``
        (the DREES value for a GP without history). Set by the calibration on the published APL
        (:func:`accessmap.indicators.calibrate_activity`), never per commune.
    source
        Where the values came from.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes », workbook
    sheet *Paramètres* (2022, 2023 vintages); Barlet M. et al., « L'Accessibilité potentielle
    localisée (APL) : une nouvelle mesure de l'accessibilité aux soins appliquée aux médecins
    généralistes libéraux en France », DREES, Document de travail n° 124, 2012.
    """

    zero_below: float = 250.0
    floor_acts: float = 3600.0
    cap_acts: float = 6000.0
    new_gp_acts: float = 5400.0
    decay: tuple[DecayBand, ...] = (
        DecayBand(0.0, 10.0, 1.0),
        DecayBand(10.0, 15.0, 2.0 / 3.0),
        DecayBand(15.0, 20.0, 1.0 / 3.0),
    )
    age_weights: Mapping[int, tuple[float, ...]] = field(
        default_factory=lambda: {2022: _DREES_WEIGHTS_2022, 2023: _DREES_WEIGHTS_2023}
    )
    age_limit: int = 65
    source: str = str(Message("contracts.apl_defaults_source", year=2023))
    unknown_acts: float | None = None

    @property
    def horizon(self) -> float:
        """Minutes beyond which the weight is 0 (the upper edge of the last decay band)."""
        return max((b.upper for b in self.decay), default=0.0)


# --- generic checks ------------------------------------------------------------------------------


def require_columns(
    frame: object, columns: Iterable[str], *, table: str, fix: Message | str | None = None
) -> pd.DataFrame:
    """Check that ``frame`` is a DataFrame holding ``columns``; return it.

    Parameters
    ----------
    frame
        The table given by the caller.
    columns
        Required column names.
    table
        Name of the table in messages (``demand``, ``od``, ``roster.sites``...).
    fix
        How to fix it, as a catalogued :class:`~accessmap.messages.Message` (a text is shown as
        it is); default: add the missing column(s).

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself.

    Raises
    ------
    ValidationError
        Not a DataFrame, or a column is missing; the field names the first missing column.
    """
    cols = tuple(columns)
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError(
            "contracts.not_a_table",
            field=table,
            got=type(frame).__name__,
            hint=_hint(fix, Message("contracts.hint_table_columns", columns=list(cols))),
        )
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValidationError(
            "contracts.missing_columns",
            field=f"{table}.{missing[0]}",
            columns=missing,
            hint=_hint(fix, Message("contracts.hint_add_columns", columns=missing)),
        )
    return frame


def validate_minutes(values: object, *, name: str = "minutes") -> FloatArray:
    """Minutes as a float array; NaN and negative values are refused (``inf`` = unreachable).

    Parameters
    ----------
    values
        Travel times (array-like).
    name
        Field name for messages.

    Returns
    -------
    numpy.ndarray of float64

    Raises
    ------
    ValidationError
        Non-numeric, NaN or negative times.
    """
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValidationError("contracts.minutes_not_numbers", field=name) from None
    bad = np.isnan(arr) | (arr < 0)
    if bool(bad.any()):
        raise ValidationError(
            "contracts.bad_minutes",
            field=name,
            count=int(bad.sum()),
            values=arr[bad].tolist(),
        )
    return arr


def _hint(given: Message | str | None, default: Message) -> Message | str:
    """Return the caller's fix (a text without its full stop), else ``default``."""
    if given is None:
        return default
    return given.rstrip(".") if isinstance(given, str) else given


def _unique_ids(values: pd.Series, *, field_name: str, hint: Message) -> npt.NDArray[np.object_]:
    if bool(values.isna().any()):
        raise ValidationError("contracts.missing_ids", field=field_name)
    text = isinstance(values.dtype, pd.StringDtype)  # str already: no conversion
    ids = (values if text else values.astype(str)).to_numpy(dtype=object)
    dup = pd.Index(ids, dtype=object).duplicated()
    if bool(dup.any()):
        raise ValidationError(
            "contracts.duplicate_ids", field=field_name, ids=list(pd.unique(ids[dup])), hint=hint
        )
    return ids


def _non_negative(
    values: pd.Series, ids: npt.NDArray[np.object_], *, field_name: str, hint: Message
) -> FloatArray:
    arr = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(arr) | (arr < 0)
    if bool(bad.any()):
        raise ValidationError(
            "contracts.bad_values", field=field_name, ids=list(ids[bad]), hint=hint
        )
    return arr


def parse_number(values: pd.Series, *, decimal_comma: bool = False) -> pd.Series:
    """Numbers from text cells: ``""`` is missing; ``"4,5"`` reads 4.5 when ``decimal_comma``.

    Parameters
    ----------
    values
        Text cells.
    decimal_comma
        French spreadsheets: the comma is the decimal separator (spaces group thousands).

    Returns
    -------
    pandas.Series
        float64, NaN where the cell is empty or not a number (callers name the bad lines).
    """
    text = values.astype(str).str.strip()
    if decimal_comma:
        text = text.str.replace("\u202f", "", regex=False).str.replace("\u00a0", "", regex=False)
        text = text.str.replace(" ", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(text.where(text != ""), errors="coerce").astype("float64")


_TRUE = {"true", "1", "yes", "y", "oui", "vrai", "x"}
_FALSE = {"false", "0", "no", "n", "non", "faux", ""}


def numbers_column(
    values: pd.Series, *, column: str, lines: pd.Series, decimal_comma: bool = False
) -> pd.Series:
    """Parse a text column of a user file into numbers, naming the lines that are not numbers.

    Parameters
    ----------
    values
        Text cells (empty = unknown).
    column
        Column name for messages.
    lines
        File line number of each row, for messages.
    decimal_comma
        The file uses the comma as decimal separator (``;``-separated French files).

    Returns
    -------
    pandas.Series
        float64, NaN where empty.

    Raises
    ------
    ValidationError
        A non-empty cell that is not a number.
    """
    numbers = parse_number(values, decimal_comma=decimal_comma)
    bad = numbers.isna() & values.astype(str).str.strip().ne("")
    if bool(bad.any()):
        if decimal_comma:
            raise ValidationError(
                "contracts.not_a_number_comma", field=column, lines=lines[bad].tolist()
            )
        raise ValidationError(
            "contracts.not_a_number_point", field=column, lines=lines[bad].tolist()
        )
    return numbers


def booleans_column(values: pd.Series, *, column: str, lines: pd.Series) -> pd.Series:
    """Parse a yes/no text column (true/false, oui/non, 1/0, x; empty = no).

    Parameters
    ----------
    values
        Text cells.
    column
        Column name for messages.
    lines
        File line number of each row, for messages.

    Returns
    -------
    pandas.Series of bool

    Raises
    ------
    ValidationError
        A cell that is not a yes/no value.
    """
    lowered = values.astype(str).str.strip().str.lower()
    bad = ~lowered.isin(_TRUE | _FALSE)
    if bool(bad.any()):
        raise ValidationError("contracts.not_a_boolean", field=column, lines=lines[bad].tolist())
    return lowered.isin(_TRUE)


# --- points --------------------------------------------------------------------------------------


def isin_codes(values: object, wanted: Iterable[object]) -> npt.NDArray[np.bool_]:
    """Whether each value is one of ``wanted``, both read as strings (codes, ids); null: no.

    ``Series.isin`` converts every wanted value to an Arrow scalar in Python on pandas' Arrow
    strings (0.15 s for the 35,000 communes of France, paid by every filter of a national run);
    Arrow's own hash set does it in milliseconds.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(pd.Series(values).astype("str"), from_pandas=True)
    keys = pa.array([str(w) for w in wanted], type=array.type)
    found = pc.is_in(array, value_set=keys, skip_nulls=True)  # a null is in no set
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _is_geoframe(table: object) -> bool:
    """Tell whether a table is a GeoDataFrame (checked without importing geopandas)."""
    return isinstance(table, pd.DataFrame) and type(table).__name__ == "GeoDataFrame"


def as_points(table: object, *, id_column: str = "id", role: str = "points") -> pd.DataFrame:
    """Return a points table (``id``, ``lon``, ``lat`` in EPSG:4326) from a (Geo)DataFrame.

    The boundary every public function taking points goes through (via :func:`validate_points`).

    Parameters
    ----------
    table
        A GeoDataFrame in any CRS (reprojected to EPSG:4326): a point geometry gives its
        coordinates; any other geometry (a commune polygon...) gives its **representative point**
        (``shapely``'s ``representative_point``, always inside the shape, computed after the
        reprojection so that the same shapes in two CRSs give the same point). Or a DataFrame with
        ``lon``/``lat`` columns (EPSG:4326), returned with its ids renamed.
    id_column
        The column holding the ids (``"code"`` for communes...); it becomes ``id``.
    role
        Name used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``lon``, ``lat`` then the other columns (geometry dropped), in the input order.

    Raises
    ------
    ValidationError
        No id column, a GeoDataFrame without a CRS, an empty geometry.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame({"code": ["a"]}, geometry=[Point(700000, 6500000)], crs=2154)
    >>> as_points(frame, id_column="code")[["id"]].to_dict("list")
    {'id': ['a']}
    """
    frame = require_columns(
        table, (id_column,), table=role, fix=Message("contracts.hint_points_table")
    )
    if not _is_geoframe(frame):
        return frame if id_column == "id" else frame.rename(columns={id_column: "id"})
    geo = frame.geometry
    if geo.crs is None:
        raise ValidationError("contracts.points_no_crs", field=f"{role}.geometry")
    if geo.is_empty.any() or geo.isna().any():
        bad = frame.loc[(geo.is_empty | geo.isna()).to_numpy(), id_column]
        raise ValidationError("contracts.points_empty_geometry", field=role, ids=bad.tolist())
    geo = geo.to_crs(4326)
    if not (geo.geom_type == "Point").all():
        geo = geo.representative_point()
    rest = pd.DataFrame(frame.drop(columns=[frame.geometry.name, "lon", "lat"], errors="ignore"))
    rest = rest.rename(columns={id_column: "id"})
    out = pd.DataFrame({"lon": geo.x.to_numpy(), "lat": geo.y.to_numpy()}, index=rest.index)
    return pd.concat([rest[["id"]], out, rest.drop(columns=["id"])], axis=1)


def with_geometry(
    result: pd.DataFrame,
    places: pd.DataFrame,
    *,
    on: str = "id",
    id_column: str = "id",
    crs: object = 4326,
) -> pd.DataFrame:
    """Join a result table back to the geometry of its places: a GeoDataFrame, CRS set.

    Parameters
    ----------
    result
        Any result with one id column (``id``, ``origin_id``, ``site_id``...).
    places
        A GeoDataFrame (its geometry is kept, in its CRS unless ``crs`` says otherwise) or a
        points table (``lon``/``lat`` in EPSG:4326 become point geometries).
    on
        The id column of ``result``.
    id_column
        The id column of ``places``.
    crs
        CRS of the returned frame (default EPSG:4326; ``None`` keeps the places' CRS).

    Returns
    -------
    geopandas.GeoDataFrame
        ``result``'s rows and columns in its order, plus ``geometry`` (empty where an id has no
        place).
    """
    import geopandas as gpd

    if _is_geoframe(places):
        shapes = gpd.GeoDataFrame(places)
    else:
        pts = require_columns(places, (id_column, "lon", "lat"), table="places")
        shapes = gpd.GeoDataFrame(
            pts, geometry=gpd.points_from_xy(pts["lon"], pts["lat"]), crs=4326
        )
    key = shapes[id_column].astype(str)
    geometry = gpd.GeoSeries(shapes.geometry.to_numpy(), index=key.to_numpy(), crs=shapes.crs)
    geometry = geometry[~geometry.index.duplicated()]
    joined = geometry.reindex(result[on].astype(str).to_numpy())
    out = gpd.GeoDataFrame(result.copy(), geometry=joined.to_numpy(), crs=shapes.crs)
    return out if crs is None else out.to_crs(crs)


def validate_points(points: object, *, role: str = "points") -> pd.DataFrame:
    """Check a points table and return it clean: ``id`` as str, ``lon``/``lat`` as float.

    Parameters
    ----------
    points
        ``id`` (unique, not missing), ``lon``, ``lat`` (EPSG:4326 degrees, finite); or a
        GeoDataFrame with an ``id`` column, in any CRS (:func:`as_points`; another id column:
        call :func:`as_points` with ``id_column``).
    role
        Name used in error messages (``origins``, ``destinations``...).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``lon``, ``lat`` only, in the input order.

    Raises
    ------
    ValidationError
        Missing column, missing or duplicate id, missing or out-of-range coordinates.
    """
    if _is_geoframe(points):
        points = as_points(points, role=role)
    frame = require_columns(
        points, ("id", "lon", "lat"), table=role, fix=Message("contracts.hint_points_table")
    )
    ids = _unique_ids(
        frame["id"], field_name=f"{role}.id", hint=Message("contracts.hint_one_row_per_point")
    )
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(lon) & np.isfinite(lat)) | (np.abs(lon) > 180) | (np.abs(lat) > 90)
    if bool(bad.any()):
        raise ValidationError(
            "contracts.bad_coordinates", field=f"{role}.lon/lat", ids=list(ids[bad])
        )
    return pd.DataFrame({"id": ids, "lon": lon, "lat": lat})


# --- travel times --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OdPairs:
    """The travel-time table as integer positions: ``origins[origin[k]] -> dests[dest[k]]``.

    ``rows[k]`` is the position in the validated table of pair ``k`` (its other columns, e.g.
    ``method``, read without a second lookup); ``None`` when built without a table.
    """

    origin: IntArray
    dest: IntArray
    minutes: FloatArray
    origins: pd.Index
    dests: pd.Index
    rows: IntArray | None = None


def _positions(values: pd.Series, index: pd.Index) -> IntArray:
    codes, uniques = factorized(values)
    lookup = index.get_indexer(pd.Index(uniques))
    # a missing value (code -1) reads the -1 appended last: one array of the table's length
    return np.append(lookup, -1).astype(np.intp, copy=False)[codes]


def _coded(values: pd.Series, index: Sequence[str] | pd.Index | None) -> tuple[IntArray, pd.Index]:
    if index is None:
        codes, uniques = factorized(values)
        return codes.astype(np.intp), pd.Index(uniques, dtype=object)
    idx = id_index(index)
    return _positions(values, idx), idx


def validate_od(
    od: object,
    *,
    origins: Sequence[str] | pd.Index | None = None,
    dests: Sequence[str] | pd.Index | None = None,
    name: str = "od",
) -> OdPairs:
    """Check the long travel-time table and code it as integer positions.

    Parameters
    ----------
    od
        ``origin_id``, ``dest_id``, ``minutes`` (``inf`` = no path; a missing pair is the same).
    origins, dests
        When given, the ids to code against: rows whose origin or destination is not listed are
        dropped (they do not concern the caller). When omitted, the ids found, in order.
    name
        Field name for messages.

    Returns
    -------
    OdPairs

    Raises
    ------
    ValidationError
        Not a table, a missing column, NaN or negative minutes, a duplicated pair.
    """
    frame = require_columns(
        od,
        OD_COLUMNS[:3],
        table=name,
        fix=Message("contracts.hint_od_table"),
    )
    oi, origin_index = _coded(frame["origin_id"], origins)
    dj, dest_index = _coded(frame["dest_id"], dests)
    keep = (oi >= 0) & (dj >= 0)
    every = bool(keep.all())  # the usual case: no copy of the columns to drop nothing
    raw = frame["minutes"].to_numpy()
    minutes = validate_minutes(raw if every else raw[keep], name=f"{name}.minutes")
    if not every:  # one column at a time: the unfiltered codes are freed as they go
        oi = oi[keep]
        dj = dj[keep]
    # the table's pairs all distinct: so are those kept, each id coded to its own position
    dup = None if known_distinct(frame) else repeated_pairs(oi, dj, len(dest_index))
    if dup is not None:
        pairs = [
            f"{origin_index[i]}->{dest_index[j]}" for i, j in zip(oi[dup], dj[dup], strict=True)
        ]
        raise ValidationError("contracts.duplicate_pairs", field=name, pairs=pairs)
    rows = np.arange(len(keep), dtype=np.intp) if every else np.flatnonzero(keep)
    return OdPairs(
        origin=oi, dest=dj, minutes=minutes, origins=origin_index, dests=dest_index,
        rows=rows.astype(np.intp, copy=False),
    )  # fmt: skip


# --- demand and supply ---------------------------------------------------------------------------


def validate_demand(
    demand: object, *, weight: str = "population", name: str = "demand"
) -> pd.DataFrame:
    """Check a demand table and return it clean.

    Parameters
    ----------
    demand
        ``id`` (unique), ``population`` (or the column named by ``weight``), optionally ``pop_std``
        (DREES age-standardised population; missing values fall back to ``population``) and
        ``in_territory`` (default True).
    weight
        The column that weighs demand for the caller (``population``, ``pop_std``...).
    name
        Field name for messages.

    Returns
    -------
    pandas.DataFrame
        ``id`` (str), ``population``, ``pop_std``, ``weight`` (float64, finite, >= 0),
        ``in_territory`` (bool), in the input order.

    Raises
    ------
    ValidationError
        Missing column, empty table, duplicate id, missing or negative counts.
    """
    # a table holding only the standardised population (``id, pop_std``) is weighed by it
    only_std = weight == "pop_std" and "pop_std" in getattr(demand, "columns", ())
    base = "population" if weight == "pop_std" and not only_std else weight
    frame = require_columns(
        demand,
        ("id", base),
        table=name,
        fix=Message("contracts.hint_demand_table", column=base),
    )
    if frame.empty:
        raise ValidationError("contracts.empty_table", field=name)
    ids = _unique_ids(
        frame["id"], field_name=f"{name}.id", hint=Message("contracts.hint_one_row_per_id")
    )
    fix = Message("contracts.hint_fill_counts")
    population = (
        _non_negative(frame["population"], ids, field_name=f"{name}.population", hint=fix)
        if "population" in frame.columns
        else None
    )
    std: FloatArray | None = population
    if "pop_std" in frame.columns:
        raw = pd.to_numeric(frame["pop_std"], errors="coerce").to_numpy(dtype=np.float64)
        if population is not None:
            raw = np.where(np.isnan(raw), population, raw)
        std = _non_negative(pd.Series(raw), ids, field_name=f"{name}.pop_std", hint=fix)
    columns = {
        "population": population if population is not None else np.full(len(ids), np.nan),
        "pop_std": std if std is not None else np.full(len(ids), np.nan),
    }
    columns["weight"] = (
        columns[weight]
        if weight in ("population", "pop_std")
        else _non_negative(frame[weight], ids, field_name=f"{name}.{weight}", hint=fix)
    )
    in_territory = (
        frame["in_territory"].fillna(value=False).astype(bool).to_numpy()
        if "in_territory" in frame.columns
        else np.ones(len(ids), dtype=bool)
    )
    # one constructor (columns inserted one by one cost more than the checks)
    return pd.DataFrame({"id": ids, **columns, "in_territory": in_territory})


def validate_supply(
    supply: object, *, name: str = "supply", aggregate: bool = False, column: str = "acts"
) -> pd.Series:
    """Check a supply table (consultations offered per site) and return acts by site.

    Parameters
    ----------
    supply
        ``site_id``, ``acts`` (finite, >= 0).
    name
        Field name for messages.
    column
        The supply column (default ``acts``; ``capacity``, ``fte``... for generic measures).
    aggregate
        ``True`` sums rows sharing a site (several practitioners listed per site); ``False``
        refuses a duplicated site.

    Returns
    -------
    pandas.Series
        Acts (float64) indexed by site id (str), in first-seen order.

    Raises
    ------
    ValidationError
        Missing column, duplicate site (unless ``aggregate``), missing or negative acts.
    """
    frame = require_columns(
        supply,
        ("site_id", column),
        table=name,
        fix=Message("contracts.hint_supply_table", column=column),
    )
    ids = frame["site_id"].astype(str).to_numpy(dtype=object)
    acts = _non_negative(
        frame[column],
        ids,
        field_name=f"{name}.{column}",
        hint=Message("contracts.hint_fix_column", column=column),
    )
    series = pd.Series(acts, index=pd.Index(ids, name="site_id"), name=column)
    if aggregate:
        return series.groupby(level=0, sort=False).sum()
    _unique_ids(
        frame["site_id"],
        field_name=f"{name}.site_id",
        hint=Message("contracts.hint_one_row_per_site"),
    )
    return series
