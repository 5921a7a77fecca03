"""Custody rules of host countries, kept as data, and the alerts they raise for a child."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from homeward.cases.models import ChildCase, FacilityKind
from homeward.lib.places import UnknownPlaceError, country_name
from homeward.people.validators import validate_country


class CustodyRule(models.Model):
    """ "In <country>, a child may stay <where> until the <n>th birthday; then <action>."

    Administrators edit these (Django admin) without a code change; each keeps its source and
    the date it holds from, so an evaluation on a past day uses the rule of that day."""

    host_country = models.CharField(max_length=2, validators=[validate_country])
    facility_kind = models.CharField(
        max_length=30,
        choices=FacilityKind.choices,
        default=FacilityKind.DETENTION_WITH_MOTHER,
        help_text=gettext_lazy("The placement the rule limits"),
    )
    age_limit_years = models.PositiveSmallIntegerField(
        help_text=gettext_lazy("The birthday by which the child must leave that placement")
    )
    action = models.CharField(
        max_length=300,
        help_text=gettext_lazy("What must happen, e.g. placed with relatives or in state care"),
    )
    warning_days = models.PositiveSmallIntegerField(
        default=60, help_text=gettext_lazy("How long before the birthday the alert is raised")
    )
    source = models.CharField(max_length=500, help_text=gettext_lazy("Where the rule comes from"))
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["host_country", "valid_from"]

    def __str__(self) -> str:
        try:
            country = country_name(self.host_country)
        except UnknownPlaceError:
            country = self.host_country
        return _("%(country)s: %(placement)s until age %(years)s") % {
            "country": country,
            "placement": self.get_facility_kind_display().lower(),
            "years": self.age_limit_years,
        }


class AlertKind(models.TextChoices):
    DUE = "due", _("Limit within the warning period")
    PAST = "past", _("Past the limit")
    UNCERTAIN = "uncertain", _("Age range straddles the limit")


class RuleAlert(models.Model):
    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="rule_alerts")
    rule = models.ForeignKey(CustodyRule, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    # The child reaches the limit between these days (one day when the birth date is exact;
    # none when nothing at all is known of the birth).
    limit_earliest = models.DateField(null=True, blank=True)
    limit_latest = models.DateField(null=True, blank=True)
    message = models.TextField()
    raised_on = models.DateField()
    evaluated_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(blank=True, help_text=gettext_lazy("The action taken"))

    class Meta:
        ordering = ["limit_earliest", "id"]
        indexes = [
            # The alerts resolved, by day: only these (the open ones are below).
            models.Index(
                fields=["resolved_on", "raised_on"],
                name="rules_alert_resolved",
                condition=Q(resolved_on__isnull=False),
            ),
            # The open alerts, in the dashboard's order, with what its counts read: a few
            # thousand of a registry's alerts, found without reading the others.
            models.Index(
                fields=["limit_earliest", "id", "raised_on", "case"],
                name="rules_alert_open",
                condition=Q(resolved_on=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()}"

    @property
    def sentence(self) -> str:
        """The alert in the reader's language (the stored `message` is the record's)."""
        from homeward.rules.wording import alert_sentence

        return alert_sentence(
            self.kind, self.limit_earliest, self.limit_latest, self.rule.age_limit_years,
            self.evaluated_on,
        )  # fmt: skip
