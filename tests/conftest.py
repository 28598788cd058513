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
