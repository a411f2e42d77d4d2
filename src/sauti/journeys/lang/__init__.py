"""The Journeys language: notebooks and plain DSL → Program. Pure Python, no Django, no I/O."""

from .compiler import check_journey, compile_journey
from .errors import Diagnostic, JourneySyntaxError
from .program import Program

__all__ = ["Diagnostic", "JourneySyntaxError", "Program", "check_journey", "compile_journey"]
