"""Checking a siting model's parameter values against their kinds (:mod:`.registry`'s :func:`run`).

Each :class:`~accessmap.siting.registry.Parameter` has a ``kind``; :func:`coerce` checks a value
against it and returns it in the type the model function takes, or raises a French
:class:`~accessmap.errors.ValidationError` naming the model, the parameter and what it expects.

References
----------
See :mod:`accessmap.siting.registry`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.siting.instance import id_list


class ModelSpec(Protocol):
    """What the checks read of a :class:`~accessmap.siting.registry.ModelSpec`."""

    @property
    def name(self) -> str:
        """The model's name."""
        ...


class Parameter(Protocol):
    """What the checks read of a :class:`~accessmap.siting.registry.Parameter`."""

    @property
    def name(self) -> str:
        """Keyword name."""
        ...

    @property
    def kind(self) -> str:
        """Kind of value."""
        ...

    @property
    def description(self) -> str:
        """French description."""
        ...

    @property
    def choices(self) -> tuple[str, ...]:
        """Values of a choice."""
        ...

    @property
    def default(self) -> Any:
        """Default value."""
        ...

    @property
    def required(self) -> bool:
        """Whether it has no default."""
        ...


__all__ = ["coerce"]


def _bad(spec: ModelSpec, par: Parameter, value: Any, expected: Message) -> ValidationError:
    return ValidationError(
        "siting.parameter_invalid",
        field=f"{spec.name}.{par.name}",
        model=spec.name,
        parameter=par.name,
        expected=expected,
        value=repr(value),
        description=par.description,
    )


def _number(spec: ModelSpec, par: Parameter, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(spec, par, value, Message("siting.expect_number"))
    if par.kind == "int":
        if int(value) != value or value < 0:
            raise _bad(spec, par, value, Message("siting.expect_whole"))
        return int(value)
    if not (math.isfinite(float(value)) and float(value) > 0):
        raise _bad(spec, par, value, Message("siting.expect_positive"))
    return float(value)


def _boolean(spec: ModelSpec, par: Parameter, value: Any) -> Any:
    if not isinstance(value, bool):
        raise _bad(spec, par, value, Message("siting.expect_bool"))
    return value


def _text(spec: ModelSpec, par: Parameter, value: Any) -> Any:
    if not isinstance(value, str) or not value.strip():
        raise _bad(spec, par, value, Message("siting.expect_text"))
    return value


def _choice(spec: ModelSpec, par: Parameter, value: Any) -> Any:
    if value not in par.choices:
        raise _bad(spec, par, value, Message("siting.expect_choice", choices=list(par.choices)))
    return value


def _ids(spec: ModelSpec, par: Parameter, value: Any) -> Any:
    return id_list(value, name=f"{spec.name}.{par.name}")


def _team(spec: ModelSpec, par: Parameter, value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _number(spec, par, v) for k, v in value.items()}
    return _number(spec, par, value)


def _mapping(spec: ModelSpec, par: Parameter, value: Any) -> Any:
    if not isinstance(value, Mapping):
        raise _bad(spec, par, value, Message("siting.expect_mapping"))
    return {str(k): _number(spec, par, v) if v else 0.0 for k, v in value.items()}


_COERCE: dict[str, Callable[[ModelSpec, Parameter, Any], Any]] = {
    "int": _number,
    "float": _number,
    "bool": _boolean,
    "str": _text,
    "choice": _choice,
    "ids": _ids,
    "team": _team,
    "mapping": _mapping,
}


def coerce(spec: ModelSpec, par: Parameter, value: Any) -> Any:
    """Check one value against its parameter's kind; return it in the function's type."""
    if value is None and not par.required and par.default is None:
        return None
    check = _COERCE.get(par.kind)
    return value if check is None else check(spec, par, value)
