"""Arrival examinations: what the hospital found when each child came home.

The findings are health data: encrypted at rest and shown only to the roles that read
health records (protection.sensitivity, Restricted.HEALTH).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from homeward.cases.models import ChildCase
from homeward.protection.fields import EncryptedTextField, SealedRowModel


class FindingCategory(models.TextChoices):
    GENERAL = "general", _("General condition")
    NUTRITION = "nutrition", _("Nutrition and growth")
    INFECTIOUS = "infectious", _("Infectious disease")
    INJURIES = "injuries", _("Injuries")
    DENTAL = "dental", _("Dental")
    DEVELOPMENT = "development", _("Development")
    MENTAL_HEALTH = "mental_health", _("Psychological state")
    VACCINATION = "vaccination", _("Vaccination")


class ArrivalExamination(SealedRowModel):
    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="examinations")
    mission = models.ForeignKey(
        "missions.Mission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hospital = models.CharField(max_length=200)
    examined_on = models.DateField()
    # Restricted: {category: text} as JSON, encrypted.
    findings = EncryptedTextField(blank=True)
    follow_up_needed = models.BooleanField(default=False)
    follow_up = EncryptedTextField(
        blank=True, help_text=gettext_lazy("What follow-up care is needed")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-examined_on", "-id"]

    def __str__(self) -> str:
        return f"Examination of {self.case_id} on {self.examined_on}"
