"""What the follow-up plan does when a case changes in the case services."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from homeward.care.models import FollowUpVisit
from homeward.cases.signals import case_ended


@receiver(case_ended)
def visits_of_an_ended_case(sender: Any, case: Any, **kwargs: Any) -> None:
    """Its visits leave the overdue lists' index (`care_visit_due_open`)."""
    FollowUpVisit.objects.filter(case=case).update(case_ended=True)
