"""Effects emitted by the engine, one module per family; `effect_from_dict` rebuilds any of them."""

from .base import REGISTRY, Effect, effect_from_dict
from .contact import AddLabel, UpdateContact, UpdateDictionary
from .handover import AssignChat, Handover
from .http import HttpRequest
from .messages import SendContent, SendMessage
from .results import WriteResult
from .scheduling import CancelSchedules, Schedule
from .session import End, Log, RunJourney, Wait

__all__ = [
    "REGISTRY", "AddLabel", "AssignChat", "CancelSchedules", "Effect", "End", "Handover", "HttpRequest",
    "Log", "RunJourney", "Schedule", "SendContent", "SendMessage", "UpdateContact", "UpdateDictionary",
    "Wait", "WriteResult", "effect_from_dict",
]
