"""Background jobs of the feedback app (jobs.runner)."""

from jobs.runner import job

from . import retention


@job()
def purge_old_reports() -> int:
    """Daily (settings.JOBS_PERIODIC): delete reports older than the retention period."""
    return retention.purge(retention.cutoff())
