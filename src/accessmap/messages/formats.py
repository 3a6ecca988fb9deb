"""French number and date formats: the one place numbers become text for a reader.

Used by the message catalogue (:mod:`accessmap.messages`) to render parameters and by the
presentation layer (:mod:`accessmap.labels`, the report, the CLI). Pure functions, no heavy import.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

__all__ = [
    "EMPTY",
    "MONTHS",
    "NNBSP",
    "fmt_date",
    "fmt_float",
    "fmt_int",
    "fmt_minutes",
    "fmt_percent",
    "is_missing",
]

#: Narrow no-break space: the French thousands separator (and the space before ``%``).
NNBSP = "\u202f"
#: French month names (January first).
MONTHS: tuple[str, ...] = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
EMPTY = "—"
#: The texts ``float()`` reads as NaN (spaces around and case aside).
_NAN_TEXT = frozenset({"nan", "+nan", "-nan"})

# --- numbers and dates -------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    """Whether ``value`` is ``None`` or NaN (text is never missing).

    Parameters
    ----------
    value
        Anything.

    Returns
    -------
    bool
    """
    if value is None:
        return True
    if isinstance(value, str):  # what float() reads as NaN, without raising for every text
        return value.strip().lower() in _NAN_TEXT
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


def fmt_float(value: Any, digits: int = 1) -> str:
    """Format a number with ``digits`` decimals, French style (``4,6``; ``38 474,0``).

    Parameters
    ----------
    value
        A number; ``None``/NaN give ``—`` and infinity gives ``∞``.
    digits
        Decimals.

    Returns
    -------
    str
        Decimal comma, narrow no-break space between thousands, ``-`` as the minus sign.
    """
    if is_missing(value):
        return EMPTY
    number = float(value)
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if round(number, digits) == 0:
        number = 0.0  # no "-0"
    return f"{number:,.{digits}f}".replace(",", NNBSP).replace(".", ",")


def fmt_int(value: Any) -> str:
    """Format a count French style: ``38474 -> "38 474"`` (narrow no-break space).

    Parameters
    ----------
    value
        A number (rounded to the nearest integer); ``None``/NaN give ``—``.

    Returns
    -------
    str
        The formatted integer.
    """
    return fmt_float(value, 0)


def fmt_percent(share: Any, digits: int = 0) -> str:
    """Format a share (0-1) as a French percentage: ``0.125 -> "12 %"``.

    Parameters
    ----------
    share
        The share (``1.0`` is 100 %).
    digits
        Decimals of the percentage.

    Returns
    -------
    str
        Number, narrow no-break space, ``%``.
    """
    if is_missing(share):
        return EMPTY
    return f"{fmt_float(float(share) * 100.0, digits)}{NNBSP}%"


def fmt_minutes(value: Any) -> str:
    """Format minutes with one decimal: ``12.34 -> "12,3"``, ``12.0 -> "12,0"``.

    Parameters
    ----------
    value
        Minutes (``inf``: unreachable).

    Returns
    -------
    str
        The formatted number, without a unit.
    """
    return fmt_float(value, 1)


def fmt_date(value: str | dt.date | dt.datetime) -> str:
    """Format a date in French words: ``"2026-11-30T21:25:37+00:00" -> "30 novembre 2026"``.

    Parameters
    ----------
    value
        A date, a datetime or an ISO 8601 string (its date part is used).

    Returns
    -------
    str
        ``"1er décembre 2026"`` for the first of a month, ``"30 novembre 2026"`` otherwise;
        ``—`` for an empty or unreadable string.
    """
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return EMPTY
    elif isinstance(value, dt.datetime):
        day = value.date()
    else:
        day = value
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"
