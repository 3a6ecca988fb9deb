"""Generate the API reference and notebook pages of the docs site from the package itself.

Every public module of ``accessmap`` (no path component starting with ``_``) gets one page: its
docstring, then every name of its ``__all__`` (or, for a module without ``__all__``, every public
function and class defined in it). A name exported by several modules (a package re-exporting
its submodule's function) is documented once, where it is defined, and linked from the others.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import pkgutil
import re
import shutil
import typing
from pathlib import Path
from types import ModuleType

from sphinx.pycode import ModuleAnalyzer

import accessmap

__all__ = [
    "notebook_digest",
    "public_modules",
    "public_names",
    "write_api_pages",
    "write_notebook_pages",
]


def public_modules() -> list[str]:
    """Return the names of the public modules of the package, sorted.

    Returns
    -------
    list of str
        ``accessmap`` and every submodule whose dotted path has no part starting with ``_``.
    """
    found = [
        info.name
        for info in pkgutil.walk_packages(accessmap.__path__, "accessmap.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    return ["accessmap", *sorted(found)]


def public_names(module: ModuleType) -> list[str]:
    """Return the public names of a module: its ``__all__``, else what it defines.

    Parameters
    ----------
    module
        An imported module.

    Returns
    -------
    list of str
        In ``__all__`` order, or sorted for a module without ``__all__``.
    """
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return sorted(
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__ == module.__name__
    )


def _assigns(module: ModuleType, name: str) -> bool:
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return False
    return re.search(rf"^{re.escape(name)}\s*[:=]", source, flags=re.MULTILINE) is not None


def _owners(modules: dict[str, ModuleType]) -> dict[tuple[str, str], str]:
    """Map (module, name) to the module where that object is documented."""
    exporters: dict[tuple[int, str], list[str]] = {}
    for modname, module in modules.items():
        for name in public_names(module):
            exporters.setdefault((id(getattr(module, name)), name), []).append(modname)
    owners: dict[tuple[str, str], str] = {}
    for (_, name), where in exporters.items():
        obj = getattr(modules[where[0]], name)
        defined = getattr(obj, "__module__", None) if _is_api_object(obj) else None
        if defined in where:
            owner = defined
        else:
            assigned = [m for m in where if _assigns(modules[m], name)]
            owner = (assigned or sorted(where, key=lambda m: -m.count(".")))[0]
        for modname in where:
            owners[modname, name] = owner
    return owners


def _is_api_object(obj: object) -> bool:
    return inspect.isfunction(obj) or inspect.isclass(obj)


def _directive(obj: object) -> str:
    if inspect.isclass(obj):
        return "autoexception" if issubclass(obj, BaseException) else "autoclass"
    if inspect.isfunction(obj):
        return "autofunction"
    return "autodata"


def _data_block(modname: str, name: str, obj: object) -> list[str]:
    """Document a constant by its ``#:`` comment, else by what it is (never by its type's doc)."""
    documented = ModuleAnalyzer.for_module(modname).find_attr_docs()
    if typing.get_origin(obj) is not None:  # a type alias: autodoc cannot sign it
        doc = " ".join(documented.get(("", name), [])).strip()
        what = f"Type alias: ``{obj!r}``." + (f" {doc}" if doc else "")
        return [f".. py:data:: {name}", f"   :module: {modname}", "", f"   {what}", ""]
    if ("", name) in documented or type(obj).__module__ == "builtins":
        short = type(obj).__module__ == "builtins" and len(repr(obj)) <= 80
        return [f".. autodata:: {modname}.{name}", *([] if short else ["   :no-value:"]), ""]
    if typing.get_origin(obj) is not None:
        what = f"Type alias: ``{obj!r}``."
    else:
        kind = type(obj)
        what = f"An instance of ``{kind.__module__}.{kind.__qualname__}``."
    return [f".. py:data:: {name}", f"   :module: {modname}", "", f"   {what}", ""]


def _module_page(modname: str, module: ModuleType, owners: dict[tuple[str, str], str]) -> str:
    lines = [f"``{modname}``", "=" * (len(modname) + 4), "", f".. automodule:: {modname}", ""]
    elsewhere: list[str] = []
    for name in public_names(module):
        owner = owners[modname, name]
        if owner != modname:
            elsewhere.append(
                f"- :py:obj:`{name} <{owner}.{name}>` (documented in :py:mod:`{owner}`)"
            )
            continue
        obj = getattr(module, name)
        if _directive(obj) == "autodata":
            lines += _data_block(modname, name, obj)
            continue
        lines += [f".. {_directive(obj)}:: {modname}.{name}"]
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            lines += ["   :members:"]
        lines += [""]
    if elsewhere:
        lines += ["Also exported here", "-" * 18, "", *elsewhere, ""]
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    """Write only when the content changes, so that Sphinx rebuilds only what changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_api_pages(folder: Path) -> list[str]:
    """Write one reStructuredText page per public module, and an index, into ``folder``.

    Parameters
    ----------
    folder
        Where the pages go (``docs/_gen/api``); pages of vanished modules are removed.

    Returns
    -------
    list of str
        The documented module names.
    """
    names = public_modules()
    modules = {name: importlib.import_module(name) for name in names}
    owners = _owners(modules)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in set(folder.glob("accessmap*.rst")) - {folder / f"{n}.rst" for n in names}:
        stale.unlink()
    for modname, module in modules.items():
        _write(folder / f"{modname}.rst", _module_page(modname, module, owners))
    title = "API reference"
    index = [
        title,
        "=" * len(title),
        "",
        "Every public module of the package, generated from its ``__all__``. A name exported by",
        "several modules is documented where it is defined.",
        "",
        ".. toctree::",
        "   :maxdepth: 1",
        "",
        *(f"   {modname}" for modname in names),
        "",
    ]
    _write(folder / "index.rst", "\n".join(index))
    return names


def notebook_digest(path: Path) -> str:
    """Return the sha256 of a notebook file (the stripped source in ``notebooks/``).

    Parameters
    ----------
    path
        The notebook.

    Returns
    -------
    str
        Hex digest of the file's bytes.
    """
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_notebook_pages(folder: Path, *, notebooks: Path, executed: Path) -> list[Path]:
    """Copy each notebook into the site: its executed copy when up to date, else the stripped one.

    Parameters
    ----------
    folder
        Where the pages go (``docs/_gen/notebooks``).
    notebooks
        The stripped notebooks (``notebooks/``).
    executed
        Executed copies written by ``docs/execute_notebooks.py``, each recording the digest of
        the notebook it was run from (``metadata.accessmap_docs.source_sha256``).

    Returns
    -------
    list of pathlib.Path
        The notebooks shown with their outputs.
    """
    folder.mkdir(parents=True, exist_ok=True)
    shown: list[Path] = []
    for source in sorted(notebooks.glob("[0-9][0-9]-*.ipynb")):
        run = executed / source.name
        chosen = source
        if run.exists():
            meta = json.loads(run.read_text(encoding="utf-8")).get("metadata", {})
            if meta.get("accessmap_docs", {}).get("source_sha256") == notebook_digest(source):
                chosen = run
                shown.append(source)
        target = folder / source.name
        if not target.exists() or target.read_bytes() != chosen.read_bytes():
            shutil.copyfile(chosen, target)
    return shown
