"""The real catalogue and page tree, demo offers and contacts for Jõhvi, Narva and Tallinn, the
KOV staff groups and the demo referral routes — loaded once per test module and rolled back
after it (loading the 4 711 settlements for every test would take seconds each)."""

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def routes_world(django_db_setup, django_db_blocker):
    from directory.catalogue import load_catalogue
    from directory.demo import load_demo_data
    from portal.site_tree import build_site_tree
    from publishing.permissions import setup_kov_permissions
    from referrals.demo import load_referral_demo_data

    with django_db_blocker.unblock(), transaction.atomic():
        load_catalogue()
        build_site_tree()
        setup_kov_permissions()
        load_demo_data(["johvi-vald", "narva-linn", "tallinn"])
        counts = load_referral_demo_data()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def routes(routes_world, db):
    """routes_world inside the test's own transaction (changes are undone after each test)."""
    return routes_world


@pytest.fixture
def catalogue(routes):
    return routes
