"""What the background-job runner keeps besides the queue itself (django_tasks_db's
DBTaskResult): which workers are alive, so that a job whose worker died is run again."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running worker process (`manage.py run_worker`). It refreshes `seen_at` every few
    seconds from a thread of its own, also while a long job runs; a job still marked running
    by a worker not seen for `JOBS_WORKER_TIMEOUT` seconds is put back in the queue."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
