"""The background-job runner on its real (database) backend: jobs are queued when the
transaction commits, a failing job is retried with backoff and then shown as failed, and a
job whose worker is killed mid-way is finished by the next worker."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.runner import enqueue_on_commit, run_pending
from tests.jobs import tasks

pytestmark = pytest.mark.django_db


def _results(task):
    return DBTaskResult.objects.filter(task_path=task.module_path)


def test_job_is_queued_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enqueue_on_commit(tasks.flaky, "committed", 0)
            assert not _results(tasks.flaky).exists()
    assert _results(tasks.flaky).get().status == TaskResultStatus.READY

    try:
        with transaction.atomic():
            enqueue_on_commit(tasks.flaky, "rolled back", 0)
            raise RuntimeError
    except RuntimeError:
        pass
    assert _results(tasks.flaky).count() == 1


def test_failing_job_is_retried_with_growing_backoff_then_marked_failed():
    tasks.FAILURES.clear()
    result = tasks.flaky.enqueue("always", 99)
    start = timezone.now()
    assert run_pending() == 1
    row = DBTaskResult.objects.get(pk=result.id)
    # Back in the queue, a minute later, with the error visible meanwhile.
    assert row.status == TaskResultStatus.READY
    assert dt.timedelta(seconds=59) <= row.run_after - start <= dt.timedelta(seconds=70)
    assert "attempt 1 failed" in row.traceback and row.exception_class_path == "builtins.ConnectionError"
    assert run_pending() == 0  # not due yet

    with time_machine.travel(row.run_after + dt.timedelta(seconds=1)):
        assert run_pending() == 1
        row.refresh_from_db()
        assert row.status == TaskResultStatus.READY
        # The second wait is twice the first.
        assert row.run_after - timezone.now() >= dt.timedelta(seconds=119)
    with time_machine.travel(row.run_after + dt.timedelta(seconds=1)):
        assert run_pending() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert len(row.worker_ids) == 3 and "attempt 3 failed" in row.traceback


def test_job_that_fails_once_succeeds_on_retry():
    tasks.FAILURES.clear()
    result = tasks.flaky.enqueue("once", 1)
    run_pending()
    row = DBTaskResult.objects.get(pk=result.id)
    with time_machine.travel(row.run_after + dt.timedelta(seconds=1)):
        run_pending()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == "once ok"


def test_failed_jobs_are_listed_for_administrators(admin_client, client, django_user_model):
    tasks.FAILURES.clear()
    result = tasks.flaky.enqueue("visible", 99)
    run_pending()
    settings_menu = admin_client.get("/admin/").content.decode()
    listing = "/django-admin/django_tasks_database/dbtaskresult/"
    assert listing in settings_menu  # Settings → Background jobs
    page = admin_client.get(listing + "?status__exact=READY")
    assert page.status_code == 200 and "flaky" in page.content.decode()
    detail = admin_client.get(f"{listing}{result.id}/change/").content.decode()
    assert "attempt 1 failed" in detail  # the last error, while the retry waits

    staff = django_user_model.objects.create_user("editor", "e@kov.example", "pw", is_staff=True)
    client.force_login(staff)
    assert listing not in client.get("/admin/").content.decode()


# -- a real worker process, killed mid-job ------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": _database_url(),
        "JOBS_HEARTBEAT_SECONDS": "0.5",
        "JOBS_WORKER_TIMEOUT": "2",
    }
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "run_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _wait_for(condition, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()}")


@pytest.mark.django_db(transaction=True)
def test_job_of_a_killed_worker_completes_after_restart(tmp_path):
    log = tmp_path / "worker.log"
    result = tasks.slow.enqueue(str(tmp_path), 4)
    row = DBTaskResult.objects.filter(pk=result.id)

    first = _start_worker(log)
    try:
        _wait_for(lambda: (tmp_path / "started").exists(), 90, "the job to start", log)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    assert row.get().status == TaskResultStatus.RUNNING
    assert not (tmp_path / "done").exists()

    second = _start_worker(log)
    try:
        _wait_for(lambda: row.get().status == TaskResultStatus.SUCCESSFUL, 120, "the job to finish", log)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(20)
        except subprocess.TimeoutExpired:
            second.kill()
    finished = row.get()
    assert (tmp_path / "done").read_text() == "1"  # finished once, by the second worker
    assert len(finished.worker_ids) == 2 and finished.worker_ids[0] != finished.worker_ids[1]
