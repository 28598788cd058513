"""Partner institutions and referral routes refuse what cannot be true, in the model and in the
database alike; the demo data gives the demo municipalities realistic routes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from directory.models import Journey, Municipality, Role
from referrals.demo import load_referral_demo_data
from referrals.models import Channel, PartnerInstitution, ReferralRoute, validate_registry_code

pytestmark = pytest.mark.django_db


def a_route(**fields):
    values = {
        "municipality": Municipality.objects.get(code="narva-linn"),
        "partner_kind": "hospital",
        "journey": Journey.objects.get(code="elderly-in-need"),
        "kov_role": Role.objects.get(code="social-worker"),
        "channel": Channel.PHONE,
        "channel_phone": "+372 359 9000",
        "response_days": 2,
    }
    return ReferralRoute(**(values | fields))


def errors_of(route) -> dict:
    with pytest.raises(ValidationError) as caught:
        route.full_clean()
    return caught.value.message_dict


def test_real_registry_codes_pass_and_a_wrong_check_digit_is_named():
    for code in ("70009770", "70001975", "70008747", "90004527"):
        validate_registry_code(code)
    with pytest.raises(ValidationError, match="70009771"):
        validate_registry_code("70009771")
    with pytest.raises(ValidationError):
        validate_registry_code("7000977")


def test_a_valid_route_passes(catalogue):
    a_route().full_clean()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"valid_from": dt.date(2020, 1, 1), "valid_to": dt.date(2021, 1, 1)}, "valid_to"),
        ({"channel": Channel.E_FORM, "channel_url": "ftp://kov.example/form"}, "channel_url"),
        ({"channel": Channel.E_FORM, "channel_url": "javascript:alert(1)"}, "channel_url"),
        ({"channel": Channel.NATIONAL_SYSTEM, "channel_url": "https://star.example"}, "channel_name"),
        ({"response_days": 0}, "response_days"),
        ({"partner_kind": ""}, "partner_kind"),
        ({"journey": None}, "journey"),
        ({"kov_role": "hospital"}, "kov_role"),
    ],
)
def test_bad_routes_are_refused_with_a_message_on_the_field(catalogue, fields, field):
    if fields.get("kov_role"):
        fields["kov_role"] = Role.objects.get(code=fields["kov_role"])
    assert field in errors_of(a_route(**fields))


def test_the_message_is_in_the_users_language(catalogue):
    with translation.override("ru"):
        message = errors_of(a_route(response_days=0))["response_days"][0]
    assert "рабоч" in message


def test_a_named_partner_must_serve_the_municipality(routes):
    narva_hospital = PartnerInstitution.objects.get(name_et="SA Narva Haigla")
    johvi = Municipality.objects.get(code="johvi-vald")
    assert "partner" in errors_of(a_route(municipality=johvi, partner_kind="", partner=narva_hospital))


@pytest.mark.parametrize(
    "fields",
    [
        {"response_days": 0},
        {"channel": Channel.E_FORM, "channel_url": "ftp://kov.example/form"},
        {"partner_kind": ""},
        {"journey": None},
        {"valid_from": dt.date(2025, 1, 2), "valid_to": dt.date(2025, 1, 1)},
    ],
)
def test_the_database_refuses_them_too(catalogue, fields):
    before = ReferralRoute.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        a_route(**fields).save()
    assert ReferralRoute.objects.count() == before


def test_demo_routes_for_the_demo_municipalities(routes):
    assert routes["routes"] >= 10
    narva = ReferralRoute.objects.public().filter(municipality__code="narva-linn")
    assert narva.filter(partner_kind="hospital", journey__code="elderly-in-need").exists()
    assert all(route.is_demo for route in ReferralRoute.objects.all())
    assert PartnerInstitution.objects.get(name_et="SA Ida-Viru Keskhaigla").registry_code == "90004527"
    route = narva.get(partner_kind="hospital")
    assert route.contact_on() is not None  # Narva's social worker from its own contacts
    route.full_clean()
    # A second run creates nothing new.
    again = load_referral_demo_data()
    assert again["routes"] == 0
