"""One entry of the message catalogue."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Entry"]


@dataclass(frozen=True, slots=True)
class Entry:
    """The French wording of one message code.

    Attributes
    ----------
    text
        The sentence, with ``{name}`` placeholders for the message's parameters.
    fix
        For errors: how to fix it, one sentence with placeholders; ``None`` for notes.
    merged
        For notes about a list of things (points, communes): the name of that list parameter.
        Notes of this code that differ only in it (and in ``count``) are shown as one, over the
        union of their lists (:func:`accessmap.messages.merged_notes`).
    """

    text: str
    fix: str | None = None
    merged: str | None = None
