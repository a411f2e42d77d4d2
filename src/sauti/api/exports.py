"""The data export API: a cursor over a date range of messages, contacts or statuses, page by page.

`POST /v1/data/<set>/cursor` checks the range and the scrubbing rules and answers a cursor;
`GET /v1/data/<set>/cursor/<cursor>` answers a page and the cursor of the next one. A cursor is
an encrypted, self-contained description (set, range, order, page size, rules, position), so
paging stores nothing and survives restarts; it belongs to the token's workspace and expires.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from sauti.accounts.models import Workspace
from sauti.accounts.secrets import decrypt, encrypt
from sauti.api.auth import needs
from sauti.api.contacts import profile_of
from sauti.api.errors import invalid, not_found
from sauti.api.schemas import errors
from sauti.api.scrubbing import Rule, parse_rules, rules_to_json, scrub
from sauti.api.serializers import message_to_turn
from sauti.contacts.models import Contact
from sauti.messaging.models import Message

router = Router(tags=["data export"])
SALT = "sauti.api.exports"
CURSOR_DAYS = 7
MAX_PAGE = 1000
MAX_RANGE_DAYS = 366
# Statuses arrive after the message: a status in the range may belong to a message sent up to this
# long before it.
STATUS_LOOKBACK = dt.timedelta(days=30)
DataSet = Literal["messages", "contacts", "statuses"]


class CursorIn(Schema):
    from_: dt.datetime = Field(alias="from", description="start of the range (inclusive), ISO 8601")
    until: dt.datetime = Field(description="end of the range (exclusive), ISO 8601")
    ordering: Literal["asc", "desc"] = "asc"
    page_size: int = Field(100, ge=1, le=MAX_PAGE)
    scrubbing_rules: dict[str, Any] | None = None


class CursorOut(Schema):
    cursor: str
    expires_at: str


class Paging(Schema):
    next: str


class PageOut(Schema):
    data: list[dict[str, Any]]
    paging: Paging | None


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _rules(data_set: str, raw: Any) -> dict[str, list[Rule]]:
    if raw in (None, {}):
        return {}
    if not isinstance(raw, dict):
        raise invalid("scrubbing_rules", "must be an object")
    if data_set == "statuses":
        raise invalid("scrubbing_rules", "statuses carry no personal data to scrub")
    if data_set == "messages":
        unknown = set(raw) - {"inbound", "outbound"}
        if unknown:
            raise invalid("scrubbing_rules", 'rules for messages go under "inbound" and "outbound"')
        return {kind: parse_rules(raw.get(kind), f"scrubbing_rules.{kind}") for kind in ("inbound", "outbound")}
    return {"contacts": parse_rules(raw, "scrubbing_rules")}


def _make_cursor(state: dict[str, Any]) -> tuple[str, dt.datetime]:
    expires = timezone.now() + dt.timedelta(days=CURSOR_DAYS)
    return encrypt(json.dumps({**state, "salt": SALT, "exp": int(expires.timestamp())})), expires


def _read_cursor(workspace: Workspace, data_set: str, cursor: str) -> dict[str, Any]:
    """The cursor's state; 404 for a cursor that is malformed, forged, expired or not this workspace's."""
    try:
        state = json.loads(decrypt(cursor))
    except ValueError:
        state = None
    if (not isinstance(state, dict) or state.get("salt") != SALT or state.get("ws") != str(workspace.uuid)
            or state.get("set") != data_set or state.get("exp", 0) < timezone.now().timestamp()):
        raise not_found("no such cursor, or it has expired: ask for a new one")
    return state


def open_cursor(workspace: Workspace, data_set: str, payload: CursorIn) -> dict[str, Any]:
    start, end = _aware(payload.from_), _aware(payload.until)
    if end <= start:
        raise invalid("until", "must be after 'from'")
    if end - start > dt.timedelta(days=MAX_RANGE_DAYS):
        raise invalid("until", f"a range covers at most {MAX_RANGE_DAYS} days; page through several")
    rules = _rules(data_set, payload.scrubbing_rules)
    cursor, expires = _make_cursor({
        "ws": str(workspace.uuid), "set": data_set, "from": _iso(start), "until": _iso(end),
        "ord": payload.ordering, "size": payload.page_size,
        "rules": {kind: rules_to_json(items) for kind, items in rules.items()}, "after": None})
    return {"cursor": cursor, "expires_at": _iso(expires)}


def _keyset(query: QuerySet[Any], state: dict[str, Any]) -> QuerySet[Any]:
    after, descending = state.get("after"), state["ord"] == "desc"
    if after is not None:
        query = query.filter(id__lt=after[0]) if descending else query.filter(id__gt=after[0])
    return query.order_by("-id" if descending else "id")


def _page_messages(workspace: Workspace, state: dict[str, Any], rules: dict[str, list[Rule]]
                   ) -> tuple[list[dict[str, Any]], list[int] | None]:
    start, end = dt.datetime.fromisoformat(state["from"]), dt.datetime.fromisoformat(state["until"])
    query = _keyset(Message.objects.filter(workspace=workspace, sent_at__gte=start, sent_at__lt=end)
                    .select_related("contact", "in_reply_to"), state)
    rows = list(query[:state["size"] + 1])
    items = []
    for message in rows[:state["size"]]:
        body = message_to_turn(message)
        if message.direction == Message.Direction.INBOUND:
            contact = message.contact
            item = {"contacts": [{"profile": {"name": contact.whatsapp_profile_name or ""},
                                  "wa_id": contact.address}], "messages": [body]}
            items.append(scrub(item, rules.get("inbound", []), str(workspace.uuid)))
        else:
            items.append(scrub(body, rules.get("outbound", []), str(workspace.uuid)))
    more = [rows[state["size"] - 1].id] if len(rows) > state["size"] else None
    return items, more


def _page_contacts(workspace: Workspace, state: dict[str, Any], rules: dict[str, list[Rule]]
                   ) -> tuple[list[dict[str, Any]], list[int] | None]:
    start, end = dt.datetime.fromisoformat(state["from"]), dt.datetime.fromisoformat(state["until"])
    query = _keyset(Contact.objects.filter(workspace=workspace, created_at__gte=start, created_at__lt=end), state)
    rows = list(query[:state["size"] + 1])
    items = []
    for contact in rows[:state["size"]]:
        item = {"uuid": str(contact.uuid), "wa_id": contact.wa_id, "user_id": contact.user_id,
                "created_at": _iso(contact.created_at), "profile": profile_of(contact)["fields"]}
        items.append(scrub(item, rules.get("contacts", []), str(workspace.uuid)))
    more = [rows[state["size"] - 1].id] if len(rows) > state["size"] else None
    return items, more


def _page_statuses(workspace: Workspace, state: dict[str, Any]) -> tuple[list[dict[str, Any]], list[int] | None]:
    """Status changes in the range, message by message; the position is (message id, statuses taken)."""
    start, end = dt.datetime.fromisoformat(state["from"]), dt.datetime.fromisoformat(state["until"])
    after = state.get("after")
    query = _keyset(Message.objects.filter(workspace=workspace, direction=Message.Direction.OUTBOUND,
                                           sent_at__gte=start - STATUS_LOOKBACK, sent_at__lt=end)
                    .exclude(statuses=[]).select_related("contact"), {**state, "after": None})
    if after is not None:
        descending = state["ord"] == "desc"
        query = query.filter(Q(id__lte=after[0]) if descending else Q(id__gte=after[0]))
    size, items = state["size"], []
    for message in query.iterator(chunk_size=200):
        skip = after[1] if after is not None and message.id == after[0] else 0
        entries = [s for s in message.statuses if start <= _status_time(s) < end]
        for index, status in enumerate(entries):
            if index < skip:
                continue
            if len(items) == size:
                return items, [message.id, index]
            item = {"id": message.provider_id, "recipient_id": message.contact.address, "status": status["status"],
                    "timestamp": str(int(_status_time(status).timestamp())),
                    "_vnd": {"v1": {"uuid": str(message.uuid)}}}
            if status.get("errors"):
                item["errors"] = status["errors"]
            items.append(item)
    return items, None


def _status_time(status: dict[str, Any]) -> dt.datetime:
    try:
        return _aware(dt.datetime.fromisoformat(str(status.get("timestamp"))))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def read_page(workspace: Workspace, data_set: str, cursor: str) -> dict[str, Any]:
    state = _read_cursor(workspace, data_set, cursor)
    rules = {kind: parse_rules(raw, f"scrubbing_rules.{kind}") for kind, raw in (state.get("rules") or {}).items()}
    if data_set == "messages":
        items, after = _page_messages(workspace, state, rules)
    elif data_set == "contacts":
        items, after = _page_contacts(workspace, state, rules)
    else:
        items, after = _page_statuses(workspace, state)
    if after is None:
        return {"data": items, "paging": None}
    state = {k: v for k, v in state.items() if k != "exp"}
    return {"data": items, "paging": {"next": _make_cursor({**state, "after": after})[0]}}


def _register(data_set: str) -> None:
    def create(request: HttpRequest, payload: CursorIn) -> dict[str, Any]:
        return open_cursor(request.workspace, data_set, payload)  # type: ignore[attr-defined]

    def page(request: HttpRequest, cursor: str) -> dict[str, Any]:
        return read_page(request.workspace, data_set, cursor)  # type: ignore[attr-defined]

    create.__name__, page.__name__ = f"create_{data_set}_cursor", f"page_{data_set}"
    create.__doc__ = (f"Open a cursor over the {data_set} of a date range (at most {MAX_RANGE_DAYS} days), "
                      "with scrubbing rules applied to every page.")
    page.__doc__ = f"A page of {data_set}; `paging.next` is the cursor of the next page, null after the last."
    router.post(f"/data/{data_set}/cursor", auth=needs("data:read"), response={200: CursorOut, **errors(400)},
                summary=f"Open a {data_set} export cursor")(create)
    router.get(f"/data/{data_set}/cursor/{{cursor}}", auth=needs("data:read"),
               response={200: PageOut, **errors(404)}, summary=f"A page of {data_set}")(page)


for _set in ("messages", "contacts", "statuses"):
    _register(_set)
