"""Factories for the domain: each builds a valid object with the fewest arguments."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from directory import models as m


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = m.County
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"county-{n}")
    ehak = factory.Sequence(lambda n: f"{n % 10000:04d}")
    name_et = factory.Sequence(lambda n: f"Maakond {n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = m.Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"vald-{n}")
    ehak = factory.Sequence(lambda n: f"{(n + 5000) % 10000:04d}")
    name_et = factory.Sequence(lambda n: f"Vald {n}")
    kind = "vald"
    county = factory.SubFactory(CountyFactory)


class TierFactory(DjangoModelFactory):
    class Meta:
        model = m.Tier
        django_get_or_create = ("code",)

    code = "additional"
    name_et = "Lisatoetus"


class DomainFactory(DjangoModelFactory):
    class Meta:
        model = m.Domain
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"domain-{n}")
    tier = factory.SubFactory(TierFactory)
    name_et = factory.Sequence(lambda n: f"Valdkond {n}")


class ComponentFactory(DjangoModelFactory):
    class Meta:
        model = m.Component
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"component-{n}")
    tier = factory.SubFactory(TierFactory)
    domain = factory.SubFactory(DomainFactory)
    work_forms = factory.LazyFunction(lambda: ["individual", "group"])
    name_et = factory.Sequence(lambda n: f"Komponent {n}")


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = m.Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"service-{n}")
    organiser = "kov"
    name_et = factory.Sequence(lambda n: f"Teenus {n}")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = m.Unit
        django_get_or_create = ("code",)

    code = "hour"
    name_et = "tund"
    name_en = "hour"


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = m.Role
        django_get_or_create = ("code",)

    code = "social-worker"
    kind = "kov-staff"
    name_et = "KOV sotsiaaltöötaja"


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = m.Provider

    name = factory.Sequence(lambda n: f"MTÜ Abi {n}")
    kind = "ngo"


class OfferFactory(DjangoModelFactory):
    class Meta:
        model = m.Offer

    municipality = factory.SubFactory(MunicipalityFactory)
    component = factory.SubFactory(ComponentFactory)
    provider = factory.SubFactory(ProviderFactory)
    work_forms = factory.LazyFunction(lambda: ["individual"])
    languages = factory.LazyFunction(lambda: ["et"])
    valid_from = dt.date(2020, 1, 1)


class PriceFactory(DjangoModelFactory):
    """A draft price; call .publish() to make it history."""

    class Meta:
        model = m.Price

    offer = factory.SubFactory(OfferFactory)
    unit = factory.SubFactory(UnitFactory)
    price_individual = Decimal("10.00")
    valid_from = dt.date(2024, 1, 1)


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = m.ContactPerson

    municipality = factory.SubFactory(MunicipalityFactory)
    role = factory.SubFactory(RoleFactory)
    name = "Mari Tamm"
    phone = "+372 5123 4567"
    email = "mari.tamm@vald.example"
    languages = factory.LazyFunction(lambda: ["et", "ru"])
    valid_from = dt.date(2020, 1, 1)


def published_price(offer, valid_from, amount, **kwargs):
    return PriceFactory(
        offer=offer, valid_from=valid_from, price_individual=Decimal(amount), **kwargs
    ).publish()


class ServiceLocationFactory(DjangoModelFactory):
    class Meta:
        model = m.ServiceLocation

    provider = factory.SubFactory(ProviderFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    name_et = "Päevakeskus"
    street_address = "Pikk 12"
    settlement = None  # or a name: the settlement of that name in the municipality, made if missing
    postal_code = "74306"
    latitude = 59.3353
    longitude = 25.3364
    phone = "+372 600 1234"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        name = kwargs.get("settlement")
        if isinstance(name, str):
            kwargs["settlement"] = settlement_named(name, kwargs["municipality"], kwargs)
        return super()._create(model_class, *args, **kwargs)


def settlement_named(name, municipality, near):
    found = m.Settlement.objects.filter(municipality=municipality, name=name).first()
    if found is None:
        code = f"T{m.Settlement.objects.filter(code__startswith='T').count():03d}"  # no EHAK code
        found = m.Settlement.objects.create(
            code=code,
            name=name,
            kind="linn",
            municipality=municipality,
            latitude=near.get("latitude", 59.3),
            longitude=near.get("longitude", 25.3),
        )
    return found


class OpeningHoursFactory(DjangoModelFactory):
    class Meta:
        model = m.OpeningHours

    location = factory.SubFactory(ServiceLocationFactory)
    weekday = 0
    opens = dt.time(9, 0)
    closes = dt.time(16, 0)


class EligibilityFactory(DjangoModelFactory):
    class Meta:
        model = m.Eligibility

    offer = factory.SubFactory(OfferFactory)
    description_et = "Abi saab valla elanik, kelle abivajadus on hinnatud."
    needs_assessment_required = True


class HowToApplyFactory(DjangoModelFactory):
    class Meta:
        model = m.HowToApply

    municipality = factory.SubFactory(MunicipalityFactory)
    e_service_url = "https://www.vald.example/e-teenused"
    documents_et = "Taotlus\nIsikut tõendav dokument"
    decided_by_et = "sotsiaalosakond"
    decision_days = 10


class AvailabilityFactory(DjangoModelFactory):
    class Meta:
        model = m.Availability

    offer = factory.SubFactory(OfferFactory)
    capacity = 20
    free_places = 3
    waiting_days = 0
    as_of = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=3))
