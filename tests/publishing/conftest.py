"""Two municipalities (Narva and Tallinn) with offers, prices and contacts, and their staff."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from publishing.permissions import setup_kov_permissions
from publishing.scope import coordinator_group_name, editor_group_name, moderator_group_name
from tests import factories as f


class Kov:
    """A municipality's data for tests: one offer with a published price, one contact."""

    def __init__(self, code: str, name: str, county):
        self.municipality = f.MunicipalityFactory(code=code, name_et=name, county=county)
        self.provider = f.ProviderFactory(
            name=f"{name} sotsiaalosakond", registry_code=f"7{abs(hash(code)) % 10**7:07d}", kind="kov"
        )
        self.offer = f.OfferFactory(
            municipality=self.municipality,
            provider=self.provider,
            last_verified=dt.date(2020, 5, 1),
            notes_et="Märkus",
            notes_ru="Заметка",
        )
        self.price = f.published_price(self.offer, dt.date(2024, 1, 1), "10.00")
        self.contact = f.ContactPersonFactory(
            municipality=self.municipality,
            last_verified=dt.date(2020, 5, 1),
            contact_for_et="Toetused",
            contact_for_ru="Пособия",
        )


def _user(username, *groups, **extra):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username, f"{username}@kov.example", "pw-" + username, **extra
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def kovs(db):
    ida = f.CountyFactory(code="ida-viru", ehak="0045", name_et="Ida-Viru maakond")
    harju = f.CountyFactory(code="harju", ehak="0037", name_et="Harju maakond")
    narva = Kov("narva-linn", "Narva linn", ida)
    tallinn = Kov("tallinn", "Tallinn", harju)
    setup_kov_permissions()
    return {"narva": narva, "tallinn": tallinn}


@pytest.fixture
def narva_editor(kovs):
    return _user("narva-editor", editor_group_name("narva-linn"))


@pytest.fixture
def narva_moderator(kovs):
    return _user("narva-moderator", moderator_group_name("narva-linn"))


@pytest.fixture
def tallinn_editor(kovs):
    return _user("tallinn-editor", editor_group_name("tallinn"))


@pytest.fixture
def ida_coordinator(kovs):
    return _user("ida-coordinator", coordinator_group_name("ida-viru"))


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@kov.example", "pw-root")


@pytest.fixture
def narva_client(client, narva_editor):
    client.force_login(narva_editor)
    return client


@pytest.fixture
def moderator_client(client, narva_moderator):
    client.force_login(narva_moderator)
    return client


@pytest.fixture
def world(kovs):
    """Narva's catalogue and prices as the files in tests/files/imports expect them: home care
    (75012345, 5,50 €/hour from 2024-01-01) and personal support (80012345, 40,00 / 18,00 €/hour)."""
    narva = kovs["narva"].municipality
    hour = f.UnitFactory(code="hour", name_et="tund", name_ru="час", name_en="hour")
    f.UnitFactory(code="month", name_et="kuu")
    own = f.ProviderFactory(name="Narva Linna Sotsiaalabiamet", registry_code="75012345", kind="kov")
    ngo = f.ProviderFactory(name="MTÜ Narva Tugi", registry_code="80012345", kind="ngo")
    home_care = f.ServiceFactory(code="home-care", name_et="Koduteenus")
    f.ServiceFactory(code="support-person", name_et="Tugiisikuteenus")
    personal = f.ComponentFactory(code="personal-support", name_et="Isiklik tugi")
    offer = f.OfferFactory(municipality=narva, component=None, service=home_care, provider=own)
    f.PriceFactory(
        offer=offer, unit=hour, price_individual=Decimal("5.50"), valid_from=dt.date(2024, 1, 1)
    ).publish()
    group = f.OfferFactory(
        municipality=narva, component=personal, provider=ngo, work_forms=["individual", "group"]
    )
    f.PriceFactory(
        offer=group,
        unit=hour,
        price_individual=Decimal("40.00"),
        price_group=Decimal("18.00"),
        valid_from=dt.date(2024, 1, 1),
    ).publish()
    return {"narva": narva, "home_care_offer": offer}


@pytest.fixture
def places(site_tree):
    """Narva's published home-care offer given at a day centre open Monday 9–16; Tallinn's
    location; Narva's editor and moderator."""
    from directory.models import Municipality, Service

    narva = Municipality.objects.get(code="narva-linn")
    tallinn = Municipality.objects.get(code="tallinn")
    offer = f.OfferFactory(municipality=narva, component=None, service=Service.objects.get(code="home-care"))
    f.published_price(offer, dt.date(2024, 1, 1), "6.20")
    location = f.ServiceLocationFactory(
        municipality=narva,
        provider=offer.provider,
        name_et="Narva päevakeskus",
        street_address="Tallinna mnt 6",
        settlement="Narva linn",
        latitude=59.377,
        longitude=28.19,
    )
    location.offers.set([offer])
    f.OpeningHoursFactory(location=location, weekday=0, opens=dt.time(9), closes=dt.time(16))
    elsewhere = f.ServiceLocationFactory(
        municipality=tallinn, name_et="Tallinna keskus", settlement="Tallinn"
    )
    setup_kov_permissions()
    return {
        "offer": offer,
        "location": location,
        "tallinn_location": elsewhere,
        "editor": _user("narva-editor", editor_group_name("narva-linn")),
        "moderator": _user("narva-moderator", moderator_group_name("narva-linn")),
    }
