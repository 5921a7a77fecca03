"""Missions: the organised flights that bring children home, with their manifests."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from homeward.cases.models import ChildCase

iata_code = RegexValidator(r"^[A-Z]{3}$", "Enter a three-letter IATA airport code, e.g. BGW.")


class MissionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    MANIFEST_CONFIRMED = "manifest_confirmed", "Manifest confirmed"
    DEPARTED = "departed", "Departed"
    ARRIVED = "arrived", "Arrived"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class Mission(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    departure_airport = models.CharField(max_length=3, validators=[iata_code])
    arrival_airport = models.CharField(max_length=3, validators=[iata_code])
    departs_on = models.DateField()
    arrives_on = models.DateField()
    operator = models.CharField(max_length=200, blank=True)
    aircraft = models.CharField(max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(help_text="Seats for children")
    status = models.CharField(
        max_length=20, choices=MissionStatus.choices, default=MissionStatus.PLANNED
    )

    class Meta:
        ordering = ["departs_on", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.departure_airport} → {self.arrival_airport}, {self.departs_on}"


class ManifestEntry(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="manifest")
    case = models.ForeignKey(ChildCase, on_delete=models.PROTECT, related_name="manifest_entries")
    seat = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["mission", "id"]
        verbose_name_plural = "manifest entries"
        constraints = [
            models.UniqueConstraint(fields=["mission", "case"], name="child_once_per_mission")
        ]

    def __str__(self) -> str:
        return f"{self.mission.code}: {self.case.reference}"
