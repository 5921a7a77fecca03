"""A row each running part writes now and then: a write that shows the database takes
writes (the health endpoint, the checks at start)."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    name = models.CharField(max_length=100, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"


class PeriodicRun(models.Model):
    """One periodic job's run for one period (a day, an hour): the row is the claim. Its
    unique (job, period) makes two workers' inserts of one day's run conflict, so one of
    them runs it; a claim whose worker died (not seen for a lease) is taken up by the next,
    by a conditional UPDATE (background.claim_run)."""

    job = models.CharField(max_length=50)
    period = models.CharField(max_length=32)  # "2026-12-07", or an hour "2026-12-07T10:00Z"
    claimed_by = models.CharField(max_length=64, blank=True)  # a MatchingWorker's name
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(null=True)
    result = models.TextField(blank=True)  # the job's summary, or its error
    # A failed run is tried again in its period (periodic.run_job): how many times it was
    # run, and when it may be claimed again (none when it will not be).
    tries = models.PositiveSmallIntegerField(default=1)
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="one_run_per_job_and_period")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
