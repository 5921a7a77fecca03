"""Tracing requests: relatives at home looking for children (or their mothers) abroad."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency
from homeward.lib.scripts import join_keys, search_key
from homeward.people.models import Person


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class TracingRequest(models.Model):
    """Filed by (or for) an enquirer; one SoughtPerson per person they look for."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tracing_requests")
    enquirer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enquiries")
    enquirer_relationship = models.CharField(
        max_length=100, help_text=gettext_lazy("How the enquirer is related to the people sought")
    )
    enquirer_contact = models.CharField(max_length=200, blank=True)
    enquirer_place = models.CharField(max_length=200, blank=True)
    # The story of the separation: who left, when, to where.
    who_left = models.CharField(max_length=300, blank=True)
    left_on = models.CharField(
        max_length=40, blank=True, help_text=gettext_lazy("As precise as known")
    )
    left_for = models.CharField(max_length=200, blank=True)
    story = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default="open")
    closed_reason = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
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
    CHILD = "child", _("Child")
    MOTHER = "mother", _("Mother")
    OTHER = "other", _("Other relative")


def join_variants(names: Iterable[str]) -> str:
    """Spellings of one name as one field stores them: trimmed, blanks left out, " | "
    between (a sought person's parents' names)."""
    return " | ".join(name.strip() for name in names if name.strip())


def split_variants(text: str) -> list[str]:
    """The spellings `join_variants` stored."""
    return [name.strip() for name in text.split("|") if name.strip()]


class SoughtPerson(models.Model):
    """One person the enquirer looks for: names, sex and age as they know them."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="sought")
    kind = models.CharField(max_length=10, choices=SoughtKind.choices)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="sought_as")
    mother_names = models.CharField(
        max_length=400, blank=True, help_text=gettext_lazy("Variants, | between")
    )
    father_names = models.CharField(
        max_length=400, blank=True, help_text=gettext_lazy("Variants, | between")
    )
    last_known_place = models.CharField(max_length=200, blank=True)
    # The parents' names in lower-case Latin letters, so a search in one script finds a
    # request known only by the mother's name written in another (as PersonName.search_key).
    parents_search_key = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} sought in {self.request.reference}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.parents_search_key = parents_search_key(self.mother_names, self.father_names)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def parents_search_key(mother_names: str, father_names: str) -> str:
    """What `SoughtPerson.save` derives from the parents' names (an import's bulk insert
    stores the same)."""
    parents = (*split_variants(mother_names), *split_variants(father_names))
    return join_keys(search_key(name) for name in parents)


class MatchCandidate(models.Model):
    """A child the matching engine proposes for a sought person, with its reasons. Kept
    until a caseworker decides or the engine stops proposing it."""

    sought = models.ForeignKey(SoughtPerson, on_delete=models.CASCADE, related_name="candidates")
    case = models.ForeignKey(
        "cases.ChildCase", on_delete=models.CASCADE, related_name="tracing_candidates"
    )
    # When a mother or another relative is sought, the one of the case's family proposed.
    relative = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(
        help_text=gettext_lazy("Probability (0 to 1) that both are one person")
    )
    match_weight = models.FloatField()
    explanation = models.JSONField(help_text=gettext_lazy("Per field: level, weight, outcome"))
    explanation_text = models.TextField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-score", "id"]
        # Best first: the dashboard's ten proposals to review are read in this order, and
        # the reading stops at the tenth still open.
        indexes = [models.Index(fields=["-score", "id"], name="tracing_candidate_best")]
        constraints = [
            models.UniqueConstraint(fields=["sought", "case"], name="one_candidate_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.sought_id} ~ {self.case_id} ({self.score:.2f})"


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class MatchDecision(models.Model):
    """A caseworker's word on a proposed pair: never proposed again either way."""

    sought = models.ForeignKey(SoughtPerson, on_delete=models.CASCADE, related_name="decisions")
    case = models.ForeignKey(
        "cases.ChildCase", on_delete=models.CASCADE, related_name="tracing_decisions"
    )
    # When a mother or another relative was proposed, the one decided on.
    relative = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    score_when_decided = models.FloatField()
    reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(fields=["sought", "case"], name="one_decision_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.sought_id} ~ {self.case_id}: {self.decision}"


class MatchingWork(models.Model):
    """A record whose candidates must be worked out again; `homeward match` claims these
    rows atomically, so that two workers never do the same one. A claim holds while its
    worker lives (MatchingWorker)."""

    class Kind(models.TextChoices):
        SOUGHT = "sought", _("Sought person")
        CASE = "case", _("Child's case")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["claimed_at", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class MatchingWorker(models.Model):
    """A running matcher (`homeward match`, or a server's matching thread). It renews
    `seen_at` while it lives; the work it claimed is free again once it has not been seen
    for a lease (tracing.matching.lease), so a killed worker stalls nothing for long."""

    name = models.CharField(max_length=40, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.name})"
