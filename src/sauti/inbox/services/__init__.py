"""Every write of the inbox, one module per family; import them from here.

Each function takes the workspace (or a chat already fetched within it) and `actor` (the person
acting, None for automation), runs in one transaction and announces the change to open browsers
only after commit. Callers check the role first (sauti.accounts.permissions) and fetch through
sauti.inbox.queries, so "missing" and "not yours" never reach these functions.
"""

from sauti.inbox.services.autoclose import close_inactive_chats, schedule_auto_close
from sauti.inbox.services.chats import (
    InboxActionRefused,
    assign_chat,
    bulk_update_chats,
    close_chat,
    hand_back_to_bot,
    mark_chat_read,
    mark_message_done,
    react_to_message,
    reopen_chat,
    reply_to_chat,
    request_human,
    send_media_to_chat,
    unassign_chat,
)
from sauti.inbox.services.collections import delete_collection, save_collection
from sauti.inbox.services.labels import (
    create_label,
    delete_label,
    label_chat,
    label_message,
    unlabel_chat,
    unlabel_message,
)
from sauti.inbox.services.notes import add_note
from sauti.inbox.services.routing import route_waiting_chats, set_availability, update_routing_settings

__all__ = [
    "InboxActionRefused", "add_note", "assign_chat", "bulk_update_chats", "close_chat", "close_inactive_chats",
    "create_label", "delete_collection", "delete_label", "hand_back_to_bot", "label_chat", "label_message",
    "mark_chat_read", "mark_message_done", "react_to_message", "reopen_chat", "reply_to_chat", "request_human",
    "route_waiting_chats", "save_collection", "schedule_auto_close", "send_media_to_chat", "set_availability",
    "unassign_chat", "unlabel_chat", "unlabel_message", "update_routing_settings",
]
