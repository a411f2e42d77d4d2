"""Users, workspaces (one WhatsApp number each), memberships with roles, and the audit log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from sauti.accounts.secrets import EncryptedTextField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("an email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address; `is_superuser` makes a site administrator."""

    username = None  # type: ignore[assignment]
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.name or self.email


class Workspace(models.Model):
    """One WhatsApp number with its channel credentials, timezone and settings."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    phone_number_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    waba_id = models.CharField(max_length=64, blank=True, db_index=True)
    display_phone_number = models.CharField(max_length=32, blank=True)
    access_token = EncryptedTextField(blank=True)
    app_secret = EncryptedTextField(blank=True)
    verify_token = models.CharField(max_length=200, blank=True)
    graph_url = models.URLField(max_length=300, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    send_rate = models.PositiveIntegerField(default=80, help_text=_("messages per second"))
    channel_healthy = models.BooleanField(default=True)
    channel_error = models.TextField(blank=True)
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def graph_base_url(self) -> str:
        return (self.graph_url or settings.SAUTI_GRAPH_URL).rstrip("/")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    OPERATOR = "operator", _("Operator")
    VIEWER = "viewer", _("Viewer")


# Higher rank can do everything a lower rank can, except that editors and operators each have
# their own area (journeys/content vs inbox); see sauti.accounts.permissions.
ROLE_RANK = {Role.VIEWER: 0, Role.OPERATOR: 1, Role.EDITOR: 1, Role.ADMIN: 2, Role.OWNER: 3}


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)
    # The inbox's routing: operators set themselves available for new chats; capacity is how many
    # open chats routing gives them at most (None: the workspace's default, see sauti.inbox.routing).
    available = models.BooleanField(default=False)
    available_changed_at = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.workspace}"


class AuditEntry(models.Model):
    """A sensitive action: who did what to which object, kept for the workspace's owners."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="audit_entries", null=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=64)
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.target}"


class Invitation(models.Model):
    """An invitation to join a workspace with a role; the link carries a token stored only hashed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.OPERATOR)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.workspace}"

    def is_pending(self, now) -> bool:  # noqa: ANN001 - a datetime
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
