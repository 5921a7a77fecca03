"""The child's case: who the child is, where they are, their family, and every step taken."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency
from homeward.cases.status import FINAL, CaseStatus
from homeward.lib.places import country_name, region_name
from homeward.people.models import Person
from homeward.people.validators import validate_country, validate_region
from homeward.protection.fields import EncryptedFileField, EncryptedTextField, SealedRowModel
from homeward.protection.storage import EncryptedFileSystemStorage


class VisibleCases(models.Manager["ChildCase"]):
    """Cases as everyone sees them: without those an import is still writing (they appear
    all at once when it commits: imports.services.commit)."""

    def get_queryset(self) -> models.QuerySet[ChildCase]:
        return super().get_queryset().exclude(import_batch__in=committing_imports())


def committing_imports() -> models.QuerySet[Any]:
    """The import batches being written now, or waiting for a worker to go on writing
    them (a handful at most, usually none)."""
    batch = apps.get_model("imports", "ImportBatch")
    return batch.objects.filter(status__in=("committing", "to_commit")).values("pk")


class ChildCase(models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    child = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="child_case")
    home_region = models.CharField(
        max_length=6,
        blank=True,
        validators=[validate_region],
        help_text=gettext_lazy("ISO 3166-2 code"),
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    # Changed only by cases.services.transition, which also writes the StatusTransition row.
    status = models.CharField(max_length=30, choices=CaseStatus.choices, editable=False)
    status_since = models.DateField(editable=False)
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="registered_cases",
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Set when a supervisor merged this duplicate into another case (cases.merging).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )
    # The import that created it. While that import is still writing (in chunks, so that
    # pages stay responsive) the case is hidden; it commits by changing its own status.
    import_batch = models.ForeignKey(
        "imports.ImportBatch", null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    objects = VisibleCases()
    # Every row, pending ones too: for the import itself and the database's own checks.
    every = models.Manager()  # noqa: DJ012 (a manager; ruff takes it for a field)

    class Meta:
        ordering = ["reference"]
        indexes = [
            # A list by status reads its cases in reference order and stops at a page.
            models.Index(fields=["status", "reference"], name="cases_status_reference"),
            models.Index(fields=["home_region"]),
            # An agency's latest registrations, which its registration form starts from.
            models.Index(fields=["agency", "registered_at", "id"], name="cases_agency_registered"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.child.display_name}"

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL

    @property
    def home_region_name(self) -> str:
        return region_name(self.home_region) if self.home_region else ""

    def status_on(self, on: date) -> str | None:
        """The status the case had at the end of `on`, rebuilt from its transitions."""
        last = (
            self.transitions.filter(effective_on__lte=on)
            .order_by("-effective_on", "-id")
            .values_list("to_status", flat=True)
            .first()
        )
        return last

    def current_placement(self) -> Placement | None:
        return self.placements.order_by("-since", "-id").first()

    def family_member(self, relationship: str) -> FamilyMember | None:
        return self.family.filter(relationship=relationship).select_related("person").first()


class StatusTransition(models.Model):
    """One move of a case from one status to another: who, when, from, to and why."""

    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=30, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=CaseStatus.choices)
    effective_on = models.DateField(
        help_text=gettext_lazy("The day it happened (may be before it was entered)")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [
            models.Index(fields=["case", "effective_on"]),
            # The cases that reached a status in a period (the statistics' flows), read
            # from the index alone.
            models.Index(
                fields=["to_status", "effective_on", "case"], name="cases_transition_reached"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.case_id}: {self.from_status or '—'} → {self.to_status} on {self.effective_on}"
        )


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GRANDMOTHER = "grandmother", _("Grandmother")
    GRANDFATHER = "grandfather", _("Grandfather")
    AUNT = "aunt", _("Aunt")
    UNCLE = "uncle", _("Uncle")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


PARENTS = (Relationship.MOTHER, Relationship.FATHER)


class MemberStatus(models.TextChoices):
    ALIVE = "alive", _("Alive, at liberty")
    DETAINED = "detained", _("Detained")
    DECEASED = "deceased", _("Deceased")
    MISSING = "missing", _("Missing")
    UNKNOWN = "unknown", _("Unknown")


class Willingness(models.TextChoices):
    UNKNOWN = "unknown", _("Not yet asked")
    WILLING = "willing", _("Willing to take custody")
    UNWILLING = "unwilling", _("Not willing")


class HomeAssessment(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    IN_PROGRESS = "in_progress", _("Assessment in progress")
    SUITABLE = "suitable", _("Suitable")
    SUITABLE_WITH_SUPPORT = "suitable_with_support", _("Suitable with support")
    UNSUITABLE = "unsuitable", _("Unsuitable")


class FamilyMember(SealedRowModel):
    """A person in the child's family, as they relate to this child."""

    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="family")
    # Siblings' cases point at the same mother.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="family_links")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    status = models.CharField(
        max_length=10, choices=MemberStatus.choices, default=MemberStatus.UNKNOWN
    )
    detention_facility = models.CharField(max_length=200, blank=True)
    # Restricted (protection.sensitivity): encrypted at rest, shown only to legal readers.
    conviction = EncryptedTextField(blank=True)
    sentence = EncryptedTextField(blank=True)
    place = models.CharField(
        max_length=200, blank=True, help_text=gettext_lazy("Where they live or were last")
    )
    contact = models.CharField(max_length=200, blank=True)
    willing_to_take_custody = models.CharField(
        max_length=10, choices=Willingness.choices, default=Willingness.UNKNOWN
    )
    home_assessment = models.CharField(
        max_length=25, choices=HomeAssessment.choices, default=HomeAssessment.NOT_ASSESSED
    )
    home_assessed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "relationship"],
                condition=Q(relationship__in=["mother", "father"]),
                name="one_mother_and_one_father_per_case",
            ),
            models.UniqueConstraint(fields=["case", "person"], name="person_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()}: {self.person.display_name}"

    @property
    def is_parent(self) -> bool:
        return self.relationship in PARENTS


class FacilityKind(models.TextChoices):
    DETENTION_WITH_MOTHER = "detention_with_mother", _("In detention with mother")
    STATE_ORPHANAGE = "state_orphanage", _("State orphanage")
    CAMP = "camp", _("Camp")
    HOSPITAL = "hospital", _("Hospital")
    WITH_RELATIVES = "with_relatives", _("With relatives")
    FOSTER_CARE = "foster_care", _("Foster care")
    STATE_CARE = "state_care", _("State care institution")
    # Where a mission's arrival leaves a child until the hand-over (missions.services).
    RECEPTION = "reception", _("Reception on arrival")
    IN_TRANSIT = "in_transit", _("In transit home")
    UNKNOWN = "unknown", _("Unknown")


class Placement(models.Model):
    """Where the child lives from a date on; the latest one is the current placement."""

    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="placements")
    country = models.CharField(max_length=2, validators=[validate_country])
    facility_kind = models.CharField(max_length=30, choices=FacilityKind.choices)
    facility_name = models.CharField(max_length=200, blank=True)
    since = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-since", "-id"]
        indexes = [models.Index(fields=["case", "since"])]

    def __str__(self) -> str:
        return f"{self.get_facility_kind_display()}, {self.country_name} since {self.since}"

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class CaseNote(models.Model):
    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    noted_on = models.DateField(
        default=timezone.localdate, help_text=gettext_lazy("The day the note is about")
    )
    written_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-noted_on", "-written_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.case_id} at {self.written_at:%Y-%m-%d}"


class AttachmentKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    PHOTO = "photo", _("Photo")


def _private_storage() -> FileSystemStorage:
    # Under MEDIA_ROOT in the data directory, which no URL maps to: these files have no
    # public address, only the attachment view serves them, and they are encrypted on disk.
    return EncryptedFileSystemStorage()


def _attachment_path(instance: Attachment, filename: str) -> str:
    # A random name on disk; the original name is kept in the row, never trusted as a path.
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class Attachment(models.Model):
    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    file = EncryptedFileField(upload_to=_attachment_path, storage=_private_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=300, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class ShareKind(models.TextChoices):
    REFERRAL = "referral", _("Referral (the other agency works on the case too)")
    TRANSFER = "transfer", _("Transfer (the other agency takes the case over)")


class ShareStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the other agency")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


class CaseShare(models.Model):
    """A case offered to another agency: only this, once accepted, lets another agency in."""

    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="shares")
    kind = models.CharField(max_length=10, choices=ShareKind.choices)
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="shares_received")
    reason = models.TextField()
    consent = models.TextField(
        help_text=gettext_lazy("The consent this sharing rests on: whose, when, how")
    )
    status = models.CharField(
        max_length=10, choices=ShareStatus.choices, default=ShareStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "to_agency"],
                condition=Q(status__in=["pending", "accepted"], kind="referral"),
                name="one_live_referral_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.case_id} to {self.to_agency}"

    @property
    def is_revocable(self) -> bool:
        """Pending offers and accepted referrals; a completed transfer is the other's now."""
        accepted_referral = self.status == ShareStatus.ACCEPTED and self.kind == ShareKind.REFERRAL
        return self.status == ShareStatus.PENDING or accepted_referral


class DuplicateCandidate(models.Model):
    """Two cases the matching engine thinks are one child registered twice."""

    first = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    explanation = models.JSONField()
    computed_at = models.DateTimeField()
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_duplicate_per_pair"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="pair_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score:.2f})"


class CaseMerge(models.Model):
    """One case folded into another by a supervisor, with what moved, so it can be undone.
    The merged case keeps its own status history and placements, and points at the kept one."""

    kept = models.ForeignKey(ChildCase, on_delete=models.PROTECT, related_name="merges_in")
    merged = models.ForeignKey(ChildCase, on_delete=models.PROTECT, related_name="merges_out")
    reason = models.TextField()
    moved = models.JSONField(help_text=gettext_lazy("Ids of the rows moved or copied, by kind"))
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} into {self.kept_id}"
