"""Agencies and the staff who work for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    COORDINATING_AUTHORITY = "coordinating_authority", _("Coordinating authority")
    CONSULAR = "consular", _("Consular section")
    REGIONAL_SERVICE = "regional_service", _("Regional child-protection service")
    NGO = "ngo", _("Non-governmental organisation")
    MEDICAL = "medical", _("Medical service")


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    country = models.CharField(max_length=2, help_text=gettext_lazy("ISO 3166-1 alpha-2 code"))

    class Meta:
        verbose_name_plural = gettext_lazy("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    MEDICAL_OFFICER = "medical_officer", _("Medical officer")
    MISSION_COORDINATOR = "mission_coordinator", _("Mission coordinator")
    ANALYST = "analyst", _("Analyst (aggregate figures only)")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Scope(models.TextChoices):
    """Which cases a user's role reaches, as in the field's reference system."""

    SELF = "self", _("Cases assigned to me")
    AGENCY = "agency", _("My agency's cases")
    ALL = "all", _("All cases")


# Roles that read and change case records; the others never open one.
CASE_ROLES = {Role.CASEWORKER, Role.SUPERVISOR, Role.MISSION_COORDINATOR, Role.MEDICAL_OFFICER}
# Of those, the roles that change the case itself (medical officers record examinations only).
CASE_WRITING_ROLES = {Role.CASEWORKER, Role.SUPERVISOR, Role.MISSION_COORDINATOR}


class StaffProfile(models.Model):
    """What agency a user works for, in what role, and which cases that role reaches."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=30, choices=Role.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.AGENCY)
    # The interface language this user chose with the header's switch; blank: the browser's.
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("", _("as the browser asks")), *settings.LANGUAGES],
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.agency.short_name})"
