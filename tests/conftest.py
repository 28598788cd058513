import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (et), whatever an earlier test in the same
    process activated: modeltranslation writes plain `title=` to the active language's column."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def flush_lifts_the_price_guard():
    """Between transactional tests Django empties every table; on SQLite that is a DELETE,
    which the price-history trigger refuses for published prices (directory/guards.py).
    PostgreSQL's TRUNCATE does not fire row triggers."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        self.connection.price_guard_off = True
        try:
            return original(self, sql_list)
        finally:
            self.connection.price_guard_off = False

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture
def catalogue(db):
    """The whole reference catalogue, loaded from the project's data files."""
    from directory.catalogue import load_catalogue

    return load_catalogue()


@pytest.fixture
def wagtail_root(db):
    """Wagtail's root page and default locale. Migrations create them, but a transactional
    test (live server, real commits) starts after another one flushed every table."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", title_et="Root"))


@pytest.fixture
def site_tree(catalogue, wagtail_root):
    from portal.site_tree import build_site_tree

    return build_site_tree()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for the whole session; Playwright's sync API allows
    only one running instance per thread."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install -y chromium"
    # Playwright's sync API keeps an event loop running in this thread; Django refuses database
    # work next to a running loop unless told that it is safe — it is: nothing here is async.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches: entries are keyed on the content version, and a test
    database starts counting afresh (possibly at the same frozen time)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
