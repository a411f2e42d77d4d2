"""Journeys: the language (lang/), the pure engine (engine/) and the testing harness (testing.py).

Nothing imported here touches Django; the product shell (runner, triggers, views) builds on it.
"""

from .lang import Diagnostic, JourneySyntaxError, Program, check_journey, compile_journey

__all__ = ["Diagnostic", "JourneySyntaxError", "Program", "check_journey", "compile_journey"]
