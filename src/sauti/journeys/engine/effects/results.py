"""Flow results (`write_result`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Effect, register


@register
@dataclass(frozen=True, slots=True)
class WriteResult(Effect):
    """Store a flow result; `label` is kept as written in the journey."""

    type: ClassVar[str] = "write_result"
    name: str = ""
    value: Any = None
    label: str | None = None
    card: str | None = None
