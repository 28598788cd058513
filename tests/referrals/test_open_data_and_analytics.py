"""Routes and partner institutions for linked systems: the API (documented in the OpenAPI
schema), the open dataset, the state's analytics page and the journeys' "noticing" steps."""

import pytest

from opendata.datasets import BY_SLUG
from referrals.models import PartnerInstitution, ReferralRoute

pytestmark = pytest.mark.django_db


def test_api_lists_published_routes_with_the_current_contact_in_russian(client, routes):
    response = client.get(
        "/api/v1/referral-routes/", {"municipality": "narva-linn", "partner_kind": "hospital", "lang": "ru"}
    )
    assert response.status_code == 200
    [route] = response.json()["results"]
    assert route["response_days"] == 2 and route["kov_role"] == "social-worker"
    assert route["contact"]["phone"].startswith("+372")
    assert "/ru/professionals/routes/" in route["leaflet_url"]
    assert "согласия" in route["consent_note"]
    assert set(route) >= {
        "channel",
        "channel_url",
        "passes_on",
        "tell_family",
        "valid_from",
        "valid_to",
        "is_demo",
    }


def test_api_partner_register_and_unknown_codes(client, routes):
    response = client.get("/api/v1/partner-institutions/", {"municipality": "johvi-vald", "kind": "hospital"})
    names = [p["name"] for p in response.json()["results"]]
    assert names == ["SA Ida-Viru Keskhaigla"]
    bad = client.get("/api/v1/referral-routes/", {"journey": "no-such-journey", "lang": "ru"})
    assert bad.status_code == 400 and "journey" in bad.json()["errors"]


def test_api_never_shows_a_draft(client, routes):
    route = ReferralRoute.objects.filter(municipality__code="narva-linn").first()
    route.status = "draft"
    route.save()
    assert client.get(f"/api/v1/referral-routes/{route.pk}/").status_code == 404


def test_schema_documents_both_endpoints(client, routes):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    assert {
        "/api/v1/referral-routes/",
        "/api/v1/referral-routes/{id}/",
        "/api/v1/partner-institutions/",
    } <= set(paths)


def test_open_dataset_has_every_public_route(routes):
    dataset = BY_SLUG["referral-routes"]
    rows = list(dataset.rows())
    assert len(rows) == ReferralRoute.objects.public().count()
    by_column = [dict(zip(dataset.columns, row, strict=True)) for row in rows]
    narva = [r for r in by_column if r["municipality_code"] == "narva-linn"]
    assert {r["partner_kind"] for r in narva} >= {"hospital", "police", "unemployment-fund"}
    assert all(r["response_working_days"] > 0 for r in by_column)


def test_analytics_compare_a_county_and_name_the_gaps(client, routes):
    response = client.get("/en/analytics/referral-routes/", {"county": "ida-viru-maakond"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alutaguse Parish" in html.split("No referral route agreed")[-1]  # a gap, named
    assert 'class="q0"' in html and 'class="q4"' in html  # on the map
    assert client.get("/ru/analytics/referral-routes/", {"county": "nowhere"}).status_code == 400


def test_the_journeys_noticing_step_shows_the_chosen_municipalitys_route(client, routes):
    html = client.get("/ru/journeys/elderly-in-need/", {"municipality": "narva-linn"}).content.decode()
    assert "Если вы заметили это как специалист" in html
    assert "в течение 2 рабочих дней" in html
    assert html.count("Если вы заметили это как специалист") == 1
    johvi = client.get(
        "/et/journeys/person-centred-special-care/", {"municipality": "johvi-vald"}
    ).content.decode()
    assert "pole selleks suunamise korda avaldanud" in johvi


def test_partner_register_validates_registry_codes(routes):
    assert PartnerInstitution.objects.exclude(registry_code="").count() >= 5
