"""One headless Chromium (Debian's) for the whole session, and a realistic small site served by
pytest-django's live server: the real catalogue, the page tree and a few offers and contacts."""

import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = ROOT / "test-artefacts"


@pytest.fixture
def site(transactional_db, live_server):
    """Narva with offers (one note only in Estonian), a withdrawn price, contacts; all demo."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    from directory.catalogue import load_catalogue
    from directory.models import Component, Municipality, Role, Service
    from portal.site_tree import build_site_tree
    from tests.factories import ContactPersonFactory, OfferFactory, ProviderFactory, published_price

    # A transactional test starts from empty tables: put back what Wagtail's migrations made.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", title_et="Root"))
    load_catalogue()
    build_site_tree()
    narva = Municipality.objects.get(code="narva-linn")
    provider = ProviderFactory(name="SA Narva Hoolekandekeskus", is_demo=True)
    offers = []
    for n, component in enumerate(Component.objects.order_by("position")[:4]):
        offer = OfferFactory(
            municipality=narva,
            component=component,
            provider=provider,
            is_demo=True,
            notes_et="Ainult tööpäeviti." if n == 0 else "",
            last_verified=dt.date(2026, 1, 15),
        )
        published_price(offer, "2024-01-01", f"{40 + n}.00")
        published_price(offer, "2025-01-01", f"{42 + n}.50")
        offers.append(offer)
    home_care = OfferFactory(
        municipality=narva,
        component=None,
        service=Service.objects.get(code="home-care"),
        provider=provider,
        is_demo=True,
    )
    published_price(home_care, "2025-01-01", "6.20")
    for code, name in (("social-worker", "Olga Petrova"), ("care-coordinator", "Jelena Ivanova")):
        ContactPersonFactory(
            municipality=narva,
            role=Role.objects.get(code=code),
            name=name,
            is_demo=True,
            reception_hours_et="E ja K 9–12",
            reception_hours_ru="Пн и ср 9–12",
            reception_hours_en="Mon and Wed 9–12",
            phone="+372 359 9000",
            email="olga.petrova@narva.example",
        )
    return {"url": live_server.url, "offer": offers[0], "component": offers[0].component.code}
