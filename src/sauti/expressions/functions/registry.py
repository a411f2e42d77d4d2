"""The one registry of expression functions: filled at import time by family modules, then frozen.

A function is declared in its family module with ``@function("name", args=(1, 2))`` and a
docstring whose first line is the summary and whose example lines read ``upper("ana") → "ANA"``.
A test evaluates every example and ``docs/expressions.md`` is generated from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

EXAMPLE = re.compile(r"^\s*(?P<expr>\S.*?)\s+→\s+(?P<result>.+?)\s*$")


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """What the evaluator, the docs and the journeys editor know about one function."""

    name: str
    impl: Callable
    min_args: int
    max_args: int | None  # None: any number
    family: str
    signature: str
    summary: str
    doc: str
    examples: tuple[tuple[str, str], ...]
    needs_state: bool = False  # called as impl(state, *args): clock, randomness, budget
    aliases: tuple[str, ...] = field(default=())

    def accepts(self, count: int) -> bool:
        return count >= self.min_args and (self.max_args is None or count <= self.max_args)

    @property
    def arity(self) -> str:
        if self.max_args is None:
            return f"{self.min_args}+"
        if self.min_args == self.max_args:
            return str(self.min_args)
        return f"{self.min_args}-{self.max_args}"

    def to_dict(self) -> dict:
        return {"name": self.name, "signature": self.signature, "arity": self.arity,
                "min_args": self.min_args, "max_args": self.max_args, "family": self.family,
                "summary": self.summary, "examples": [f"{e} → {r}" for e, r in self.examples]}


class Registry:
    """Name → FunctionSpec. Names are lower-case; lookups are case-insensitive."""

    def __init__(self) -> None:
        self._functions: dict[str, FunctionSpec] = {}
        self._frozen = False

    def function(self, name: str, *, args: int | tuple[int, int | None], family: str,
                 signature: str | None = None, state: bool = False,
                 aliases: tuple[str, ...] = ()) -> Callable[[Callable], Callable]:
        """Decorator registering ``impl`` under ``name`` (and ``aliases``)."""
        low, high = (args, args) if isinstance(args, int) else args

        def register(impl: Callable) -> Callable:
            if self._frozen:
                raise RuntimeError("the function registry is frozen")
            doc = (impl.__doc__ or "").strip()
            lines = [line.strip() for line in doc.splitlines()]
            summary = lines[0] if lines else ""
            examples = []
            body = []
            for line in lines[1:]:
                m = EXAMPLE.match(line)
                if m and "(" in m.group("expr"):
                    examples.append((m.group("expr"), m.group("result")))
                else:
                    body.append(line)
            spec = FunctionSpec(name=name, impl=impl, min_args=low, max_args=high, family=family,
                                signature=signature or f"{name}({', '.join(_params(impl, low, high))})",
                                summary=summary, doc="\n".join(body).strip(),
                                examples=tuple(examples), needs_state=state, aliases=aliases)
            for key in (name, *aliases):
                if key in self._functions:
                    raise RuntimeError(f"function {key} is registered twice")
                self._functions[key] = spec
            return impl

        return register

    def get(self, name: str) -> FunctionSpec | None:
        return self._functions.get(name.lower())

    def freeze(self) -> None:
        self._frozen = True

    def names(self) -> list[str]:
        return sorted(self._functions)

    def list_functions(self) -> list[FunctionSpec]:
        """Every function once (aliases folded in), sorted by family then name, for docs and editors."""
        seen = {id(spec): spec for spec in self._functions.values()}
        return sorted(seen.values(), key=lambda s: (s.family, s.name))


def _params(impl: Callable, low: int, high: int | None) -> list[str]:
    code = impl.__code__
    names = list(code.co_varnames[: code.co_argcount])
    if names and names[0] == "state":
        names = names[1:]
    out = []
    for i, n in enumerate(names):
        out.append(n if i < low else f"[{n}]")
    if high is None:
        out.append("…")
    return out


registry = Registry()
function = registry.function
