"""French wording of the messages of errors.py, contracts.py, conventions.py, settings.py, store.py, publish.py, check.py, professions.py."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {}
