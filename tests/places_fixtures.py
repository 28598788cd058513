"""The real catalogue with its 4 711 settlements and the page tree, loaded once per test module
and rolled back after it (loading them for every test would take seconds each)."""

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def places_world(django_db_setup, django_db_blocker):
    from directory.catalogue import load_catalogue
    from portal.site_tree import build_site_tree

    with django_db_blocker.unblock(), transaction.atomic():
        load_catalogue()
        build_site_tree()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def places(places_world, db):
    """places_world inside the test's own transaction (changes are undone after each test)."""
    return places_world
