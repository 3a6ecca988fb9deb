"""The profession registry: the only place a health profession is defined.

(Being filled: see issue 19. Until then it only names the default profession.)
"""

from __future__ import annotations

__all__ = ["DEFAULT_PROFESSION"]

#: The profession every command uses when none is asked for (general practitioners).
DEFAULT_PROFESSION = "generaliste"
