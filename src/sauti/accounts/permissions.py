"""What each workspace role may do: one table, read by every page and API call.

A permission is "<area>.<action>". Pages and services ask `can(role, perm)` (or `Access.can`)
instead of comparing roles, so a change of policy is one row here. Unknown permissions are a
programming error and raise, so a typo cannot silently deny (or allow) everyone.
"""

from __future__ import annotations

from sauti.accounts.models import Role

OWNER, ADMIN, EDITOR, OPERATOR, VIEWER = Role.OWNER, Role.ADMIN, Role.EDITOR, Role.OPERATOR, Role.VIEWER
EVERYONE = frozenset(Role)
MANAGERS = frozenset({OWNER, ADMIN})
BUILDERS = frozenset({OWNER, ADMIN, EDITOR})
HELPDESK = frozenset({OWNER, ADMIN, OPERATOR})

PERMISSIONS: dict[str, frozenset[str]] = {
    # Journeys and content (templates, media, canned replies): editors build, everyone looks.
    "journeys.view": EVERYONE,
    "journeys.edit": BUILDERS,
    "content.view": EVERYONE,
    "content.edit": BUILDERS,
    # The inbox: operators work there; editors and viewers may read conversations.
    "inbox.view": EVERYONE,
    "inbox.reply": HELPDESK,  # reply, assign, label, note, close, reopen
    "inbox.manage": MANAGERS,  # custom collections for everyone, routing settings
    # People: operators fix a profile while they help; imports, exports and deletion are admins'.
    "people.view": EVERYONE,
    "people.edit": HELPDESK | BUILDERS,
    "people.import": MANAGERS,
    "people.export": MANAGERS,
    "people.delete": MANAGERS,
    "people.fields": MANAGERS,  # the field schema
    "people.segments": HELPDESK | BUILDERS,  # save, change and delete saved segments
    "people.see_numbers": MANAGERS,  # when the workspace hides phone numbers
    # Reminders and broadcasts.
    "reminders.view": EVERYONE,
    "reminders.edit": BUILDERS,
    # Insights.
    "insights.view": EVERYONE,  # audience, engagement, journeys, inbox
    "insights.billing": MANAGERS,  # spend and the price table
    "insights.edit": MANAGERS,  # price table
    # Workspace settings, team, tokens, webhooks, audit log.
    "settings.view": MANAGERS,
    "settings.edit": MANAGERS,
    "members.manage": MANAGERS,
    "tokens.manage": MANAGERS,
    "webhooks.manage": MANAGERS,
    "audit.view": MANAGERS,
}

# Only an owner may make or unmake owners; an admin manages everyone else.
ASSIGNABLE_ROLES: dict[str, frozenset[str]] = {
    OWNER: frozenset(Role),
    ADMIN: frozenset({ADMIN, EDITOR, OPERATOR, VIEWER}),
}


def can(role: str | None, perm: str) -> bool:
    """True when `role` may do `perm`; KeyError for a permission this table does not know."""
    allowed = PERMISSIONS[perm]
    return role is not None and role in allowed


def roles_with(perm: str) -> frozenset[str]:
    return PERMISSIONS[perm]


def assignable_roles(role: str | None) -> frozenset[str]:
    """The roles someone with `role` may give to (or take from) a member."""
    return ASSIGNABLE_ROLES.get(role or "", frozenset())
