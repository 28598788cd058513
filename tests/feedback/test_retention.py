"""Reports are kept only as long as the privacy notice says: purge_old_reports deletes those
received more than FEEDBACK_RETENTION_DAYS ago, e-mail address and all, and nothing newer."""

from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from feedback.models import Report
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def report_received(on: str, municipality, **fields) -> Report:
    with time_machine.travel(on, tick=False):
        return Report.objects.create(
            municipality=municipality, message="Hind on vale.", language="et", **fields
        )


@pytest.fixture
def reports(db):
    narva = MunicipalityFactory(code="narva-linn")
    return {
        "old": report_received("2025-11-01 10:00Z", narva, email="olga@example.ee", status="fixed"),
        "old_open": report_received("2025-12-01 10:00Z", narva, email="ivan@example.ee"),
        "recent": report_received("2026-11-30 10:00Z", narva, email="mari@example.ee"),
    }


@time_machine.travel("2026-12-07 12:00Z", tick=False)
def test_reports_older_than_the_retention_period_are_deleted_with_their_email(settings, reports):
    settings.FEEDBACK_RETENTION_DAYS = 365
    out = StringIO()
    call_command("purge_old_reports", stdout=out)

    assert list(Report.objects.values_list("email", flat=True)) == ["mari@example.ee"]
    assert not Report.objects.filter(email__in=["olga@example.ee", "ivan@example.ee"]).exists()
    assert "deleted 2 report(s)" in out.getvalue()


@time_machine.travel("2026-12-07 12:00Z", tick=False)
def test_a_dry_run_counts_and_deletes_nothing(settings, reports):
    settings.FEEDBACK_RETENTION_DAYS = 365
    out = StringIO()
    call_command("purge_old_reports", "--dry-run", stdout=out)

    assert Report.objects.count() == 3
    assert "would delete 2 report(s)" in out.getvalue()


@time_machine.travel("2026-12-07 12:00Z", tick=False)
def test_the_period_follows_the_setting_and_can_be_overridden(settings, reports):
    settings.FEEDBACK_RETENTION_DAYS = 3650
    call_command("purge_old_reports", stdout=StringIO())
    assert Report.objects.count() == 3

    call_command("purge_old_reports", "--days", "30", stdout=StringIO())
    assert list(Report.objects.values_list("email", flat=True)) == ["mari@example.ee"]

    with pytest.raises(CommandError):
        call_command("purge_old_reports", "--days", "0", stdout=StringIO())


def test_the_default_retention_is_one_year():
    from django.conf import settings

    assert settings.FEEDBACK_RETENTION_DAYS == 365


def test_the_worker_queues_the_purge_once_a_day_by_itself(settings, reports):
    """No cron needed: each worker heartbeat queues the daily purge when none was queued in
    the last 24 hours, and the queued job deletes what the command would."""
    from django_tasks_db.models import DBTaskResult

    from jobs.runner import Heartbeat, queue_periodic, run_pending

    settings.FEEDBACK_RETENTION_DAYS = 365
    path = "feedback.tasks.purge_old_reports"
    assert settings.JOBS_PERIODIC[path] == 24 * 3600

    with time_machine.travel("2026-12-07 12:00Z", tick=False):
        Heartbeat("worker-1").beat()
        assert DBTaskResult.objects.filter(task_path=path).count() == 1
        run_pending()
        assert DBTaskResult.objects.get(task_path=path).status == "SUCCESSFUL"
        assert list(Report.objects.values_list("email", flat=True)) == ["mari@example.ee"]
        assert queue_periodic() == [], "not again the same day"
    with time_machine.travel("2026-12-08 11:00Z", tick=False):
        assert queue_periodic() == []
    with time_machine.travel("2026-12-08 12:01Z", tick=False):
        assert queue_periodic() == [path]
    assert DBTaskResult.objects.filter(task_path=path).count() == 2
