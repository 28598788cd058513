"""Background jobs: Django's task framework (the `django-tasks` backport) on its database
backend (`django-tasks-db`), with what that backend leaves to the project:

- **enqueue on commit** — `enqueue_on_commit(task, ...)` queues the job only when the
  transaction that caused it commits (a rolled-back change sends no e-mail);
- **retries with backoff** — a job that raises is put back in the queue, `JOBS_RETRY_BACKOFF`
  seconds later, doubling each time, until it has been tried `JOBS_MAX_ATTEMPTS` times (a
  task may set its own numbers with `@job(attempts=..., backoff=...)`); only then is it
  FAILED. Its last error stays on the row, visible to administrators meanwhile;
- **periodic jobs** — `settings.JOBS_PERIODIC` names jobs the workers queue themselves (task
  path → period in seconds): on each heartbeat a job not queued within its period is queued
  (`queue_periodic`), so a daily job needs no cron entry beside `run_worker`;
- **nothing lost when a worker dies** — each worker writes a heartbeat (`WorkerHeartbeat`)
  from a thread of its own; a job still RUNNING under a worker not seen for
  `JOBS_WORKER_TIMEOUT` seconds is put back in the queue by any live worker (or by the
  next one to start), and counts as an attempt.

A job must therefore be safe to run twice: e-mails are sent once per event and recipient
(notifications.models.Delivery), rebuilds are idempotent."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task, TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int | None = None  # None: settings.JOBS_MAX_ATTEMPTS
    backoff: float | None = None  # seconds before the second attempt; None: JOBS_RETRY_BACKOFF

    def max_attempts(self) -> int:
        return self.attempts or settings.JOBS_MAX_ATTEMPTS

    def delay(self, attempt: int) -> float:
        """Seconds to wait after the `attempt`-th try failed."""
        base = settings.JOBS_RETRY_BACKOFF if self.backoff is None else self.backoff
        return base * 2 ** (attempt - 1)


POLICIES: dict[str, RetryPolicy] = {}


def job(*, attempts: int | None = None, backoff: float | None = None, priority: int = 0) -> Callable:
    """`@job()` makes a function a background task (django_tasks `@task`) with a retry policy."""

    def wrap(func: Callable) -> Task:
        result = task(priority=priority)(func)
        POLICIES[result.module_path] = RetryPolicy(attempts, backoff)
        return result

    return wrap


def policy_for(task_path: str) -> RetryPolicy:
    return POLICIES.get(task_path, RetryPolicy())


def enqueue_on_commit(task_: Task, *args, **kwargs) -> None:
    """Queue the job once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(_enqueue, task_, args, kwargs))


def _enqueue(task_: Task, args, kwargs) -> None:
    try:
        task_.enqueue(*args, **kwargs)
    except Exception:  # noqa: BLE001 - the change is committed; a lost job is logged, not a 500
        logger.exception("Could not enqueue %s", task_.module_path)


def is_pending(task_: Task) -> bool:
    """Whether a run of this job waits in its queue (not yet started)."""
    waiting = DBTaskResult.objects.filter(task_path=task_.module_path, status=TaskResultStatus.READY)
    return waiting.filter(queue_name=task_.queue_name).exists()


# -- retries ------------------------------------------------------------------------------


def _record_error(exc: BaseException) -> dict:
    from traceback import format_exception

    return {
        "exception_class_path": f"{type(exc).__module__}.{type(exc).__qualname__}",
        "traceback": "".join(format_exception(exc)),
    }


def retry_later(result: DBTaskResult, exc: BaseException) -> bool:
    """Put a failed job back in the queue if it has attempts left; True if it was."""
    attempts = len(result.worker_ids)
    policy = policy_for(result.task_path)
    if attempts >= policy.max_attempts():
        return False
    run_after = timezone.now() + dt.timedelta(seconds=policy.delay(attempts))
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None, **_record_error(exc)
    )
    logger.warning(
        "Job %s (%s) failed on attempt %s; next try at %s",
        result.pk,
        result.task_path,
        attempts,
        run_after.isoformat(timespec="seconds"),
    )
    return True


# -- workers that die ---------------------------------------------------------------------


class WorkerLost(Exception):
    """The worker running a job stopped (killed, crashed, machine lost) before it finished."""


def recover_abandoned(now: dt.datetime | None = None) -> int:
    """Put back in the queue the jobs whose worker stopped beating; returns how many. A job
    out of attempts is marked FAILED instead (with WorkerLost as its error)."""
    now = now or timezone.now()
    timeout = dt.timedelta(seconds=settings.JOBS_WORKER_TIMEOUT)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - timeout).values_list("worker_id", flat=True)
    )
    recovered = 0
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "task_path", "started_at"):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        if result.started_at and result.started_at >= now - timeout:
            continue  # claimed just now by a worker whose first heartbeat is on its way
        lost = WorkerLost(f"worker {result.worker_ids[-1] if result.worker_ids else '?'} stopped")
        running = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
        if len(result.worker_ids) < policy_for(result.task_path).max_attempts():
            changed = running.update(status=TaskResultStatus.READY, run_after=now, **_record_error(lost))
        else:
            changed = running.update(status=TaskResultStatus.FAILED, finished_at=now, **_record_error(lost))
        recovered += changed
        if changed:
            logger.warning("Job %s (%s): its worker stopped; %s", result.pk, result.task_path, lost)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()
    return recovered


def queue_periodic(now: dt.datetime | None = None) -> list[str]:
    """Queue each job of JOBS_PERIODIC that was not queued within its period; returns their
    paths. Two workers may both queue one at the same moment: periodic jobs are idempotent."""
    now = now or timezone.now()
    queued = []
    for path, seconds in settings.JOBS_PERIODIC.items():
        recent = DBTaskResult.objects.filter(
            task_path=path, enqueued_at__gte=now - dt.timedelta(seconds=seconds)
        )
        if not recent.exists():
            import_string(path).enqueue()
            queued.append(path)
    return queued


class Heartbeat(threading.Thread):
    """Tells the other workers this one is alive, and recovers the jobs of those that are not."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def beat(self) -> None:
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "seen_at": timezone.now(),
                    "hostname": socket.gethostname()[:255],
                    "pid": os.getpid(),
                },
            )
            recover_abandoned()
            queue_periodic()
        except DatabaseError:
            logger.exception("Worker heartbeat failed; trying again")

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.JOBS_HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


class Worker(db_worker.Worker):
    """django_tasks_db's worker, with retries and a heartbeat."""

    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.beat()  # first beat (and recovery) before taking any job
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            self.running_task = True
            task_ = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task_.get_backend())
        except (ImportError, SuspiciousOperation) as exc:
            db_task_result.set_failed(exc)
            logger.exception("Job %s names no task it can run", db_task_result.pk)
            self.running_task = False
            self._run_tasks += 1
            return
        try:
            task_started.send(sender=backend_type, task_result=task_result)
            if task_.takes_context:
                value = task_.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task_.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (KeyboardInterrupt, SystemExit):
            # Stopped by force mid-job: another worker (or this one, restarted) runs it again.
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                status=TaskResultStatus.READY, run_after=timezone.now()
            )
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of a job is recorded on it
            if not retry_later(db_task_result, exc):
                db_task_result.set_failed(exc)
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1


def run_pending(max_tasks: int | None = None) -> int:
    """Run the jobs that are due now, here in this process, and return how many ran (tests;
    the same claiming and retry rules as `run_worker`, without its connection handling)."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"inline-{os.getpid()}-{threading.get_ident()}"[:64],
        excluded_queue_names=[],
    )
    while max_tasks is None or worker._run_tasks < max_tasks:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        with exclusive_transaction(ready.db):
            result = ready.get_locked()
            if result is not None:
                result.claim(worker.worker_id)
        if result is None:
            break
        worker.run_task(result)
    return worker._run_tasks
