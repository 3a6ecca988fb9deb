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
    """

    text: str
    fix: str | None = None
