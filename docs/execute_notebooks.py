"""Execute the notebooks for the docs site (``make docs-notebooks``), with a cache.

Each notebook of ``notebooks/`` runs from a fresh kernel against the data mirror, in a temporary
store and cache (as ``tests/test_notebooks.py`` runs them), and the executed copy is written to
``docs/_build/executed/`` with the digest of its source and of the package's code. A notebook
whose copy carries the same digests is not run again. Nothing is written beside the notebooks.

Usage: ``python docs/execute_notebooks.py [--mirror DIR] [--runs N] [NAME ...]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS))

from apigen import notebook_digest  # noqa: E402

OUT = DOCS / "_build" / "executed"


def code_digest() -> str:
    """Return the sha256 of every Python file of the package (what the outputs depend on).

    Returns
    -------
    str
        Hex digest over the sorted paths and contents.
    """
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "accessmap").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def is_fresh(source: Path, target: Path, code: str) -> bool:
    """Tell whether ``target`` was executed from this notebook and this code.

    Parameters
    ----------
    source
        The stripped notebook.
    target
        Its executed copy.
    code
        :func:`code_digest` now.

    Returns
    -------
    bool
    """
    if not target.exists():
        return False
    book = nbformat.read(target, as_version=4)  # type: ignore[no-untyped-call]
    meta = book.metadata.get("accessmap_docs", {})
    return bool(meta.get("source_sha256") == notebook_digest(source) and meta.get("code") == code)


def execute(source: Path, target: Path, *, mirror: Path, runs: int, code: str) -> float:
    """Run one notebook from a fresh kernel and write the executed copy.

    Parameters
    ----------
    source
        The stripped notebook.
    target
        Where the executed copy goes.
    mirror
        The data mirror.
    runs
        Monte Carlo runs (``ACCESSMAP_NB_RUNS``).
    code
        :func:`code_digest`, recorded in the copy.

    Returns
    -------
    float
        Seconds taken.

    Raises
    ------
    RuntimeError
        A cell raised an error.
    """
    book = nbformat.read(source, as_version=4)  # type: ignore[no-untyped-call]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="accessmap-docs-") as tmp:
        saved = dict(os.environ)
        os.environ.update(
            ACCESSMAP_MIRROR=str(mirror.resolve()),
            ACCESSMAP_CACHE_DIR=str(Path(tmp) / "cache"),
            ACCESSMAP_STORE=str(Path(tmp) / "store.duckdb"),
            ACCESSMAP_NB_RUNS=str(runs),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), saved.get("PYTHONPATH")])),
        )
        try:
            client = NotebookClient(
                book,
                timeout=1200,
                kernel_name="python3",
                resources={"metadata": {"path": str(source.parent)}},
            )
            client.execute()
        finally:
            os.environ.clear()
            os.environ.update(saved)
    errors = [
        out
        for cell in book.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    if errors:
        raise RuntimeError(f"{source.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}")
    book.metadata["accessmap_docs"] = {"source_sha256": notebook_digest(source), "code": code}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    nbformat.write(book, partial)  # type: ignore[no-untyped-call]
    partial.replace(target)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Execute the notebooks that are not up to date.

    Parameters
    ----------
    argv
        Command-line arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 when the mirror is missing.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook stems (default: all)")
    parser.add_argument("--mirror", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=100, help="Monte Carlo runs (default 100)")
    args = parser.parse_args(argv)
    if not args.mirror.is_dir():
        print(f"no data mirror at {args.mirror}: give --mirror DIR", file=sys.stderr)
        return 1
    code = code_digest()
    sources = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    for source in sources:
        if args.names and source.stem not in args.names:
            continue
        target = OUT / source.name
        if is_fresh(source, target, code):
            print(f"{source.stem}: up to date")
            continue
        seconds = execute(source, target, mirror=args.mirror, runs=args.runs, code=code)
        print(f"{source.stem}: executed in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
