"""The French message catalogue: every code used in ``src/`` has its French text, and it renders."""

from __future__ import annotations

import ast
import pickle
import re
import string
from pathlib import Path

import pytest

from accessmap.errors import AccessmapError, ValidationError
from accessmap.messages import CATALOGUE, AccessmapWarning, Message, format_param, render, warn

SRC = Path(__file__).resolve().parents[1] / "src" / "accessmap"

#: Callables whose first positional argument is a message code.
_CODE_CALLS = {
    "AccessmapError", "ValidationError", "MissingDataError", "OfflineError", "GraphError",
    "SolverError", "PdfError", "ChromiumMissingError", "Message", "warn", "text", "say",
    "render", "render_fix",
}  # fmt: skip
_ERROR_NAMES = {n for n in _CODE_CALLS if n.endswith("Error")}
#: File names look like codes (``options.csv``): these endings are never message codes.
_FILE_ENDINGS = {
    "csv", "toml", "json", "html", "gpkg", "txt", "md", "py", "pdf", "xlsx", "xls", "geojson",
    "osm", "pbf", "graphml", "duckdb", "png", "j2", "xml", "gz", "zip", "js", "css", "svg",
}  # fmt: skip
_CODE_SHAPE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _trees() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(SRC.rglob("*.py"))]


def _code_like_literals() -> dict[str, list[str]]:
    """Every string literal of ``src/`` shaped like a code of a catalogue area."""
    areas = {code.split(".")[0] for code in CATALOGUE}
    found: dict[str, list[str]] = {}
    for path, tree in _trees():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            value = node.value
            if not _CODE_SHAPE.fullmatch(value):
                continue
            area, _, rest = value.partition(".")
            if area in areas and rest not in _FILE_ENDINGS:
                found.setdefault(value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def _used_codes() -> dict[str, list[str]]:
    """Every literal code given to an error, a Message, a printer, or written in a table."""
    used = _code_like_literals()
    for path, tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _callee(node) not in _CODE_CALLS or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                where = f"{path.relative_to(SRC)}:{node.lineno}"
                used.setdefault(first.value, []).append(where)
    return used


def _non_literal_error_codes() -> list[str]:
    """Errors raised with a computed first argument (an f-string, a variable): not checkable."""
    found = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _callee(node) in _ERROR_NAMES and node.args:
                first = node.args[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_every_code_used_in_src_has_its_french_text():
    used = _used_codes()
    assert len(used) >= 50, "the scan found too few codes: has the call shape changed?"
    missing = {code: where for code, where in used.items() if code not in CATALOGUE}
    assert not missing, f"codes without a catalogue entry: {missing}"


def test_errors_are_raised_with_a_literal_code():
    assert _non_literal_error_codes() == []


def test_every_entry_is_french_and_well_formed():
    formatter = string.Formatter()
    for code, entry in CATALOGUE.items():
        assert code.count(".") >= 1, code
        assert code == code.strip(), code
        for text in (entry.text, entry.fix):
            if text is None:
                continue
            assert text.strip(), code
            list(formatter.parse(text))  # raises on a malformed placeholder
            assert not english_words(text), (code, text, english_words(text))


def test_catalogue_entries_are_used():
    unused = sorted(set(CATALOGUE) - set(_used_codes()))
    assert unused == [], f"catalogue entries no code uses (remove them): {unused}"


def test_rendering_formats_parameters_the_french_way():
    code = next(iter(CATALOGUE))
    assert render("no.such.code") == "no.such.code"
    assert format_param(1234567) == "1\u202f234\u202f567"
    assert format_param(2.5) == "2,5"
    assert format_param(True) == "oui"
    assert format_param(list(range(12))).endswith("(+2 autres)")
    assert isinstance(render(code, {}), str)


def test_error_carries_code_field_and_renders_one_french_line():
    code = next(c for c, e in CATALOGUE.items() if e.fix)
    err = ValidationError(code, field="population")
    assert isinstance(err, AccessmapError)
    assert err.code == code
    assert str(err).startswith("population : ")
    assert " Correctif : " in str(err)
    again = pickle.loads(pickle.dumps(err))  # noqa: S301 (our own bytes)
    assert (again.code, again.field, str(again)) == (err.code, err.field, str(err))


def test_message_is_a_value_and_a_warning():
    code = next(iter(CATALOGUE))
    assert Message(code, n=1) == Message(code, n=1)
    assert hash(Message(code, n=1)) == hash(Message(code, n=1))
    assert pickle.loads(pickle.dumps(Message(code, n=1))) == Message(code, n=1)  # noqa: S301
    with pytest.warns(AccessmapWarning) as caught:
        warn(code)
    assert str(caught[0].message) == render(code)


def test_muted_drops_its_codes_and_gives_the_others_once_outside():
    import warnings

    from accessmap.messages import muted

    dropped, kept = "sources.town_halls_moved", "territory.town_halls_moved"

    def noisy(*, fail: bool) -> None:
        with muted(dropped):
            warn(dropped, count=1, km=2, codes=["19001"])
            warn(kept, count=1, km=2, codes=["19001"])
            warnings.warn("plain", UserWarning, stacklevel=1)
            if fail:
                raise ValueError("boom")

    for fail in (False, True):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                noisy(fail=fail)
            except ValueError:
                assert fail  # an error inside loses none of the other warnings
        codes = [getattr(w.message, "note", None) and w.message.note.code for w in caught]
        assert codes == [kept, None]


def test_notes_about_overlapping_lists_are_merged_into_one():
    from accessmap.messages import merged_notes

    def far(points: list[str], distance: int = 2000) -> Message:
        return Message(
            "network.far_points", count=len(points), distance_m=distance, points=points,
            speed_kmh=15,
        )  # fmt: skip

    other = Message("core.example", count=1)
    notes = [far(["23005", "23058"]), other, far(["23058", "bpe-16061"]), far(["x"], 500), other]
    assert merged_notes(notes) == [
        far(["23005", "23058", "bpe-16061"]),  # one line, count 3, first-seen order
        other,  # kept once
        far(["x"], 500),  # another distance: another fact
    ]
    assert "3 point(s)" in str(merged_notes(notes)[0])


# --- the English detector used by the tests of every reader-facing output -----------------------

#: English words that are not French words (lower case). "note", "options", "message", "image",
#: "type", "minutes", "site", "commune", "territoire"... are French too and are not listed.
_WORDS = """the is are was were not and with without must should cannot can could would found
    missing
    unknown error warning fix give given more than please invalid expected which this that these
    those has have been there their from into only every each other when where while use used
    using files folder run runs command read written write none true false yes no
    default show exit help usage try again nothing because empty larger smaller least most"""
ENGLISH = frozenset(_WORDS.split())


def english_words(text: str) -> list[str]:
    """English words of ``text`` (identifiers, paths, options, codes, « quoted » values aside)."""
    words = []
    for token in re.sub(r"«[^»]*»", " ", text).split():
        if any(ch in token for ch in "/\\_=<>@{}") or token.startswith("-"):
            continue  # an identifier, a path, an option or a placeholder
        word = token.strip(".,;:!?()[]«»\"'`*").lower()
        if word in ENGLISH:
            words.append(word)
    return words


def test_detector_finds_english_and_spares_french_and_identifiers():
    assert english_words("the territory is empty") == ["the", "is", "empty"]
    assert english_words("Le territoire est vide. Correctif : donnez --territory 19031.") == []
    assert english_words("erreur communes/communes-19.geojson : fichier absent") == []
