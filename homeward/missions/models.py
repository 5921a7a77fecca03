"""Missions: the organised flights that bring children home, with their manifests, escorts
and the readiness checklist each child must pass before a seat is theirs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from homeward.cases.models import ChildCase
from homeward.people.validators import validate_region

iata_code = RegexValidator(r"^[A-Z]{3}$", "Enter a three-letter IATA airport code, e.g. BGW.")


class MissionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    MANIFEST_CONFIRMED = "manifest_confirmed", _("Manifest confirmed")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# A child on the manifest of a mission in one of these is booked: not free for another.
ACTIVE_STATUSES = (
    MissionStatus.PLANNED,
    MissionStatus.MANIFEST_CONFIRMED,
    MissionStatus.DEPARTED,
)


class Mission(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    departure_airport = models.CharField(max_length=3, validators=[iata_code])
    arrival_airport = models.CharField(max_length=3, validators=[iata_code])
    # The flight as planned; what happened is recorded apart (departed_at, arrived_at).
    departs_on = models.DateField("planned departure")
    arrives_on = models.DateField("planned arrival")
    operator = models.CharField(max_length=200, blank=True)
    aircraft = models.CharField(max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(help_text=gettext_lazy("Seats for children"))
    status = models.CharField(
        max_length=20, choices=MissionStatus.choices, default=MissionStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    departed_at = models.DateTimeField(
        "departed",
        null=True,
        blank=True,
        help_text=gettext_lazy("When the flight took off, as recorded"),
    )
    departure_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arrived_at = models.DateTimeField(
        "arrived",
        null=True,
        blank=True,
        help_text=gettext_lazy("When the flight landed, as recorded"),
    )
    arrival_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["departs_on", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.departure_airport} → {self.arrival_airport}, {self.departs_on}"

    @property
    def route(self) -> str:
        return f"{self.departure_airport} → {self.arrival_airport}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def on_board(self) -> models.QuerySet[ManifestEntry]:
        """The manifest as it stands: children not taken off it."""
        return self.manifest.filter(removed_at=None)


class MissionChange(models.Model):
    """A change to a mission's flight facts: which fields, by whom, and why (required once
    the manifest is confirmed)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    fields = models.JSONField(help_text=gettext_lazy("Names of the fields changed"))
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.mission.code}: {', '.join(self.fields)}"


class MissionEscort(models.Model):
    """A member of staff who flies with the children, in a role on this mission."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="escorts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    duty = models.CharField(
        max_length=100, help_text=gettext_lazy("e.g. doctor, psychologist, escort")
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "user"], name="escort_once_per_mission")
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.duty})"


class ManifestEntry(models.Model):
    """A child's seat on a mission. Taken off the manifest, the row stays with who and why."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="manifest")
    case = models.ForeignKey(ChildCase, on_delete=models.PROTECT, related_name="manifest_entries")
    seat = models.CharField(max_length=10, blank=True)
    escort = models.ForeignKey(
        MissionEscort, null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    receiving_region = models.CharField(
        max_length=6,
        blank=True,
        validators=[validate_region],
        help_text=gettext_lazy("ISO 3166-2 code"),
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_reason = models.TextField(
        blank=True, help_text=gettext_lazy("Required once the manifest is confirmed")
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_reason = models.TextField(blank=True)
    # A supervisor let the child fly without these checklist items, saying why; shown on
    # the manifest. An item missing later that is not among them blocks the flight again.
    override_items = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    # Set on arrival: True for a child who flew, False for one who did not after all.
    travelled = models.BooleanField(null=True, blank=True)
    not_travelled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["mission", "id"]
        verbose_name_plural = gettext_lazy("manifest entries")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "case"],
                condition=Q(removed_at=None),
                name="child_once_per_mission",
            ),
            models.UniqueConstraint(
                fields=["mission", "seat"],
                condition=Q(removed_at=None) & ~Q(seat=""),
                name="seat_once_per_mission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission.code}: {self.case.reference}"


class ReadinessItem(models.TextChoices):
    """What must be true of a child before a seat on a mission (DOMAIN: the hand-over)."""

    IDENTITY_VERIFIED = "identity_verified", _("Identity verified")
    CITIZENSHIP_CONFIRMED = "citizenship_confirmed", _("Citizenship confirmed")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded")
    EXIT_CLEARANCE = "exit_clearance", _("Host exit clearance")
    TRAVEL_DOCUMENT = "travel_document", _("Travel document")
    FIT_TO_FLY = "fit_to_fly", _("Fit-to-fly medical")
    RELATIVES_ASSESSED = "relatives_assessed", _("Receiving relatives assessed")


class ReadinessCheck(models.Model):
    """One item of the checklist, ticked for a child: when, by whom, on what evidence.
    "Receiving relatives assessed" is not ticked here: it is read from the family records."""

    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="readiness")
    item = models.CharField(max_length=30, choices=ReadinessItem.choices)
    done_on = models.DateField()
    evidence = models.CharField(
        max_length=300, blank=True, help_text=gettext_lazy("Document number, note")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "item"]
        constraints = [
            models.UniqueConstraint(fields=["case", "item"], name="readiness_item_once_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_item_display()} on {self.done_on}"
