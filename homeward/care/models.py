"""After the flight: the hand-over to relatives (or state care) and the follow-up visits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.cases.models import ChildCase, FamilyMember
from homeward.people.validators import validate_region


class ReceiverKind(models.TextChoices):
    RELATIVES = "relatives", _("Relatives")
    STATE_INSTITUTION = "state_institution", _("State institution")


class HandOver(models.Model):
    """The child handed over to named relatives, or to a state institution, in a region."""

    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="hand_overs")
    handed_over_on = models.DateField()
    receiver_kind = models.CharField(max_length=20, choices=ReceiverKind.choices)
    receiving_relative = models.ForeignKey(
        FamilyMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    institution = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=6, validators=[validate_region])
    town = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-handed_over_on", "-id"]
        indexes = [
            # The few hand-overs to a relative, probed once a tracing proposal to tell
            # those of a child already home with the enquirer's family (the dashboard).
            models.Index(
                fields=["case"],
                condition=Q(receiving_relative__isnull=False),
                name="care_handover_to_relative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} handed over on {self.handed_over_on}"

    @property
    def receiver(self) -> str:
        if self.receiving_relative is not None:
            member = self.receiving_relative
            return f"{member.person.display_name} ({member.get_relationship_display().lower()})"
        return self.institution


class FollowUpVisit(models.Model):
    """One visit of the follow-up plan: due on a date, and once made, what was seen."""

    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="follow_ups")
    hand_over = models.ForeignKey(HandOver, on_delete=models.CASCADE, related_name="visits")
    months_after = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    visited_on = models.DateField(null=True, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    schooling = models.TextField(blank=True)
    health = models.TextField(blank=True)
    psychosocial_support = models.TextField(blank=True)
    concerns = models.TextField(blank=True)
    # The case has ended (closed, or another ending: a final status, never left): its
    # visits not made will never be. Set by `case_ended` (care.signals) and kept only so
    # that the overdue lists skip these visits in their index; they still ask the case.
    case_ended = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The visits made, by day: only these, so that the visits not made are read
            # from the index below, in the order the lists show them.
            models.Index(
                fields=["visited_on", "due_on"],
                name="care_visit_made",
                condition=Q(visited_on__isnull=False),
            ),
            # The visits not made yet, by due day, with their case: what the overdue lists
            # and counts read, a tenth of a registry's visits.
            models.Index(
                fields=["due_on", "id", "case"],
                name="care_visit_not_made",
                condition=Q(visited_on=None),
            ),
            # The same, of the cases not ended: what the overdue lists walk. At 1M children
            # the oldest visits not made are nearly all of ended cases, and a consul's
            # first 50 overdue were found after 13,781 visits (150 ms).
            models.Index(
                fields=["due_on", "id", "case"],
                name="care_visit_due_open",
                condition=Q(visited_on=None, case_ended=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hand_over", "months_after"], name="one_visit_per_interval"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: visit due {self.due_on}"
