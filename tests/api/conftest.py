import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from api.models import PartnerToken, Scope
from directory.models import TargetGroup
from referrals.models import PartnerInstitution, ReferralRoute
from tests.factories import (
    ComponentFactory,
    ContactPersonFactory,
    CountyFactory,
    MunicipalityFactory,
    OfferFactory,
    PriceFactory,
    RoleFactory,
    ServiceFactory,
    published_price,
)


@pytest.fixture(autouse=True)
def fresh_throttle_state():
    """Rate-limit counters live in the cache; every test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def directory(db):
    """Two municipalities in two counties, with offers, a price history and contacts."""
    ida = CountyFactory(code="ida-viru", ehak="0045", name_et="Ida-Viru maakond", name_ru="Ида-Вирумаа")
    tartumaa = CountyFactory(code="tartu", ehak="0079", name_et="Tartu maakond")
    narva = MunicipalityFactory(
        code="narva-linn",
        ehak="0511",
        name_et="Narva linn",
        name_ru="город Нарва",
        name_en="Narva",
        kind="linn",
        county=ida,
    )
    tartu = MunicipalityFactory(
        code="tartu-linn", ehak="0793", name_et="Tartu linn", kind="linn", county=tartumaa
    )
    care = RoleFactory(
        code="care-coordinator",
        name_et="Hoolduskoordinaator",
        name_ru="Координатор по уходу",
        name_en="Care coordinator",
        position=2,
    )
    social = RoleFactory(code="social-worker", name_et="KOV sotsiaaltöötaja", position=1)
    respite = ComponentFactory(
        code="respite-care", name_et="Asendushooldus", name_ru="Временный уход", name_en="Respite care"
    )
    support = ComponentFactory(code="personal-support", name_et="Isiklik abi")
    home_care = ServiceFactory(code="home-care", name_et="Koduteenus", name_en="Home care")

    narva_respite = OfferFactory(municipality=narva, component=respite, languages=["et", "ru"])
    narva_home = OfferFactory(municipality=narva, component=None, service=home_care, languages=["ru"])
    tartu_support = OfferFactory(municipality=tartu, component=support, languages=["et"])
    old = published_price(narva_respite, dt.date(2023, 1, 1), "8.00")
    new = published_price(narva_respite, dt.date(2025, 1, 1), "9.50")
    published_price(narva_home, dt.date(2024, 1, 1), "6.20")
    published_price(tartu_support, dt.date(2024, 6, 1), "15.00")
    draft = PriceFactory(
        offer=narva_respite, valid_from=dt.date(2026, 1, 1), price_individual=Decimal("99.00")
    )

    coordinator = ContactPersonFactory(
        municipality=narva,
        role=care,
        name="Olga Petrova",
        phone="+372 359 9000",
        direct_phone="+372 5555 0101",
        duty_phone="+372 5555 0102",
        languages=["et", "ru"],
    )
    former = ContactPersonFactory(
        municipality=narva,
        role=care,
        name="Jaan Vana",
        valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2023, 12, 31),
        direct_phone="+372 5555 0999",
    )
    tartu_worker = ContactPersonFactory(municipality=tartu, role=social, name="Mari Tamm", languages=["et"])
    hospital = PartnerInstitution.objects.create(
        kind="hospital",
        name_et="SA Narva Haigla",
        name_ru="Нарвская больница",
        registry_code="90004384",
        county=ida,
    )
    hospital.municipalities.add(narva)
    elderly = TargetGroup.objects.create(code="elderly", name_et="Eakad", name_ru="Пожилые")
    route = ReferralRoute.objects.create(
        municipality=narva,
        partner=hospital,
        target_group=elderly,
        kov_role=care,
        channel="e-form",
        channel_name="e-teenused",
        channel_url="https://narva.ee/e-teenused",
        response_days=2,
        tell_family_et="Hoolduskoordinaator helistab teile kahe tööpäeva jooksul.",
        tell_family_ru="Координатор по уходу позвонит вам в течение двух рабочих дней.",
    )
    return SimpleNamespace(
        ida=ida,
        narva=narva,
        tartu=tartu,
        care=care,
        social=social,
        respite=respite,
        support=support,
        home_care=home_care,
        narva_respite=narva_respite,
        narva_home=narva_home,
        tartu_support=tartu_support,
        old_price=old,
        new_price=new,
        draft=draft,
        coordinator=coordinator,
        former=former,
        tartu_worker=tartu_worker,
        hospital=hospital,
        route=route,
    )


@pytest.fixture
def professional_token(db):
    token, raw = PartnerToken.issue("Ida-Viru Central Hospital", [Scope.CONTACTS_PROFESSIONAL])
    return SimpleNamespace(
        token=token,
        raw=raw,
        header={"HTTP_AUTHORIZATION": f"Bearer {raw}"},
        header_http={"Authorization": f"Bearer {raw}"},
    )


def results(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def schemathesis_run(live_server, settings):
    """Runs schemathesis, unmodified, against an OpenAPI document served by the live portal:
    every operation, valid and invalid generated requests (`max_examples` per operation and
    mode, derandomized), with every check schemathesis has — `positive_data_acceptance` replaced
    by `accept(ctx, response, case)`, which knows the portal's documented exceptions — once per
    set of `headers`. Returns the number of operations and the failures."""
    import schemathesis
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import CHECKS, load_all_checks, positive_data_acceptance

    settings.API_THROTTLE_RATES = {"anonymous": "100000/minute", "partner": "100000/minute"}

    def run(path, *, accept, max_examples, headers=({},)):
        schema = schemathesis.openapi.from_url(f"{live_server.url}{path}")
        load_all_checks()
        checks = [c for c in CHECKS.get_all() if c is not positive_data_acceptance] + [accept]
        operations = [result.ok() for result in schema.get_all_operations()]
        failures = []
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @given(case=operation.as_strategy(generation_mode=mode))
                @hypothesis_settings(
                    max_examples=max_examples,
                    deadline=None,
                    derandomize=True,
                    suppress_health_check=list(HealthCheck),
                    database=None,
                )
                def check(case):
                    for extra in headers:
                        case.call_and_validate(checks=checks, headers=extra or None)

                try:
                    check()
                except Unsatisfiable:
                    assert mode == GenerationMode.NEGATIVE, operation.label  # a free string: nothing to break
                except BaseException as error:  # noqa: BLE001  (a FailureGroup: collect every operation's)
                    failures.append(f"{operation.label} {mode.value}: {error}")
        return len(operations), failures

    return run
