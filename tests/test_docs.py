"""Docs that run: every Python block of README.md and docs/*.md is executed, or says why not.

The blocks of one page run in order in one namespace (a later block may use what an earlier one
defined, as a reader would), from a temporary working directory, with the data mirror, a
temporary cache and a temporary store. A block that cannot run here is preceded by
``<!-- not-run: the reason -->``. Running a page must leave the repository unchanged.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from accessmap import settings

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?P<lang>[\w+-]*)\s*$")
NOT_RUN = re.compile(r"^<!--\s*not-run:\s*(?P<reason>.*?)\s*-->$")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    code: str
    not_run: str | None  # the reason, when marked


def python_blocks(page: Path) -> list[Block]:
    """The fenced ``python`` blocks of a Markdown page, with their not-run reason if marked."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    inside: tuple[int, str] | None = None
    body: list[str] = []
    for number, line in enumerate(lines, start=1):
        fence = FENCE.match(line)
        if inside is None and fence:
            inside, body = (number, fence["lang"]), []
        elif inside is not None and line.strip() == "```":
            start, lang = inside
            if lang in {"python", "py"}:
                before = [x.strip() for x in lines[: start - 1] if x.strip()]
                marker = NOT_RUN.match(before[-1]) if before else None
                reason = marker["reason"] if marker else None
                blocks.append(Block(page, start, "\n".join(body) + "\n", reason))
            inside = None
        elif inside is not None:
            body.append(line)
    return blocks


def _repo_state() -> str:
    done = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout if done.returncode == 0 else ""


RUNNABLE = [page for page in PAGES if any(b.not_run is None for b in python_blocks(page))]


def test_blocks_are_found_and_marked_with_a_reason(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text(
        "# T\n\n```python\nx = 1\n```\n\n<!-- not-run: needs the network -->\n\n```py\ny\n```\n"
        "\n```bash\nls\n```\n\n<!-- not-run:  -->\n```python\nz\n```\n",
        encoding="utf-8",
    )
    blocks = python_blocks(page)
    assert [(b.line, b.code, b.not_run) for b in blocks] == [
        (3, "x = 1\n", None),
        (9, "y\n", "needs the network"),
        (18, "z\n", ""),
    ]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_not_run_blocks_give_a_reason(page: Path):
    for block in python_blocks(page):
        assert block.not_run is None or len(block.not_run) >= 10, (
            f"{page.name}:{block.line}: say why the block cannot run"
        )


def test_the_documented_pages_have_runnable_blocks():
    # Guards the parser: the methods pages hold examples that run.
    names = {page.name for page in RUNNABLE}
    assert {"roster_template.md", "siting.md", "workforce.md", "network.md"} <= names


@pytest.mark.slow
@pytest.mark.mirror
@pytest.mark.parametrize("page", RUNNABLE, ids=[p.name for p in RUNNABLE])
def test_page_blocks_run(
    page: Path, mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("ACCESSMAP_MIRROR", str(mirror))
    monkeypatch.setenv("ACCESSMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ACCESSMAP_STORE", str(tmp_path / "store.duckdb"))
    before = _repo_state()
    namespace: dict[str, object] = {"__name__": "__docs__"}
    with settings.override(mirror=mirror):
        for block in python_blocks(page):
            if block.not_run is not None:
                continue
            code = compile(block.code, f"{page.name}:{block.line}", "exec")
            exec(code, namespace)  # noqa: S102  (the documentation's own examples)
    assert _repo_state() == before, "a documented example wrote into the repository"


def test_api_pages_document_every_public_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import importlib

    monkeypatch.syspath_prepend(str(REPO / "docs"))
    apigen = importlib.import_module("apigen")
    modules = apigen.write_api_pages(tmp_path)
    assert "accessmap" in modules
    assert "accessmap.indicators" in modules
    assert not any(part.startswith("_") for m in modules for part in m.split("."))
    index = (tmp_path / "index.rst").read_text(encoding="utf-8")
    for modname in modules:
        assert f"   {modname}\n" in index
        page = (tmp_path / f"{modname}.rst").read_text(encoding="utf-8")
        assert f".. automodule:: {modname}\n" in page
        for name in apigen.public_names(importlib.import_module(modname)):
            documented = re.search(
                rf"^\.\. (auto\w+|py:data):: ({re.escape(modname)}\.)?{name}$", page, re.M
            )
            linked = f":py:obj:`{name} <" in page
            assert documented or linked, f"{modname}.{name} is neither documented nor linked"
    assert ".. autofunction:: accessmap.version_info" in (tmp_path / "accessmap.rst").read_text(
        encoding="utf-8"
    )
