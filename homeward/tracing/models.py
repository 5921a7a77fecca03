"""Tracing requests: relatives at home looking for children (or their mothers) abroad."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.accounts.models import Agency
from homeward.people.models import Person


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class TracingRequest(models.Model):
    """Filed by (or for) an enquirer; one SoughtPerson per person they look for."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tracing_requests")
    enquirer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enquiries")
    enquirer_relationship = models.CharField(
        max_length=100, help_text="How the enquirer is related to the people sought"
    )
    enquirer_contact = models.CharField(max_length=200, blank=True)
    enquirer_place = models.CharField(max_length=200, blank=True)
    # The story of the separation: who left, when, to where.
    who_left = models.CharField(max_length=300, blank=True)
    left_on = models.CharField(max_length=40, blank=True, help_text="As precise as known")
    left_for = models.CharField(max_length=200, blank=True)
    story = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default="open")
    closed_reason = models.TextField(blank=True)
    filed_on = models.DateField()
    filed_at = models.DateTimeField(auto_now_add=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return self.reference


class SoughtKind(models.TextChoices):
    CHILD = "child", "Child"
    MOTHER = "mother", "Mother"
    OTHER = "other", "Other relative"


class SoughtPerson(models.Model):
    """One person the enquirer looks for: names, sex and age as they know them."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="sought")
    kind = models.CharField(max_length=10, choices=SoughtKind.choices)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="sought_as")
    mother_names = models.CharField(max_length=400, blank=True, help_text="Variants, | between")
    father_names = models.CharField(max_length=400, blank=True, help_text="Variants, | between")
    last_known_place = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} sought in {self.request.reference}"
