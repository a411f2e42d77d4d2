"""Function families of the expression language; importing this fills the one registry."""

from . import collections, dates, encoding, logic, matching, maths, text  # noqa: F401
from .registry import FunctionSpec, function, registry

__all__ = ["FunctionSpec", "function", "registry"]
