"""How long reports of mistakes are kept: FEEDBACK_RETENTION_DAYS, as the privacy notice
promises. `purge` deletes older ones (e-mail address and all); the worker runs it daily
(`feedback.tasks.purge_old_reports`, listed in JOBS_PERIODIC), `manage.py purge_old_reports`
by hand."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Report


def cutoff(days: int | None = None) -> dt.datetime:
    days = settings.FEEDBACK_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("the retention period must be at least one day")
    return timezone.now() - dt.timedelta(days=days)


def purge(before: dt.datetime, *, dry_run: bool = False) -> int:
    """Delete the reports received before `before`; returns how many (or would be, dry run)."""
    with transaction.atomic():
        old = Report.objects.filter(created_at__lt=before)
        count = old.count()
        if not dry_run:
            old.delete()
    return count
