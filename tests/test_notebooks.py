"""Every notebook runs top to bottom from a fresh kernel (against the mirror), stored stripped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def test_notebooks_exist_and_are_stripped():
    names = [p.stem for p in NOTEBOOKS]
    assert names == [
        "01-territoire", "02-temps-d-acces", "03-apl", "04-departs-en-retraite",
        "05-implantation-msp", "06-centres-solidaires", "07-synthese", "08-france",
    ]  # fmt: skip
    for path in NOTEBOOKS:
        book = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in book["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path
        assert "parameters" in code[0].get("metadata", {}).get("tags", []), path


@pytest.mark.notebook
@pytest.mark.mirror
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("ACCESSMAP_MIRROR", str(mirror))
    monkeypatch.setenv("ACCESSMAP_CACHE_DIR", str(tmp_path.parent / "notebook-cache"))
    monkeypatch.setenv("ACCESSMAP_STORE", str(tmp_path / "store.duckdb"))
    monkeypatch.setenv("ACCESSMAP_NB_RUNS", "100")
    book = nbformat.read(path, as_version=4)
    client = NotebookClient(
        book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    errors = [
        out
        for cell in book.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert errors == []
    assert not list(path.parent.glob("data"))  # nothing written beside the notebooks
