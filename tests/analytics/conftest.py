"""A small, fully known world for the analytics: two counties, three municipalities, one
component and two statutory services, with offers, prices and contacts made in each test.
Today is frozen at 2026-06-01 so that "in force" and "within 12 months" are fixed."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from tests.factories import (
    ComponentFactory,
    CountyFactory,
    MunicipalityFactory,
    ProviderFactory,
    ServiceFactory,
    UnitFactory,
)

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


@pytest.fixture
def world(db):
    harju = CountyFactory(
        code="harju-maakond", ehak="0037", name_et="Harju maakond", name_ru="Харьюмаа", name_en="Harju County"
    )
    rapla = CountyFactory(
        code="rapla-maakond", ehak="0071", name_et="Rapla maakond", name_ru="Рапламаа", name_en="Rapla County"
    )
    # Centre points: Anija is 30 km from Kose (same county) and Kohila 20 km from Kose (other county).
    kose = MunicipalityFactory(
        code="kose-vald",
        ehak="0338",
        name_et="Kose vald",
        name_en="Kose Parish",
        county=harju,
        latitude=59.18,
        longitude=25.17,
    )
    anija = MunicipalityFactory(
        code="anija-vald",
        ehak="0141",
        name_et="Anija vald",
        name_en="Anija Parish",
        county=harju,
        latitude=59.40,
        longitude=25.45,
    )
    kohila = MunicipalityFactory(
        code="kohila-vald",
        ehak="0317",
        name_et="Kohila vald",
        name_en="Kohila Parish",
        county=rapla,
        latitude=59.17,
        longitude=24.80,
    )
    hour = UnitFactory(code="hour", name_et="tund", name_ru="час", name_en="hour")
    visit = UnitFactory(code="visit", name_et="külastus", name_ru="посещение", name_en="visit")
    support = ComponentFactory(
        code="personal-support",
        name_et="Isiklik tugi",
        name_en="Personal support",
        name_ru="Личная поддержка",
    )
    home_care = ServiceFactory(
        code="home-care", organiser="kov", name_et="Koduteenus", name_en="Home care", name_ru="Услуга на дому"
    )
    childcare = ServiceFactory(
        code="childcare",
        organiser="kov",
        name_et="Lapsehoiuteenus",
        name_en="Childcare",
        name_ru="Услуга по уходу за ребёнком",
    )
    rehab = ServiceFactory(
        code="social-rehabilitation",
        organiser="state",
        name_et="Sotsiaalne rehabilitatsioon",
        name_en="Social rehabilitation",
    )
    providers = [ProviderFactory(name=f"Provider {i}") for i in range(3)]
    return SimpleNamespace(
        harju=harju,
        rapla=rapla,
        kose=kose,
        anija=anija,
        kohila=kohila,
        hour=hour,
        visit=visit,
        support=support,
        home_care=home_care,
        childcare=childcare,
        rehab=rehab,
        providers=providers,
    )
