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
        "05-implantation-msp", "06-centres-solidaires", "07-synthese", "08-france", "09-simulateur",
    ]  # fmt: skip
    for path in NOTEBOOKS:
        book = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in book["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path
        assert "parameters" in code[0].get("metadata", {}).get("tags", []), path
        params = "".join(code[0]["source"])
        assert "ACCESSMAP_NB_ROSTER_SCOPE" in params, path
        assert path.stem == "08-france" or "ACCESSMAP_NB_ROADS" in params, path  # 08: crow-fly
        assert "version_info()" in "".join(code[1]["source"]), path


def _run(path: Path, mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Execute a notebook; return its printed text (stdout and stderr), after checking it."""
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
    outputs = [out for cell in book.cells if cell.cell_type == "code" for out in cell.outputs]
    assert [out for out in outputs if out.get("output_type") == "error"] == []
    assert not list(path.parent.glob("data"))  # nothing written beside the notebooks
    printed = "".join(out.get("text", "") for out in outputs if out.get("output_type") == "stream")
    # warnings and notes name files, never a folder of the machine that ran the notebook
    for machine in (mirror.resolve(), tmp_path.parent, Path(__file__).resolve().parents[1]):
        assert str(machine) not in printed
    assert "AccessmapWarning" not in printed  # shown as "⚠ text" (plots.plain_warnings)
    assert f"accessmap {__import__('accessmap').__version__}" in printed  # the version, first
    return printed


@pytest.mark.notebook
@pytest.mark.mirror
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _run(path, mirror, tmp_path, monkeypatch)


@pytest.mark.notebook
@pytest.mark.mirror
def test_notebook_takes_a_roster_and_a_road_file(
    mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from accessmap.messages import Message
    from accessmap.sources.roster import roster_template_path

    roads = next((mirror / "roads").glob("*.osm"))
    monkeypatch.setenv("ACCESSMAP_NB_ROSTER", str(roster_template_path()))
    monkeypatch.setenv("ACCESSMAP_NB_ROSTER_SCOPE", "everywhere")
    monkeypatch.setenv("ACCESSMAP_NB_ROADS", str(roads))
    printed = _run(NOTEBOOKS[1], mirror, tmp_path, monkeypatch)
    scope = str(Message("inputs.roster_scope_everywhere", user_sites=0, official_sites=0))
    assert scope.split(")", 1)[1][:40] in printed  # the note: the user's roster everywhere
    assert roads.name in printed  # "Temps de trajet : ... du fichier <name>"
