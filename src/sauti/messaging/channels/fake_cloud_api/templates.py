"""Message templates of the fake account: the create rules (spec §4.1) and the send-time checks.

Review is simulated: a template named with "reject" anywhere in it is REJECTED
(reason INVALID_FORMAT) after the approval delay; every other template is APPROVED.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import INVALID_PARAMETER, GraphError

CATEGORIES = ("MARKETING", "UTILITY", "AUTHENTICATION")
STATUSES = ("APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "IN_APPEAL", "PENDING_DELETION",
            "DELETED", "FLAGGED", "REINSTATED", "ARCHIVED", "UNARCHIVED", "LIMIT_EXCEEDED", "LOCKED")
REJECT_SWITCH = "reject"
REJECTED_REASON = "INVALID_FORMAT"
_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")
_PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")
_COMPONENT_TYPES = ("HEADER", "BODY", "FOOTER", "BUTTONS")
_HEADER_FORMATS = ("TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION")
_BUTTON_TYPES = ("QUICK_REPLY", "URL", "PHONE_NUMBER", "OTP", "COPY_CODE", "FLOW", "MPM", "CATALOG",
                 "VOICE_CALL")


@dataclass(slots=True)
class Template:
    id: str
    name: str
    language: str
    category: str
    components: list[dict[str, Any]]
    status: str = "PENDING"
    reason: str | None = None
    body_params: int = field(init=False)
    header_params: int = field(init=False)

    def __post_init__(self) -> None:
        self.body_params = len(placeholders(self._text_of("BODY")))
        self.header_params = len(placeholders(self._text_of("HEADER")))

    def _text_of(self, kind: str) -> str:
        for component in self.components:
            if str(component.get("type", "")).upper() == kind and isinstance(component.get("text"), str):
                return component["text"]
        return ""

    def to_json(self) -> dict[str, Any]:
        """The template as `GET message_templates` lists it."""
        data: dict[str, Any] = {"name": self.name, "parameter_format": "POSITIONAL", "components": self.components,
                                "language": self.language, "status": self.status, "category": self.category,
                                "id": self.id}
        if self.status == "REJECTED":
            data["rejected_reason"] = self.reason or "NONE"
        return data


def review_outcome(name: str) -> tuple[str, str]:
    """The simulated review: (status, reason) — the "reject" switch is documented above."""
    if REJECT_SWITCH in name:
        return "REJECTED", REJECTED_REASON
    return "APPROVED", "NONE"


def check_template_create(data: Any) -> tuple[str, str, str, list[dict[str, Any]]]:
    """Validate a create body; returns (name, language, category, components with upper-case types)."""
    if not isinstance(data, dict):
        raise _error("body", "must be a JSON object")
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise _error("name", "must be 1 to 512 lower-case letters, digits or underscores")
    language = data.get("language")
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise _error("language", 'must be a locale code such as "en" or "en_US"')
    category = data.get("category")
    if not isinstance(category, str) or category.upper() not in CATEGORIES:
        raise _error("category", f"must be one of {', '.join(CATEGORIES)}")
    category = category.upper()
    components = check_components(data.get("components"), category)
    return name, language, category, components


def check_components(components: Any, category: str) -> list[dict[str, Any]]:
    if not isinstance(components, list) or not components:
        raise _error("components", "must be a non-empty array")
    seen: set[str] = set()
    normalised = []
    for i, component in enumerate(components):
        path = f"components[{i}]"
        if not isinstance(component, dict):
            raise _error(path, "must be a JSON object")
        kind = str(component.get("type", "")).upper()
        if kind not in _COMPONENT_TYPES:
            raise _error(f"{path}.type", f"must be one of {', '.join(_COMPONENT_TYPES)}")
        if kind in seen:
            raise _error(f"{path}.type", f"only one {kind} component is allowed")
        seen.add(kind)
        component = {**component, "type": kind}
        _COMPONENT_CHECKS[kind](component, path, category)
        normalised.append(component)
    if "BODY" not in seen:
        raise _error("components", "a BODY component is required")
    return normalised


def check_template_send(template: Template | None, name: str, language: str, body_params: int,
                        header_params: int) -> Template:
    """Meta's send-time template errors: 132001 unknown/not approved, 132015/132016, 132000 counts."""
    if template is None or template.status not in ("APPROVED", "PAUSED", "DISABLED"):
        state = "does not exist" if template is None else f"is {template.status}, not APPROVED"
        raise GraphError(132001, f"template.name: template {name!r} in {language} {state}",
                         http_status=404 if template is None else 400)
    if template.status == "PAUSED":
        raise GraphError(132015, f"template.name: template {name!r} is paused")
    if template.status == "DISABLED":
        raise GraphError(132016, f"template.name: template {name!r} is disabled")
    if body_params != template.body_params:
        raise GraphError(132000, f"template.components.body.parameters: number of parameters ({body_params}) "
                                 f"does not match the expected number of params ({template.body_params})")
    if header_params != template.header_params:
        raise GraphError(132000, f"template.components.header.parameters: number of parameters "
                                 f"({header_params}) does not match the expected number of params "
                                 f"({template.header_params})")
    return template


def _check_header(component: dict[str, Any], path: str, category: str) -> None:
    header_format = str(component.get("format", "")).upper()
    if header_format not in _HEADER_FORMATS:
        raise _error(f"{path}.format", f"must be one of {', '.join(_HEADER_FORMATS)}")
    component["format"] = header_format
    if header_format in ("IMAGE", "VIDEO", "DOCUMENT"):
        example = component.get("example")
        handles = example.get("header_handle") if isinstance(example, dict) else None
        if not (isinstance(handles, list) and handles and all(isinstance(h, str) and h for h in handles)):
            raise _error(f"{path}.example.header_handle", "a media header needs a sample file: give the upload "
                                                          "handle from the Resumable Upload API")
        return
    if header_format != "TEXT":
        return
    text = _text(component, "text", path, 60)
    numbers = placeholders(text)
    if numbers and numbers != [1]:
        raise _error(f"{path}.text", "a header takes at most one variable, {{1}}")
    if numbers:
        example = component.get("example")
        samples = example.get("header_text") if isinstance(example, dict) else None
        if not isinstance(samples, list) or len(samples) != 1:
            raise _error(f"{path}.example.header_text", "must give one sample for {{1}}")


def _check_body(component: dict[str, Any], path: str, category: str) -> None:
    if category == "AUTHENTICATION" and "text" not in component:
        return
    text = _text(component, "text", path, 1024)
    numbers = placeholders(text)
    if numbers != list(range(1, len(numbers) + 1)):
        raise _error(f"{path}.text", "variables must be numbered {{1}}, {{2}}, … in sequence from 1")
    if numbers:
        example = component.get("example")
        samples = example.get("body_text") if isinstance(example, dict) else None
        if not (isinstance(samples, list) and samples and isinstance(samples[0], list)
                and len(samples[0]) == len(numbers)):
            raise _error(f"{path}.example.body_text",
                         f"must give one sample for each of the {len(numbers)} variables, as [[...]]")


def _check_footer(component: dict[str, Any], path: str, category: str) -> None:
    if category == "AUTHENTICATION" and "code_expiration_minutes" in component:
        return
    _text(component, "text", path, 60)


def _check_buttons(component: dict[str, Any], path: str, category: str) -> None:
    buttons = component.get("buttons")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 10:
        raise _error(f"{path}.buttons", "must hold 1 to 10 buttons")
    for i, button in enumerate(buttons):
        button_path = f"{path}.buttons[{i}]"
        if not isinstance(button, dict):
            raise _error(button_path, "must be a JSON object")
        kind = str(button.get("type", "")).upper()
        if kind not in _BUTTON_TYPES:
            raise _error(f"{button_path}.type", f"must be one of {', '.join(_BUTTON_TYPES)}")
        if kind != "OTP":
            _text(button, "text", button_path, 25)
        if kind == "URL":
            _text(button, "url", button_path, 2000)
        if kind == "PHONE_NUMBER":
            _text(button, "phone_number", button_path, 20)


_COMPONENT_CHECKS = {"HEADER": _check_header, "BODY": _check_body, "FOOTER": _check_footer,
                     "BUTTONS": _check_buttons}


def placeholders(text: str) -> list[int]:
    """The distinct variable numbers in a template text, sorted: "{{2}} {{1}} {{2}}" → [1, 2]."""
    return sorted({int(n) for n in _PLACEHOLDER.findall(text)})


def _text(component: dict[str, Any], key: str, path: str, max_len: int) -> str:
    value = component.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _error(f"{path}.{key}", "is required and must be a non-empty string")
    if len(value) > max_len:
        raise _error(f"{path}.{key}", f"must be at most {max_len} characters (got {len(value)})")
    return value


def _error(path: str, problem: str) -> GraphError:
    # The template management endpoints answer every invalid field with Graph code 100.
    return GraphError(INVALID_PARAMETER, f"{path}: {problem}")
