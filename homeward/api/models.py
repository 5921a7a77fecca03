"""API keys for partners' machines, and the answers kept for retried writes."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from homeward.protection.fields import EncryptedTextField


class ApiKey(models.Model):
    """A key a partner's system sends as `Authorization: Bearer hwk_...`. It acts as its
    service account (a user with an agency, a role and a scope, who cannot sign in to the
    pages). Only a SHA-256 hash of the key is kept: the key itself is shown once."""

    name = models.CharField(max_length=100, help_text="What the key is for, e.g. KoBo, Iraq team")
    prefix = models.CharField(max_length=20, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    # Requests per minute; empty means HOMEWARD_API_RATE_PER_MINUTE.
    rate_per_minute = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def label(self) -> str:
        """How audit entries and lists name the key: never enough to use it."""
        return f"API key {self.prefix}"

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"


class IdempotentRequest(models.Model):
    """A write sent with an `Idempotency-Key`: what it was and what it answered, so that
    the same request sent again gets the same answer and changes nothing twice."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="Method, path and body, hashed")
    created_at = models.DateTimeField(default=timezone.now)
    # Empty while the first request is still being served.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # The answer names children: encrypted at rest like restricted fields, kept a day.
    response_body = EncryptedTextField(blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_once_per_owner")
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.key}"
