"""The open-data rebuild as a background job, and the one place that asks for it."""

from django.conf import settings

from jobs.runner import is_pending, job

from . import export


@job(attempts=3, backoff=30)
def rebuild_open_data() -> str:
    return export.rebuild_if_stale()["generated_at"]


def request_rebuild() -> None:
    """Queue a rebuild unless one already waits (called when a request finds the files stale;
    the job itself does nothing if another build made them current meanwhile)."""
    task = rebuild_open_data.using(queue_name=settings.OPEN_DATA_QUEUE)
    if not is_pending(task):
        task.enqueue()
