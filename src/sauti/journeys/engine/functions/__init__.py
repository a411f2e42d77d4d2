"""Journey functions, one module per family; importing this package fills the registries."""

from . import choices, contact, control, flow, http, messaging, results  # noqa: F401
from .registry import FUNCTIONS, REPLIES

__all__ = ["FUNCTIONS", "REPLIES"]
