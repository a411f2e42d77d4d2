"""The base of every effect: a frozen dataclass with a snake_case `type`, registered by type."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypeVar

from ..values import decode, encode

REGISTRY: dict[str, type[Effect]] = {}
E = TypeVar("E", bound="Effect")


@dataclass(frozen=True, slots=True)
class Effect:
    """A command for the shell. Effects are data; the engine never performs them."""

    type: ClassVar[str] = ""

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"type": self.type}
        for f in fields(self):
            out[f.name] = encode(getattr(self, f.name))
        return out


def register(cls: type[E]) -> type[E]:
    """Class decorator: make an effect type known to `effect_from_dict` (import time only)."""
    if cls.type in REGISTRY:
        raise TypeError(f"effect type {cls.type!r} is registered twice")
    REGISTRY[cls.type] = cls
    return cls


def effect_from_dict(data: dict) -> Effect:
    """Rebuild an effect from to_dict() output; unknown types or fields raise ValueError."""
    data = dict(data)
    kind = data.pop("type", None)
    cls = REGISTRY.get(kind)  # type: ignore[arg-type]
    if cls is None:
        raise ValueError(f"unknown effect type {kind!r}")
    known = {f.name for f in fields(cls)}
    if set(data) - known:
        raise ValueError(f"unknown fields for effect {kind!r}: {sorted(set(data) - known)}")
    tuples = {f.name for f in fields(cls) if f.default == ()}
    return cls(**{k: _tuples(decode(v)) if k in tuples else decode(v) for k, v in data.items()})


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value
