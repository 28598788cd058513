"""Small worlds for the public pages, built with the shared factories: a few municipalities
with coordinates, a slice of the catalogue, offers with published prices, contacts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from directory import models as m
from portal.site_tree import build_site_tree
from tests.factories import (
    ComponentFactory,
    ContactPersonFactory,
    CountyFactory,
    DomainFactory,
    MunicipalityFactory,
    OfferFactory,
    PriceFactory,
    ProviderFactory,
    RoleFactory,
    ServiceFactory,
    TierFactory,
    UnitFactory,
)

LAST_YEAR = dt.date.today().replace(month=1, day=1) - dt.timedelta(days=365)
THIS_YEAR = dt.date.today().replace(month=1, day=1)


def county(code: str, name: str, **names) -> m.County:
    return CountyFactory(code=code, name_et=name, **names)


def kov(code: str, name: str, county_obj: m.County, lat: float, lon: float, **names) -> m.Municipality:
    return MunicipalityFactory(
        code=code, name_et=name, county=county_obj, latitude=lat, longitude=lon, **names
    )


def price(
    offer: m.Offer,
    amount: str,
    valid_from: dt.date = THIS_YEAR,
    unit: m.Unit | None = None,
    group: str | None = None,
    **kwargs,
) -> m.Price:
    return PriceFactory(
        offer=offer,
        unit=unit or UnitFactory(),
        price_individual=Decimal(amount) if amount is not None else None,
        price_group=Decimal(group) if group is not None else None,
        valid_from=valid_from,
        **kwargs,
    ).publish()


class World:
    """Ida-Viru with Narva and Narva-Jõesuu (close), Jõhvi (same county, farther) and, across
    the county line, a Lääne-Viru parish that is nearer to Jõhvi than Narva is."""

    def __init__(self):
        self.ida = county("ida-viru", "Ida-Viru maakond", name_ru="Ида-Вирумаа", name_en="Ida-Viru County")
        self.laane = county(
            "laane-viru", "Lääne-Viru maakond", name_ru="Ляэне-Вирумаа", name_en="Lääne-Viru County"
        )
        self.narva = kov(
            "narva-linn", "Narva linn", self.ida, 59.377, 28.190, name_ru="город Нарва", name_en="Narva"
        )
        self.joesuu = kov(
            "narva-joesuu-linn",
            "Narva-Jõesuu linn",
            self.ida,
            59.45,
            28.04,
            name_ru="город Нарва-Йыэсуу",
            name_en="Narva-Jõesuu",
        )
        self.johvi = kov(
            "johvi-vald",
            "Jõhvi vald",
            self.ida,
            59.359,
            27.421,
            name_ru="волость Йыхви",
            name_en="Jõhvi Parish",
        )
        self.vinni = kov(
            "vinni-vald",
            "Vinni vald",
            self.laane,
            59.29,
            26.43,
            name_ru="волость Винни",
            name_en="Vinni Parish",
        )
        self.base = TierFactory(
            code="base", name_et="Baastoetus", name_ru="Базовая поддержка", name_en="Base support"
        )
        self.additional = TierFactory(
            code="additional",
            name_et="Lisatoetus",
            name_ru="Дополнительная поддержка",
            name_en="Additional support",
        )
        self.planning = DomainFactory(
            code="planning",
            tier=self.base,
            position=1,
            name_et="Teenuse planeerimine",
            name_ru="Планирование услуги",
            name_en="Service planning",
        )
        self.family = DomainFactory(
            code="family",
            tier=self.additional,
            position=3,
            name_et="Pere toetamine",
            name_ru="Поддержка семьи",
            name_en="Family support",
        )
        self.hour = UnitFactory(code="hour", name_et="tund", name_ru="час", name_en="hour")
        self.visit = UnitFactory(code="visit", name_et="külastus", name_ru="визит", name_en="visit")
        self.planning_component = ComponentFactory(
            code="service-planning",
            tier=self.base,
            domain=self.planning,
            position=1,
            name_et="Teenuse planeerimine",
            name_ru="Планирование услуги",
            name_en="Service planning",
            summary_et="Tegevusplaan koos inimesega.",
            summary_en="An action plan made with the person.",
            includes_et=["tegevusplaani koostamine"],
            includes_ru=["составление плана действий"],
        )
        self.respite = ComponentFactory(
            code="respite-for-family",
            tier=self.additional,
            domain=self.family,
            position=5,
            name_et="Lähedaste hoolduskoormuse leevendamine",
            name_ru="Временный уход (передышка)",
            name_en="Respite for the family",
        )
        self.counselling = ComponentFactory(
            code="family-counselling",
            tier=self.additional,
            domain=self.family,
            position=4,
            name_et="Pere nõustamine",
            name_ru="Консультирование семьи",
            name_en="Family counselling",
        )
        self.home_care = ServiceFactory(
            code="home-care", name_et="Koduteenus", name_ru="Услуга помощи на дому", name_en="Home care"
        )
        self.social_worker = RoleFactory(
            code="social-worker",
            name_et="KOV sotsiaaltöötaja",
            name_ru="Социальный работник самоуправления",
            name_en="Municipal social worker",
            position=1,
        )
        self.provider = ProviderFactory(name="MTÜ Narva Abi")

    def offer(self, municipality, item, amount="10.00", provider=None, unit=None, group=None, **kwargs):
        items = {"component": None, "service": None}
        items["service" if isinstance(item, m.Service) else "component"] = item
        offer = OfferFactory(municipality=municipality, provider=provider or self.provider, **items, **kwargs)
        if amount is not None or group is not None:
            price(offer, amount, unit=unit or self.hour, group=group)
        return offer

    def contact(self, municipality, name="Olga Petrova", role=None, **kwargs):
        return ContactPersonFactory(
            municipality=municipality, role=role or self.social_worker, name=name, **kwargs
        )

    def build_pages(self):
        build_site_tree()
        return self


def grow(world: World, municipality, count: int) -> None:
    """`count` more offers with prices and a contact each, to check query counts do not grow."""
    for n in range(count):
        provider = ProviderFactory(name=f"Provider {n}")
        world.offer(
            municipality,
            [world.respite, world.counselling, world.home_care][n % 3],
            amount=f"{10 + n}.00",
            provider=provider,
            group=f"{5 + n}.00",
        )
        world.contact(municipality, name=f"Contact {n}")
