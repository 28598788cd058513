"""A rebuild of the open-data files takes seconds. It runs as a background job; requests get
the files it is replacing at once instead of waiting for it (under steady publishing each
waiting request rebuilt again in turn, and the open-data page held every worker thread: found
by bench/fault.py)."""

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.runner import run_pending
from opendata import export
from tests.factories import published_price


def in_another_thread(function):
    def run():
        try:
            return function()
        finally:
            connections.close_all()

    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(run).result(timeout=30)  # a request stuck behind the lock fails here
    finally:
        pool.shutdown(wait=False)


@pytest.mark.django_db(transaction=True)  # real commits: the data version moves on commit
def test_while_files_are_rebuilt_other_requests_get_the_previous_files_at_once(
    client, directory, open_data_root
):
    before = export.ensure_fresh()
    published_price(directory.tartu_support, dt.date(2025, 6, 1), "7.77")

    with export.build_lock(open_data_root) as held:  # a rebuild in progress elsewhere
        assert held
        served = in_another_thread(export.ensure_fresh)
        assert served == before
        download = client.get("/open-data/files/prices-history.csv")
        assert download.status_code == 200
        assert b"7.77" not in b"".join(download.streaming_content)

    run_pending()  # the worker
    after = client.get("/open-data/files/prices-history.csv")
    assert b"7.77" in b"".join(after.streaming_content), "the next request after the job rebuilt"


@pytest.mark.django_db(transaction=True)
def test_a_request_never_waits_for_a_slow_rebuild(client, directory, open_data_root, monkeypatch):
    export.ensure_fresh()
    published_price(directory.tartu_support, dt.date(2025, 6, 1), "7.77")
    build = export.export_all

    def slow_build(*args, **kwargs):
        time.sleep(3)
        return build(*args, **kwargs)

    monkeypatch.setattr(export, "export_all", slow_build)
    for _ in range(3):
        started = time.monotonic()
        page = client.get("/et/open-data/")
        download = client.get("/open-data/files/prices-history.csv")
        assert time.monotonic() - started < 1
        assert page.status_code == 200 and b"7.77" not in b"".join(download.streaming_content)
    # One rebuild is queued however many requests found the files stale.
    jobs = DBTaskResult.objects.filter(task_path="opendata.tasks.rebuild_open_data")
    assert jobs.count() == 1 and jobs.get().status == TaskResultStatus.READY
    run_pending()
    assert jobs.get().status == TaskResultStatus.SUCCESSFUL
    assert b"7.77" in b"".join(client.get("/open-data/files/prices-history.csv").streaming_content)


@pytest.mark.django_db
def test_with_no_files_yet_a_request_waits_for_the_first_build(client, directory, open_data_root):
    assert export.read_manifest() is None
    page = client.get("/et/open-data/")
    assert page.status_code == 200
    assert export.files_exist(export.read_manifest())
