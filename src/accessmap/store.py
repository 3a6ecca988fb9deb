"""The embedded DuckDB store: one file, spatial extension loaded offline, atomic writes.

One file (default ``data/accessmap.duckdb``) holds the communes, the supply, the long travel-time
table, results and a ``provenance`` table filled by every load. The DuckDB spatial extension is
LOADed from the ``duckdb-extension-spatial`` package's install path (``INSTALL spatial`` would need
the network). Every write runs in a transaction: a failed or interrupted load leaves the previous
state intact. Any table exports to GeoPackage (QGIS) or (Geo)Parquet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from accessmap.errors import MissingDataError, ValidationError
from accessmap.publish import settle as settle_publications

if TYPE_CHECKING:
    import duckdb
    import geopandas as gpd

__all__ = ["PROVENANCE_COLUMNS", "Store", "spatial_extension_path"]

PROVENANCE_COLUMNS: tuple[str, ...] = (
    "source", "location", "origin", "vintage", "sha256", "fetched_at",
)  # fmt: skip
_IDENT = re.compile(r"[a-z_][a-z0-9_]{0,62}")
GEOM_COLUMN = "geom"


def spatial_extension_path() -> Path:
    """Path of the DuckDB spatial extension shipped by the ``duckdb-extension-spatial`` package.

    Returns
    -------
    pathlib.Path
        ``.../duckdb_extension_spatial/extensions/v<duckdb version>/spatial.duckdb_extension``.

    Raises
    ------
    MissingDataError
        When the package or the extension for this DuckDB version is missing.
    """
    import duckdb

    try:
        import duckdb_extension_spatial
    except ImportError:
        raise MissingDataError(
            "store.spatial_not_installed",
            field="duckdb-extension-spatial",
            version=duckdb.__version__,
        ) from None
    root = Path(duckdb_extension_spatial.__file__).parent / "extensions"
    path = root / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
    if not path.is_file():
        found = sorted(p.name for p in root.glob("v*")) if root.is_dir() else []
        raise MissingDataError(
            "store.spatial_version",
            field="duckdb-extension-spatial",
            version=duckdb.__version__,
            found=found,
        )
    return path


def _open_error(target: Path | str, exc: Exception) -> MissingDataError:
    """One clear error for a store that cannot be opened: locked, corrupt, or unwritable."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    lowered = text.lower()
    name = Path(target).name
    for shown in {str(Path(target).resolve()), str(target)}:  # no path of the machine
        text = text.replace(shown, name)
    if "lock" in lowered:
        return MissingDataError("store.in_use", field="--store", name=name, detail=text)
    if "not a valid duckdb" in lowered or "corrupt" in lowered or "magic" in lowered:
        return MissingDataError("store.not_duckdb", field="--store", name=name, detail=text)
    return MissingDataError("store.cannot_open", field="--store", name=name, detail=text)


#: Row groups a DuckDB insert buffers before writing them to the file (DuckDB's default: 5).
#: One keeps a large insert's memory near one row group's: storing France's two million
#: travel-time pairs held about 45 MiB less, at the same CPU (``benchmarks/bench_scale.py``).
_WRITE_BUFFER_ROW_GROUPS = 1

#: The first bytes of a DuckDB file: a 8-byte checksum, then the magic ``DUCK``.
_MAGIC_OFFSET = 8
_MAGIC = b"DUCK"


def _check_format(target: Path) -> None:
    """Refuse, before DuckDB reads it, a file that is not a DuckDB database (SQLite, text...).

    DuckDB would otherwise try to load a reader for it (an extension download, offline).
    """
    try:
        with target.open("rb") as handle:
            head = handle.read(_MAGIC_OFFSET + len(_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _open_error(target, exc) from None
    if head and head[_MAGIC_OFFSET:] != _MAGIC:
        raise MissingDataError("store.not_duckdb", field="--store", name=target.name)


def _check_name(name: str) -> str:
    if not _IDENT.fullmatch(name):
        raise ValidationError("store.bad_table_name", field="table", name=name)
    return name


class Store:
    """The project's DuckDB file.

    Open it with :meth:`Store.open` (a context manager). Every write method runs inside a
    transaction (its own, or the one opened by :meth:`transaction`).

    Parameters
    ----------
    connection
        An open DuckDB connection with the spatial extension loaded.
    path
        The database file (``:memory:`` for an in-memory store).
    """

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path | str) -> None:
        self._con = connection
        self.path = path
        self._depth = 0
        self._spatial = False

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    @contextlib.contextmanager
    def open(
        cls, path: Path | str | None = None, *, read_only: bool = False, settle: bool = True
    ) -> Iterator[Store]:
        """Open (or create) the store, with the spatial extension loaded.

        A publication a killed run left unfinished is settled first
        (:func:`accessmap.publish.settle`): the store and its report folder agree before anything
        is read or written.

        Parameters
        ----------
        path
            The DuckDB file; default ``settings.store_path``. ``":memory:"`` for a throw-away store.
        read_only
            Open without write access (the file must exist).
        settle
            Settle interrupted publications first (``False`` only inside that settling).

        Yields
        ------
        Store
            The open store; closed on exit.
        """
        import duckdb

        from accessmap.settings import get_settings

        target: Path | str = get_settings().store_path if path is None else path
        if str(target) != ":memory:":
            target = Path(target)
            if read_only and not target.is_file():
                raise MissingDataError("store.missing", field="--store", name=target.name)
            target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(target, Path) and target.is_dir():
            raise ValidationError("store.is_folder", field="--store", name=target.name)
        if isinstance(target, Path):
            _check_format(target)
            if settle:
                settle_publications(target)
        threads = get_settings().store_threads
        try:
            config: dict[str, str | bool | int | float | list[str]] = {
                "threads": threads,
                "write_buffer_row_group_count": _WRITE_BUFFER_ROW_GROUPS,
            }
            con = duckdb.connect(str(target), read_only=read_only, config=config)
        except duckdb.Error as exc:
            raise _open_error(target, exc) from None
        try:
            spatial_extension_path()  # checked at the boundary, LOADed when first needed
            store = cls(con, target)
            if not read_only:
                store._ensure_schema()
            yield store
        finally:
            con.close()

    def _ensure_schema(self) -> None:
        self._con.execute(
            """
            CREATE TABLE IF NOT EXISTS provenance (
                source VARCHAR, location VARCHAR, origin VARCHAR, vintage VARCHAR,
                sha256 VARCHAR, fetched_at VARCHAR, recorded_at TIMESTAMP
            );
            CREATE TABLE IF NOT EXISTS traveltimes (
                key VARCHAR, origin_id VARCHAR, dest_id VARCHAR, minutes DOUBLE, method VARCHAR
            );
            CREATE TABLE IF NOT EXISTS traveltime_runs (
                key VARCHAR PRIMARY KEY, method VARCHAR, n_pairs BIGINT, created_at TIMESTAMP,
                label VARCHAR
            );
            """
        )

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The underlying DuckDB connection (for ad-hoc SQL, spatial functions included)."""
        self._load_spatial()
        return self._con

    def execute(self, query: str, parameters: Sequence[object] | None = None) -> None:
        """Run one SQL statement that needs no spatial function (inside the open transaction).

        Parameters
        ----------
        query
            The statement.
        parameters
            Its ``?`` parameters.
        """
        self._con.execute(query, parameters)

    def _load_spatial(self) -> None:
        """LOAD the spatial extension into the connection, once, when a spatial SQL needs it.

        Loading it costs about 0.3 s of CPU: a store opened to check it or to read the travel-time
        cache never pays it (DuckDB reads a ``GEOMETRY`` column without the extension).
        """
        if not self._spatial:
            self._con.execute(f"LOAD '{spatial_extension_path()}'")
            self._spatial = True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Group writes: all of them land, or none (rolled back on any exception).

        Yields
        ------
        Store
            This store.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._con.execute("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        else:
            self._con.execute("COMMIT")
        finally:
            self._depth = 0

    @contextlib.contextmanager
    def staged(self) -> Iterator[Callable[[], None]]:
        """Like :meth:`transaction`, but the caller decides when to commit.

        Used by :func:`accessmap.publish.publish`: results are written, the report folder is
        swapped into place, then the yielded ``commit`` is called; without it (an error, Ctrl-C)
        everything written is rolled back.

        Yields
        ------
        callable
            ``commit()``.
        """
        self._con.execute("BEGIN TRANSACTION")
        self._depth = 1
        done = {"committed": False}

        def commit() -> None:
            self._con.execute("COMMIT")
            done["committed"] = True

        try:
            yield commit
        finally:
            if not done["committed"]:
                self._con.execute("ROLLBACK")
            self._depth = 0

    # -- generic tables ----------------------------------------------------------------------

    def tables(self) -> list[str]:
        """Names of the tables in the store, sorted."""
        rows = self._con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        return sorted(r[0] for r in rows)

    def write_table(
        self, name: str, frame: pd.DataFrame, *, mode: Literal["replace", "append"] = "replace"
    ) -> None:
        """Write a (Geo)DataFrame as a table, atomically.

        A GeoDataFrame's geometry is reprojected to EPSG:4326 and stored as a spatial ``GEOMETRY``
        column named ``geom``.

        Parameters
        ----------
        name
            Table name (lower-case identifier).
        frame
            The data. A GeoDataFrame must have a CRS.
        mode
            ``replace`` the table, or ``append`` rows to it (same columns).

        Raises
        ------
        ValidationError
            Bad table name, GeoDataFrame without CRS, or bad mode.
        """
        _check_name(name)
        if mode not in {"replace", "append"}:
            raise ValidationError(
                "store.bad_mode", field="mode", mode=mode, choices=["replace", "append"]
            )
        data, geometry = self._to_duck(frame)
        if geometry:
            self._load_spatial()
        select = (
            "SELECT * EXCLUDE (__wkb), ST_GeomFromWKB(__wkb) AS geom" if geometry else "SELECT *"
        )
        view = f"__incoming_{name}"
        self._con.register(view, data)
        try:
            with self.transaction():
                exists = name in self.tables()
                if mode == "replace" or not exists:
                    self._con.execute(f"CREATE OR REPLACE TABLE {name} AS {select} FROM {view}")
                else:
                    self._con.execute(f"INSERT INTO {name} BY NAME {select} FROM {view}")
        finally:
            self._con.unregister(view)

    @staticmethod
    def _to_duck(frame: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
        import geopandas as gpd

        if isinstance(frame, gpd.GeoDataFrame):
            if frame.crs is None:
                raise ValidationError("store.no_crs", field="crs")
            geo = frame.to_crs("EPSG:4326")
            data = pd.DataFrame(geo.drop(columns=geo.geometry.name))
            data["__wkb"] = geo.geometry.to_wkb().to_numpy()
            return data, True
        return pd.DataFrame(frame), False

    def read_table(self, name: str) -> pd.DataFrame:
        """Read a table; a table with a ``geom`` column comes back as a GeoDataFrame (EPSG:4326).

        Parameters
        ----------
        name
            Table name.

        Returns
        -------
        pandas.DataFrame or geopandas.GeoDataFrame
            The table.

        Raises
        ------
        MissingDataError
            When the table does not exist.
        """
        _check_name(name)
        if name not in self.tables():
            raise MissingDataError(
                "store.no_table", field=name, table=name, store=Path(self.path).name
            )
        columns = [r[0] for r in self._con.execute(f"DESCRIBE {name}").fetchall()]
        if GEOM_COLUMN not in columns:
            return self._con.execute(f"SELECT * FROM {name}").df()
        import geopandas as gpd

        self._load_spatial()
        frame = self._con.execute(
            f"SELECT * EXCLUDE ({GEOM_COLUMN}), ST_AsWKB({GEOM_COLUMN}) AS __wkb FROM {name}"
        ).df()
        wkb = frame.pop("__wkb").map(lambda b: bytes(b) if b is not None else None)
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries.from_wkb(wkb), crs="EPSG:4326")

    # -- travel times -----------------------------------------------------------------------

    def write_traveltimes(self, od: pd.DataFrame, *, key: str, label: str = "") -> None:
        """Store a travel-time table under a cache key (replacing that key's rows).

        Parameters
        ----------
        od
            Long table ``origin_id, dest_id, minutes, method``.
        key
            Content hash of the inputs (see ``accessmap.network``).
        label
            Free text (territory, options).

        Raises
        ------
        ValidationError
            Missing columns or several methods in one table.
        """
        required = ["origin_id", "dest_id", "minutes", "method"]
        missing = [c for c in required if c not in od.columns]
        if missing:
            raise ValidationError(
                "store.traveltimes_columns", field="traveltimes", columns=missing, required=required
            )
        import pyarrow as pa

        methods = sorted(od["method"].astype(str).unique())
        # Arrow, not the DataFrame: pandas' string columns make DuckDB's insert of millions of
        # rows several times slower and about 1 GiB heavier (measured on all of France).
        data = pa.Table.from_pandas(
            od[required].astype({"origin_id": str, "dest_id": str, "method": str}),
            preserve_index=False,
        )
        self._con.register("__incoming_tt", data)
        try:
            with self.transaction():
                self._con.execute("DELETE FROM traveltimes WHERE key = ?", [key])
                self._con.execute("DELETE FROM traveltime_runs WHERE key = ?", [key])
                self._con.execute(
                    "INSERT INTO traveltimes SELECT ?, origin_id, dest_id, minutes, method "
                    "FROM __incoming_tt",
                    [key],
                )
                self._con.execute(
                    "INSERT INTO traveltime_runs VALUES (?, ?, ?, ?, ?)",
                    [key, ",".join(methods), len(od), _utcnow(), label],
                )
        finally:
            self._con.unregister("__incoming_tt")

    def read_traveltimes(self, key: str) -> pd.DataFrame | None:
        """Return the travel-time table stored under ``key``, or ``None``.

        Parameters
        ----------
        key
            Cache key.

        Returns
        -------
        pandas.DataFrame or None
            ``origin_id, dest_id, minutes, method``.
        """
        known = self._con.execute("SELECT 1 FROM traveltime_runs WHERE key = ?", [key]).fetchone()
        if known is None:
            return None
        import pyarrow.compute as pc

        # through Arrow, sorted by Arrow: DuckDB's ``df()`` builds the strings of every row as
        # Python objects first, and its ORDER BY keeps a sort buffer in its memory pool (France's
        # two million pairs: 909 MiB peak and 1.1 s, against about 450 MiB and 0.4 s)
        table = self._con.execute(
            "SELECT origin_id, dest_id, minutes, method FROM traveltimes WHERE key = ?", [key]
        ).to_arrow_table()
        order = pc.sort_indices(
            table, sort_keys=[("origin_id", "ascending"), ("dest_id", "ascending")]
        )
        return table.take(order).to_pandas()

    def record_provenance(self, records: Iterable[Any]) -> int:
        """Record where inputs came from (one row per distinct file read).

        Parameters
        ----------
        records
            :class:`accessmap.sources.SourceFile` objects, or mappings with the keys of
            :data:`PROVENANCE_COLUMNS`.

        Returns
        -------
        int
            Rows written.
        """
        rows: list[dict[str, Any]] = []
        for record in records:
            row: Mapping[str, Any] = record.as_record() if hasattr(record, "as_record") else record
            missing = [c for c in PROVENANCE_COLUMNS if c not in row]
            if missing:
                raise ValidationError(
                    "store.provenance_columns", field="provenance", columns=missing
                )
            rows.append({c: str(row[c]) for c in PROVENANCE_COLUMNS})
        if not rows:
            return 0
        frame = pd.DataFrame(rows).drop_duplicates(["source", "location", "sha256"])
        frame["recorded_at"] = _utcnow()
        self._con.register("__incoming_prov", frame)
        try:
            with self.transaction():
                self._con.execute(
                    "DELETE FROM provenance p USING __incoming_prov i "
                    "WHERE p.source = i.source AND p.location = i.location AND p.sha256 = i.sha256"
                )
                self._con.execute("INSERT INTO provenance BY NAME SELECT * FROM __incoming_prov")
        finally:
            self._con.unregister("__incoming_prov")
        return len(frame)

    def provenance(self) -> pd.DataFrame:
        """Return the provenance table, newest first."""
        return self._con.execute("SELECT * FROM provenance ORDER BY recorded_at DESC, source").df()

    # -- export ------------------------------------------------------------------------------

    def export(self, name: str, path: Path | str, *, layer: str | None = None) -> Path:
        """Export a table to GeoPackage (``.gpkg``, QGIS) or (Geo)Parquet (``.parquet``).

        The file is written next to its destination and renamed into place: a failed export
        leaves no partial file. A GeoPackage export adds or replaces one layer.

        Parameters
        ----------
        name
            Table name.
        path
            Destination file; its suffix chooses the format.
        layer
            GeoPackage layer name (default: the table name).

        Returns
        -------
        pathlib.Path
            The written file.
        """
        frame = self.read_table(name)
        return export_frame(frame, Path(path), layer=layer or name)


def export_frame(frame: pd.DataFrame, path: Path, *, layer: str) -> Path:
    """Write a (Geo)DataFrame to ``.gpkg`` (one layer) or ``.parquet``, atomically.

    Parameters
    ----------
    frame
        The data; GeoDataFrames keep their geometry (GeoParquet / GeoPackage).
    path
        Destination.
    layer
        GeoPackage layer name.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    ValidationError
        Unsupported suffix.
    """
    import shutil

    import geopandas as gpd

    suffix = path.suffix.lower()
    if suffix not in {".gpkg", ".parquet"}:
        raise ValidationError("store.export_suffix", field="path", name=path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".export-") as tmp:
        staged = Path(tmp) / path.name
        if suffix == ".gpkg" and path.exists():
            shutil.copy2(path, staged)
        if suffix == ".parquet":
            frame.to_parquet(staged, index=False)
        elif isinstance(frame, gpd.GeoDataFrame):
            frame.to_file(staged, layer=layer, driver="GPKG", engine="pyogrio")
        else:
            gpd.GeoDataFrame(frame, geometry=None).to_file(
                staged, layer=layer, driver="GPKG", engine="pyogrio"
            )
        staged.replace(path)
    return path


def _utcnow() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)


if TYPE_CHECKING:  # re-exported for type checkers only
    _GDF = gpd.GeoDataFrame
