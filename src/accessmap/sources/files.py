"""Files a user hands over (codes, rosters, scenario and options files), read as people make them.

French spreadsheets write semicolon-separated files with decimal commas, often in Windows-1252,
sometimes with a UTF-8 byte-order mark and CRLF line ends. What can be read unambiguously is
read (BOM, CRLF, ``;`` or ``,`` separators, latin-1 with a note); the rest is refused naming the
file, the line when there is one, and the fix.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from accessmap.errors import MissingDataError, ValidationError
from accessmap.messages import Message, warn

__all__ = ["parse_error_place", "read_codes_file", "read_csv_file", "read_text", "write_csv"]

_CODE_COLUMNS = {"code", "insee", "codgeo", "code_insee", "depcom", "commune_code"}
_SEPARATOR_NAMES: dict[str, object] = {
    ";": "« ; »",
    ",": "« , »",
    "\t": Message("sources.separator_tab"),
}


_AT_LINE = re.compile(r"\bline (\d+)(?:,? column (\d+))?", re.IGNORECASE)


def parse_error_place(exc: BaseException) -> Message:
    """Say where a file could not be parsed: line and column when the parser tells them.

    Parameters
    ----------
    exc
        A parser's exception: :class:`json.JSONDecodeError` (``lineno``, ``colno``),
        :class:`xml.etree.ElementTree.ParseError` (``position``), or any exception whose text
        names ``line N, column M`` (TOML, CSV readers).

    Returns
    -------
    Message
        ``ligne 3, colonne 7``, ``ligne 3``, or the parser's own words when it names no place.
    """
    lineno, colno = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    position = getattr(exc, "position", None)
    if isinstance(position, tuple) and len(position) == 2:
        lineno, colno = position
    if lineno is None and (match := _AT_LINE.search(str(exc))):
        lineno = int(match.group(1))
        colno = int(match.group(2)) if match.group(2) else None
    if isinstance(lineno, int) and isinstance(colno, int):
        return Message("sources.at_line_column", line=lineno, column=colno)
    if isinstance(lineno, int):
        return Message("sources.at_line", line=lineno)
    return Message("sources.parser_said", detail=str(exc) or type(exc).__name__)


def _existing(path: Path | str, what: str) -> Path:
    file = Path(path)
    if file.is_dir():
        raise ValidationError("sources.path_is_folder", field=what, name=file.name)
    if not file.is_file():
        raise MissingDataError("sources.file_missing", field=what, name=file.name)
    return file


def read_text(path: Path | str, *, what: str) -> str:
    r"""Read a user's text file: UTF-8 (with or without BOM), else Windows-1252 with a note.

    Parameters
    ----------
    path
        The file.
    what
        What it is, for messages (``--scenario``, ``--roster``...).

    Returns
    -------
    str
        Its text, line ends normalised to ``\\n``.

    Raises
    ------
    MissingDataError
        The file does not exist.
    ValidationError
        The path is a folder, the file cannot be read, or it is binary.
    """
    file = _existing(path, what)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ValidationError(
            "sources.file_unreadable", field=what, name=file.name, detail=exc.strerror
        ) from None
    if b"\x00" in raw[:4096]:
        raise ValidationError("sources.not_text", field=what, name=file.name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        warn("sources.read_as_cp1252", name=file.name, stacklevel=2)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_codes_file(path: Path | str) -> list[str]:
    """INSEE codes from a file: one per line (``#`` comments) or a CSV with a code column.

    Parameters
    ----------
    path
        A ``.txt`` (codes separated by new lines, spaces, commas or semicolons) or ``.csv`` file
        (a column ``code``, ``insee``, ``codgeo``, ``code_insee`` or ``depcom``).

    Returns
    -------
    list of str
        The codes as written (cleaning is :func:`accessmap.territory.clean_codes`).

    Raises
    ------
    MissingDataError
        The file does not exist.
    ValidationError
        A CSV without a code column.
    """
    file = Path(path)
    if file.suffix.lower() == ".csv":
        frame = read_csv_file(file, what="--codes-file")
        column = next((c for c in frame.columns if c.strip().lower() in _CODE_COLUMNS), None)
        if column is None:
            raise ValidationError(
                "sources.no_code_column",
                field=file.name,
                columns=list(frame.columns),
                accepted=sorted(_CODE_COLUMNS),
            )
        return [c for c in frame[column].astype(str).str.strip() if c and c != "nan"]
    text = read_text(file, what="--codes-file")
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    return [t for line in lines for t in re.split(r"[\s,;]+", line) if t]


def _separator(text: str, name: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda s: counts[s])
    if counts[best] == 0:
        return ","
    tied = [s for s, n in counts.items() if n == counts[best]]
    if len(tied) > 1:
        raise ValidationError("sources.ambiguous_separator", field=name)
    return best


def read_csv_file(path: Path | str, *, what: str) -> pd.DataFrame:
    """Read a user's CSV as text columns: ``,`` or ``;`` (French Excel) or tab, BOM, CRLF.

    Parameters
    ----------
    path
        The file.
    what
        What it is, for messages.

    Returns
    -------
    pandas.DataFrame
        Every column as ``str`` (empty cells are ``""``), header names stripped. With ``;`` the
        decimal separator is the comma: numbers are converted by the caller with
        :func:`accessmap.contracts.parse_number`.

    Raises
    ------
    MissingDataError
        The file does not exist.
    ValidationError
        Ambiguous separator, or a line with a different number of fields (named by its number).
    """
    file = _existing(path, what)
    text = read_text(file, what=what)
    sep = _separator(text, file.name)
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ValidationError("sources.empty_file", field=what, name=file.name)
    header = [h.strip() for h in rows[0]]
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValidationError(
                "sources.ragged_line",
                field=file.name,
                line=number,
                fields=len(row),
                header=len(header),
                separator=_SEPARATOR_NAMES[sep],
            )
    frame = pd.DataFrame([[c.strip() for c in r] for r in rows[1:]], columns=header, dtype=str)
    frame.attrs["separator"] = sep
    return frame


def write_csv(frame: pd.DataFrame, path: Path, *, french: bool = False) -> Path:
    """Write a table as CSV atomically (temporary file, then rename).

    Parameters
    ----------
    frame
        The table.
    path
        Target file; its folder is created.
    french
        For French spreadsheets: ``;`` separator, decimal comma, UTF-8 with BOM. Otherwise the
        machine format: ``,``, decimal point, UTF-8.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValidationError
        The target is a folder.
    """
    from accessmap.sources._http import atomic_write_bytes

    target = Path(path)
    if target.is_dir():
        raise ValidationError("sources.out_is_folder", field="--out", name=target.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    if french:
        data = frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    else:
        data = frame.to_csv(index=False).encode("utf-8")
    atomic_write_bytes(target, data)
    return target
