"""Scrubbing rules of the data export API: rewrite or hash fields before data leaves Sauti.

A rule names a dotted path into an exported item (`messages.text.body`, `contacts.profile.name`);
lists along the path apply the rule to each element. `hash` replaces the value with an HMAC-SHA256
keyed per workspace (the same value always gives the same hash, so exports can still be joined,
but a phone number cannot be recovered by trying them all); `regex` replaces what `search`
matches with `replace`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from sauti.api.errors import invalid

MAX_RULES = 50


@dataclass(frozen=True, slots=True)
class Rule:
    path: tuple[str, ...]
    kind: str
    pattern: re.Pattern[str] | None = None
    replace: str = ""


def parse_rules(raw: Any, where: str) -> list[Rule]:
    """Rules for one kind of item: `{"<path>": {"type": "hash"} | {"type": "regex", "search", "replace"}}`."""
    if raw in (None, {}):
        return []
    if not isinstance(raw, dict):
        raise invalid(where, "must be an object of field paths and rules")
    if len(raw) > MAX_RULES:
        raise invalid(where, f"at most {MAX_RULES} rules")
    rules = []
    for path, spec in raw.items():
        at = f"{where}.{path}"
        if not isinstance(spec, dict) or spec.get("type") not in ("hash", "regex"):
            raise invalid(at, 'a rule is {"type": "hash"} or {"type": "regex", "search": …, "replace": …}')
        parts = tuple(p for p in str(path).split(".") if p)
        if not parts:
            raise invalid(at, "name a field, e.g. messages.text.body")
        if spec["type"] == "hash":
            rules.append(Rule(parts, "hash"))
            continue
        search, replace = spec.get("search"), spec.get("replace", "")
        if not isinstance(search, str) or not search or not isinstance(replace, str):
            raise invalid(at, '"search" (a regular expression) and "replace" (text) are required')
        try:
            pattern = re.compile(search)
        except re.error as exc:
            raise invalid(f"{at}.search", f"not a regular expression: {exc}") from exc
        rules.append(Rule(parts, "regex", pattern, replace))
    return rules


def rules_to_json(rules: list[Rule]) -> dict[str, Any]:
    return {".".join(r.path): {"type": "hash"} if r.kind == "hash" else
            {"type": "regex", "search": r.pattern.pattern if r.pattern else "", "replace": r.replace}
            for r in rules}


def digest(workspace_uuid: str, value: Any) -> str:
    key = hashlib.sha256(f"sauti-export:{settings.SECRET_KEY}:{workspace_uuid}".encode()).digest()
    return hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()


def scrub(item: Any, rules: list[Rule], workspace_uuid: str) -> Any:
    """Apply the rules to a JSON item in place and return it."""
    for rule in rules:
        _apply(item, rule.path, rule, workspace_uuid)
    return item


def _apply(node: Any, path: tuple[str, ...], rule: Rule, workspace_uuid: str) -> None:
    if isinstance(node, list):
        for element in node:
            _apply(element, path, rule, workspace_uuid)
        return
    if not isinstance(node, dict) or path[0] not in node:
        return
    if len(path) > 1:
        _apply(node[path[0]], path[1:], rule, workspace_uuid)
        return
    value = node[path[0]]
    if value is None:
        return
    if isinstance(value, list):
        node[path[0]] = [_rewrite(v, rule, workspace_uuid) for v in value]
    else:
        node[path[0]] = _rewrite(value, rule, workspace_uuid)


def _rewrite(value: Any, rule: Rule, workspace_uuid: str) -> Any:
    if value is None or isinstance(value, dict | list):
        return value
    if rule.kind == "hash":
        return digest(workspace_uuid, value)
    assert rule.pattern is not None
    return rule.pattern.sub(rule.replace, str(value))
