"""Arrival examinations: what the hospital found when each child came home.

The findings are health data: encrypted at rest and shown only to the roles that read
health records (protection.sensitivity, Restricted.HEALTH).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.cases.models import ChildCase
from homeward.protection.fields import EncryptedTextField, SealedRowModel


class FindingCategory(models.TextChoices):
    GENERAL = "general", "General condition"
    NUTRITION = "nutrition", "Nutrition and growth"
    INFECTIOUS = "infectious", "Infectious disease"
    INJURIES = "injuries", "Injuries"
    DENTAL = "dental", "Dental"
    DEVELOPMENT = "development", "Development"
    MENTAL_HEALTH = "mental_health", "Psychological state"
    VACCINATION = "vaccination", "Vaccination"


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
    follow_up = EncryptedTextField(blank=True, help_text="What follow-up care is needed")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-examined_on", "-id"]

    def __str__(self) -> str:
        return f"Examination of {self.case_id} on {self.examined_on}"
