"""Where each official input comes from: a mirror directory, the project's cache, or the service.

Resolution order, for every dataset (see :func:`resolve`):

1. the mirror directory (``--mirror DIR`` / ``ACCESSMAP_MIRROR``), laid out like ``../shared/data``;
2. the project's raw-data cache (``data/raw``, filled by ``accessmap fetch`` and by downloads);
3. the official online service, when downloads are allowed (``--online``), through the cached
   downloader of :mod:`accessmap.sources._http`.

Every resolved file yields a :class:`SourceFile` record (location, vintage, sha256, time), which the
store keeps in its ``provenance`` table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from accessmap.errors import MissingDataError, OfflineError, ValidationError
from accessmap.messages import Message
from accessmap.settings import get_settings
from accessmap.sources._http import http_get

__all__ = [
    "DATASETS",
    "Dataset",
    "SourceFile",
    "mirror_dir",
    "resolve",
    "sha256_of",
    "shown_path",
]


@dataclass(frozen=True, slots=True)
class Dataset:
    """An official input and where it lives.

    Attributes
    ----------
    key
        Short name (``communes``, ``drees_apl``, ``bpe_gp``, ``gp_sites_creuse``).
    relpath
        Path inside a mirror (and the cache), may contain ``{dep}``.
    url
        The official service or download URL (``None`` when it cannot be fetched automatically).
    params
        Query parameters of the official request, may contain ``{dep}``.
    vintage
        The vintage of the published data.
    title
        What it is, for reports.
    licence
        Licence of the data.
    """

    key: str
    relpath: str
    url: str | None
    params: tuple[tuple[str, str], ...]
    vintage: str
    title: str
    licence: str = "Licence Ouverte / Etalab 2.0"


DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in (
        Dataset(
            key="communes",
            relpath="communes/communes-{dep}.geojson",
            url="{api}/departements/{dep}/communes",
            params=(
                (
                    "fields",
                    "nom,code,codeDepartement,codeEpci,epci,population,surface,mairie,contour",
                ),
                ("format", "geojson"),
                ("geometry", "contour"),
            ),
            vintage=str(Message("sources.vintage_communes", cog_year=2026, year=2026)),
            title="Communes: polygons, town halls, legal population (geo.api.gouv.fr)",
        ),
        Dataset(
            key="drees_apl",
            relpath="drees/apl_generalistes.xlsx",
            url=None,
            params=(),
            vintage="APL 2022, 2023",
            title="DREES, APL aux médecins généralistes (data.drees.solidarites-sante.gouv.fr)",
        ),
        Dataset(
            key="bpe_gp",
            relpath="bpe/bpe_d201_generalistes.csv",
            url=None,
            params=(),
            vintage=str(Message("sources.vintage_bpe_about", year=2017)),
            title="INSEE BPE, general practitioners per commune (code D201)",
        ),
        Dataset(
            key="bpe_sante",
            relpath="bpe/bpe19_ensemble_sante.csv",
            url=None,
            params=(),
            vintage="BPE 2019",
            title="INSEE BPE 2019, health professionals per commune (codes D*)",
        ),
        Dataset(
            key="zrr",
            relpath="zrr/diffusion-zonages-zrr-cog2021.xls",
            url=None,
            params=(),
            vintage="ZRR 2017-2022 (COG 2017)",
            title="ANCT, communes classées en zone de revitalisation rurale (ZRR)",
        ),
        Dataset(
            key="pnr",
            relpath="pnr/pnr-france.geojson",
            url=None,
            params=(),
            vintage="PNR FR8000001-FR8000057 (MNHN/INPN layer)",
            title="Parcs naturels régionaux: polygons (MNHN/INPN protected-area layer)",
        ),
        Dataset(
            key="gp_sites_creuse",
            relpath="annuaire/gp_sites_creuse.csv",
            url=None,
            params=(),
            vintage="Annuaire santé 2025-2026",
            title="Annuaire santé (RPPS): GP practice sites in Creuse, geocoded (BAN)",
        ),
    )
}

_MANUAL_HINT = {
    "drees_apl": Message("sources.hint_drees_apl"),
    "bpe_gp": Message("sources.hint_bpe_gp"),
    "bpe_sante": Message("sources.hint_bpe_sante"),
    "zrr": Message("sources.hint_zrr"),
    "gp_sites_creuse": Message("sources.hint_gp_sites_creuse"),
    "pnr": Message("sources.hint_pnr"),
}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A resolved input file and its provenance.

    Attributes
    ----------
    dataset
        The dataset key.
    path
        The local file that was read.
    location
        The mirror path, cache path or URL it came from.
    origin
        ``mirror``, ``cache`` or ``online``.
    vintage
        The data's vintage.
    sha256
        Hash of the file's bytes.
    fetched_at
        When it was resolved (UTC, ISO 8601).
    """

    dataset: str
    path: Path
    location: str
    origin: str
    vintage: str
    sha256: str
    fetched_at: str

    def as_record(self) -> dict[str, str]:
        """Return the row of the store's ``provenance`` table."""
        return {
            "source": self.dataset,
            "location": self.location,
            "origin": self.origin,
            "vintage": self.vintage,
            "sha256": self.sha256,
            "fetched_at": self.fetched_at,
        }


def sha256_of(path: Path) -> str:
    """Hash a file's bytes.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str
        Hexadecimal sha256.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def mirror_dir() -> Path | None:
    """Return the configured mirror directory, checked to exist.

    Returns
    -------
    pathlib.Path or None
        ``None`` when no mirror is configured.

    Raises
    ------
    MissingDataError
        When a mirror is configured but is not a directory.
    """
    mirror = get_settings().mirror
    if mirror is None:
        return None
    if not mirror.is_dir():
        raise MissingDataError("sources.mirror_missing", field="--mirror", name=mirror.name)
    return mirror


def shown_path(path: Path | str) -> str:
    """Return a file's path as a reader may see it: relative to the mirror or cache, else its name.

    Messages never show an absolute path of the machine that ran the command.

    Parameters
    ----------
    path
        A file read by accessmap.

    Returns
    -------
    str
        ``communes/communes-19.geojson`` for a mirror or cache file, the file name otherwise.
    """
    file = Path(path)
    settings = get_settings()
    for root in (settings.mirror, settings.cache_dir):
        if root is None:
            continue
        try:
            return file.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            continue
    return file.name


def _now() -> str:
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0).isoformat()


def _record(dataset: Dataset, path: Path, location: str, origin: str) -> SourceFile:
    return SourceFile(
        dataset=dataset.key,
        path=path,
        location=location,
        origin=origin,
        vintage=dataset.vintage,
        sha256=sha256_of(path),
        fetched_at=_now(),
    )


def resolve(key: str, *, dep: str | None = None, store_in_cache: bool = False) -> SourceFile:
    """Find a dataset's file: mirror, then cache, then the official service.

    Parameters
    ----------
    key
        A key of :data:`DATASETS`.
    dep
        Department code, for per-department datasets (communes).
    store_in_cache
        Also copy a mirror file into the project's cache (what ``accessmap fetch`` does).

    Returns
    -------
    SourceFile
        The local file and its provenance.

    Raises
    ------
    ValidationError
        Unknown dataset key, or a per-department dataset without ``dep``.
    OfflineError
        Not in the mirror nor the cache, and downloads are off or impossible for this dataset.
    """
    if key not in DATASETS:
        raise ValidationError(
            "sources.unknown_dataset", field="dataset", key=key, choices=list(DATASETS)
        )
    dataset = DATASETS[key]
    if "{dep}" in dataset.relpath and not dep:
        raise ValidationError("sources.dataset_per_department", field="dep", key=key)
    relpath = dataset.relpath.format(dep=dep)
    settings = get_settings()
    cache_file = settings.cache_dir / relpath
    mirror = mirror_dir()
    if mirror is not None and (mirror / relpath).is_file():
        path = mirror / relpath
        if store_in_cache and path.resolve() != cache_file.resolve():
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, cache_file)
        return _record(dataset, path, str(path), "mirror")
    if cache_file.is_file():
        return _record(dataset, cache_file, str(cache_file), "cache")
    if dataset.url is None:
        raise OfflineError(
            "sources.not_found_manual",
            field=relpath,
            relpath=relpath,
            hint=_MANUAL_HINT.get(key, Message("sources.hint_place_file", relpath=relpath)),
        )
    url = dataset.url.format(api=settings.communes_api.rstrip("/"), dep=dep)
    params = {k: v.format(dep=dep) for k, v in dataset.params}
    what = f"{key} {relpath}"
    try:
        downloaded = http_get(url, params, suffix=Path(relpath).suffix, what=what)
    except OfflineError:
        raise OfflineError("sources.offline", field=relpath, what=relpath) from None
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(downloaded, cache_file)
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return _record(dataset, cache_file, f"{url}?{query}", "online")
