"""Partner access: professional-only contact fields appear only for a valid token in scope,
never in public answers or caches."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from api.models import PartnerToken, Scope, hash_token
from tests.api.conftest import results

pytestmark = pytest.mark.django_db

CONTACT_URLS = [
    "/api/v1/contacts/",
    "/api/v1/municipalities/0511/contacts/?role=care-coordinator",
    "/api/v1/changes/",
]


def _contacts(response) -> list[dict]:
    body = response.json()
    rows = body["results"]
    return [r["data"] if "data" in r else r for r in rows if r.get("type", "contact") == "contact"]


@pytest.mark.parametrize("url", CONTACT_URLS)
def test_professional_fields_are_absent_from_public_answers(client, directory, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "+372 5555 0101" not in response.content.decode()
    for contact in _contacts(response):
        assert "direct_phone" not in contact and "duty_phone" not in contact


@pytest.mark.parametrize("url", CONTACT_URLS)
def test_a_token_in_scope_sees_direct_and_duty_phones_and_is_never_cached(
    client, directory, professional_token, url
):
    response = client.get(url, **professional_token.header)
    assert response.status_code == 200
    olga = next(c for c in _contacts(response) if c["name"] == "Olga Petrova")
    assert olga["direct_phone"] == "+372 5555 0101" and olga["duty_phone"] == "+372 5555 0102"
    assert response["Cache-Control"] == "private, no-store"
    assert "Authorization" in response["Vary"]


def test_a_single_contact_shows_professional_fields_only_with_the_token(
    client, directory, professional_token
):
    url = f"/api/v1/contacts/{directory.coordinator.pk}/"
    assert "direct_phone" not in client.get(url).json()
    assert client.get(url, **professional_token.header).json()["direct_phone"] == "+372 5555 0101"


def test_a_token_without_the_scope_sees_only_public_fields(client, directory):
    _token, raw = PartnerToken.issue("Statistics analyst", scopes=[])
    response = client.get("/api/v1/contacts/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert all("direct_phone" not in c for c in results(response))
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "malformed"])
def test_a_bad_token_is_refused_with_401(client, directory, professional_token, state):
    header = professional_token.header["HTTP_AUTHORIZATION"]
    if state == "revoked":
        professional_token.token.revoke()
    elif state == "expired":
        professional_token.token.expires_at = timezone.now() - dt.timedelta(minutes=1)
        professional_token.token.save()
    elif state == "unknown":
        header = "Bearer abi_not-a-real-token"
    else:
        header = "Basic dXNlcjpwYXNz"
    response = client.get("/api/v1/contacts/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Cache-Control"] == "private, no-store"
    assert "+372 5555 0101" not in response.content.decode()


def test_the_token_is_stored_only_as_a_hash_and_its_use_is_recorded(client, directory, professional_token):
    token = PartnerToken.objects.get()
    assert professional_token.raw not in {token.token_hash, token.prefix}
    assert token.token_hash == hash_token(professional_token.raw)
    assert professional_token.raw.startswith(token.prefix)
    assert token.last_used_at is None
    client.get("/api/v1/contacts/", **professional_token.header)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_admin_issues_a_token_shown_once_and_revokes_it(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    response = client.post(
        "/django-admin/api/partnertoken/add/",
        {
            "name": "Narva Hospital discharge planning",
            "contact_email": "it@haigla.example",
            "scopes": [Scope.CONTACTS_PROFESSIONAL],
            "expires_at_0": "",
            "expires_at_1": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    token = PartnerToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    raw = next(word for message in shown for word in message.split() if word.startswith("abi_"))
    assert token.token_hash == hash_token(raw) and token.scopes == [Scope.CONTACTS_PROFESSIONAL]
    assert token.created_by == admin
    assert raw not in client.get(f"/django-admin/api/partnertoken/{token.pk}/change/").content.decode()

    client.post("/django-admin/api/partnertoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/contacts/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_public_municipality_page_never_shows_professional_phones(client, site_tree):
    from directory.models import Municipality, Role
    from tests.factories import ContactPersonFactory

    ContactPersonFactory(
        municipality=Municipality.objects.get(code="narva-linn"),
        role=Role.objects.get(code="care-coordinator"),
        name="Olga Petrova",
        direct_phone="+372 5555 0101",
        duty_phone="+372 5555 0102",
    )
    for lang in ("et", "ru", "en"):
        html = client.get(f"/{lang}/kov/narva-linn/").content.decode()
        assert "Olga Petrova" in html
        assert "5555 0101" not in html and "5555 0102" not in html
