"""A rebuild of the open-data files takes seconds. Requests arriving meanwhile get the files it
is replacing at once instead of queueing behind it (under steady publishing each queued request
rebuilt again in turn, and the open-data page held every worker thread: found by bench/fault.py)."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

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

    after = client.get("/open-data/files/prices-history.csv")
    assert b"7.77" in b"".join(after.streaming_content), "the next request after it rebuilds"


@pytest.mark.django_db
def test_with_no_files_yet_a_request_waits_for_the_first_build(client, directory, open_data_root):
    assert export.read_manifest() is None
    page = client.get("/et/open-data/")
    assert page.status_code == 200
    assert export.files_exist(export.read_manifest())
