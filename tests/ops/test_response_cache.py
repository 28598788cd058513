"""Anonymous public pages and API reads are served from the cache until the data they show is
changed; then the very next request shows the change. Never cached: logged-in users, requests
with credentials, the admin, pages carrying a CSRF token."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from directory import content_version
from directory.models import Municipality, Service
from search.models import SearchLog
from tests.factories import OfferFactory, published_price

pytestmark = pytest.mark.django_db

PAGE = "/et/kov/narva-linn/"


@pytest.fixture
def narva_offer(site_tree):
    narva = Municipality.objects.get(code="narva-linn")
    offer = OfferFactory(municipality=narva, component=None, service=Service.objects.get(code="home-care"))
    published_price(offer, dt.date(2024, 1, 1), "6.20")
    return offer


def shows(response, amount: str) -> bool:
    html = response.content.decode()
    return amount in html or amount.replace(".", ",") in html


# Invalidation runs on commit, so these tests commit for real (transaction=True); the
# serialized rollback brings back the Wagtail root page that the flush afterwards removes.
@pytest.mark.django_db(transaction=True)
def test_a_published_price_is_visible_on_the_very_next_request(client, response_cache, narva_offer):
    first = client.get(PAGE)
    assert first["X-Cache"] == "MISS" and shows(first, "6.20")
    second = client.get(PAGE)
    assert second["X-Cache"] == "HIT" and shows(second, "6.20")

    published_price(narva_offer, dt.date(2025, 1, 1), "7.45")

    third = client.get(PAGE)
    assert third["X-Cache"] == "MISS"
    assert shows(third, "7.45") and not shows(third, "6.20")
    assert client.get(PAGE)["X-Cache"] == "HIT"


@pytest.mark.django_db(transaction=True)
def test_redis_backed_cache_shows_a_published_price_at_once(client, redis_response_cache, narva_offer):
    assert client.get(PAGE)["X-Cache"] == "MISS"
    hit = client.get(PAGE)
    assert hit["X-Cache"] == "HIT" and shows(hit, "6.20")
    assert redis_response_cache.keys("ops:page:*"), "the entries live in Redis"

    published_price(narva_offer, dt.date(2025, 1, 1), "7.45")

    fresh = client.get(PAGE)
    assert shows(fresh, "7.45") and not shows(fresh, "6.20")


def test_a_release_that_renders_pages_differently_is_never_served_the_pages_stored_before_it(
    client, response_cache, narva_offer, tmp_path
):
    from ops import release

    assert client.get(PAGE)["X-Cache"] == "MISS" and client.get(PAGE)["X-Cache"] == "HIT"
    template = tmp_path / "portal" / "templates" / "pages" / "municipality.html"
    template.parent.mkdir(parents=True)
    template.write_text("<h1>{{ page.title }}</h1>")
    deployed = release.digest([tmp_path])
    template.write_text("<h1 class='call-first'>{{ page.title }}</h1>")
    assert release.digest([tmp_path]) != deployed, "a changed template is a new release"

    release.current.cache_clear()  # what a new worker process computes once, on its first read
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(release, "project_folders", lambda: [tmp_path])
            assert client.get(PAGE)["X-Cache"] == "MISS", "the new release starts from an empty cache"
            assert client.get(PAGE)["X-Cache"] == "HIT"
    finally:
        release.current.cache_clear()
    assert client.get(PAGE)["X-Cache"] == "HIT", "the release that is running again finds its own"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_invalidates_nothing(client, response_cache, narva_offer):
    client.get(PAGE)
    version = content_version.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        published_price(narva_offer, dt.date(2025, 1, 1), "7.45")
        raise RuntimeError("editor's save failed")
    assert content_version.current() == version
    assert client.get(PAGE)["X-Cache"] == "HIT"


def test_each_language_and_each_query_is_cached_separately_but_query_order_does_not_matter(
    client, response_cache, site_tree
):
    et = client.get("/et/kov/?a=1&b=2")
    ru = client.get("/ru/kov/?a=1&b=2")
    assert et["X-Cache"] == ru["X-Cache"] == "MISS"
    assert '<html lang="ru">' in ru.content.decode()
    assert client.get("/ru/kov/?b=2&a=1")["X-Cache"] == "HIT"
    assert client.get("/ru/kov/?a=2&b=2")["X-Cache"] == "MISS"


def test_a_cache_hit_still_gets_fresh_security_headers_and_its_own_request_id(
    client, response_cache, site_tree
):
    client.get("/en/kov/", HTTP_X_REQUEST_ID="first-request")
    hit = client.get("/en/kov/", HTTP_X_REQUEST_ID="second-request")
    assert hit["X-Cache"] == "HIT"
    assert hit["X-Request-ID"] == "second-request"
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["Content-Language"] == "en"


def test_logged_in_users_are_never_served_from_or_stored_in_the_cache(client, response_cache, site_tree):
    user = get_user_model().objects.create_user("editor", password="x" * 12)
    client.force_login(user)
    assert "X-Cache" not in client.get("/et/kov/")
    assert "X-Cache" not in client.get("/et/kov/")
    client.logout()
    client.cookies.clear()
    assert client.get("/et/kov/")["X-Cache"] == "MISS", "the editor's views were not stored"


def test_requests_with_credentials_bypass_the_cache(client, response_cache, site_tree):
    client.get("/et/kov/")
    assert "X-Cache" not in client.get("/et/kov/", HTTP_AUTHORIZATION="Token abc")


def test_the_admin_is_never_cached(client, response_cache, site_tree):
    client.get("/admin/login/")
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "X-Cache" not in response


def test_pages_carrying_a_csrf_token_are_not_stored(rf, response_cache):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from ops.middleware import ResponseCacheMiddleware

    def view_with_form(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    middleware = ResponseCacheMiddleware(view_with_form)
    request = rf.get("/et/feedback/")
    request.LANGUAGE_CODE = "et"
    assert "X-Cache" not in middleware(request)
    request = rf.get("/et/feedback/")
    request.LANGUAGE_CODE = "et"
    assert "X-Cache" not in middleware(request), "nothing was stored the first time"


def test_writes_that_the_public_never_sees_do_not_invalidate(
    response_cache, django_capture_on_commit_callbacks
):
    from django.contrib.sessions.backends.db import SessionStore

    version = response_cache_version()
    with django_capture_on_commit_callbacks(execute=True):
        session = SessionStore()
        session["seen"] = True
        session.save()
        get_user_model().objects.create_user("someone")
        SearchLog.objects.create(query="koduhooldus", lang="et", result_count=0, created_on="2026-12-07")
    assert response_cache_version() == version


def test_invalidate_cache_command_makes_every_entry_stale(client, response_cache, site_tree):
    from django.core.management import call_command

    client.get("/et/kov/")
    assert client.get("/et/kov/")["X-Cache"] == "HIT"
    out = io.StringIO()
    call_command("invalidate_cache", stdout=out)
    assert "invalidated" in out.getvalue()
    assert client.get("/et/kov/")["X-Cache"] == "MISS"


def response_cache_version() -> content_version.Version:
    return content_version.current()


@pytest.mark.urls("tests.ops.urls")
@pytest.mark.django_db(transaction=True)
def test_api_reads_are_cached_per_accept_header_and_refreshed_by_a_publish(client, response_cache):
    offer = OfferFactory()
    published_price(offer, dt.date(2024, 1, 1), "4.00")
    url = "/api/v1/test-prices/"
    assert client.get(url, HTTP_ACCEPT="application/json")["X-Cache"] == "MISS"
    hit = client.get(url, HTTP_ACCEPT="application/json")
    assert hit["X-Cache"] == "HIT" and hit.json()["prices"] == 1
    other = client.get(url, HTTP_ACCEPT="text/html")
    assert other["X-Cache"] == "MISS" and other.json()["accept"] == "text/html"

    published_price(offer, dt.date(2025, 1, 1), "4.50")

    fresh = client.get(url, HTTP_ACCEPT="application/json")
    assert fresh["X-Cache"] == "MISS" and fresh.json()["prices"] == 2


def test_a_missing_page_is_cached_until_content_changes(client, response_cache, site_tree):
    from django.core.management import call_command

    assert client.get("/en/kov/no-such-place/")["X-Cache"] == "MISS"
    cached = client.get("/en/kov/no-such-place/")
    assert cached.status_code == 404 and cached["X-Cache"] == "HIT"
    call_command("invalidate_cache", stdout=io.StringIO())
    assert client.get("/en/kov/no-such-place/")["X-Cache"] == "MISS"


@pytest.mark.urls("tests.ops.urls")
def test_a_views_own_csp_additions_survive_a_cache_hit(client, response_cache):
    client.get("/api/v1/test-map/")
    hit = client.get("/api/v1/test-map/")
    assert hit["X-Cache"] == "HIT"
    assert "https://tile.openstreetmap.org" in hit["Content-Security-Policy"]


def test_a_page_that_reads_a_cookie_is_never_shared_between_visitors(client, response_cache, site_tree):
    """The home page preselects the municipality remembered in the visitor's cookie."""
    from portal.choice import COOKIE_NAME

    client.cookies[COOKIE_NAME] = "narva-linn"
    chosen = client.get("/en/")
    assert "X-Cache" not in chosen, "rendered for one visitor's cookie, so not stored"
    assert re.search(r'value="narva-linn"[^>]*selected', chosen.content.decode())

    client.cookies.clear()
    assert client.get("/en/")["X-Cache"] == "MISS"
    anonymous = client.get("/en/")
    assert anonymous["X-Cache"] == "HIT"
    assert not re.search(r"<option[^>]*selected", anonymous.content.decode())

    client.cookies[COOKIE_NAME] = "johvi-vald"
    again = client.get("/en/")
    assert "X-Cache" not in again, "the shared copy is not served to a visitor with a cookie"
    assert re.search(r'value="johvi-vald"[^>]*selected', again.content.decode())


def test_an_early_hit_carries_every_header_the_full_stack_gave_the_page(client, response_cache, site_tree):
    """Anonymous page hits leave before the rest of the middleware runs, so the headers that
    middleware added (CSP, security headers, Vary, Content-Language) are stored with the page."""
    miss = client.get("/et/kov/", HTTP_X_REQUEST_ID="first")
    hit = client.get("/et/kov/", HTTP_X_REQUEST_ID="second")
    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    assert hit.content == miss.content
    per_request = {"x-request-id", "x-cache"}
    assert {k: v for k, v in hit.items() if k.lower() not in per_request} == {
        k: v for k, v in miss.items() if k.lower() not in per_request
    }
    assert hit["X-Request-ID"] == "second"
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Content-Type-Options"] == "nosniff"
    assert hit["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_a_page_cached_over_https_is_never_replayed_over_http(client, response_cache, site_tree, settings):
    """The scheme is part of the key: HSTS, sent only over HTTPS, is stored with the HTTPS copy."""
    settings.SECURE_HSTS_SECONDS = 3600
    client.get("/en/kov/", secure=True)
    secure_hit = client.get("/en/kov/", secure=True)
    assert secure_hit["X-Cache"] == "HIT" and "Strict-Transport-Security" in secure_hit
    plain = client.get("/en/kov/")
    assert plain["X-Cache"] == "MISS" and "Strict-Transport-Security" not in plain


def test_a_change_made_by_another_worker_retires_early_hits_at_once(client, response_cache, site_tree):
    """Every request reads the content version: a version moved on elsewhere (here: straight in
    the database, as after a restore) is seen by the next request."""
    client.get("/ru/kov/")
    assert client.get("/ru/kov/")["X-Cache"] == "HIT"
    content_version.bump()
    assert client.get("/ru/kov/")["X-Cache"] == "MISS"
    assert client.get("/ru/kov/")["X-Cache"] == "HIT"


def test_each_cached_page_is_stored_once(client, response_cache, site_tree):
    assert client.get("/et/kov/")["X-Cache"] == "MISS"
    keys = [key for key in response_cache._cache if ":ops:" in key]
    assert len(keys) == 1 and ":ops:page:" in keys[0]
    assert client.get("/et/kov/")["X-Cache"] == "HIT"


def test_pages_are_sent_compressed_to_browsers_that_accept_it(client, response_cache, site_tree):
    import gzip

    plain = client.get("/ru/kov/")
    for _ in range(2):  # rendered, then from the cache
        packed = client.get("/ru/kov/", HTTP_ACCEPT_ENCODING="gzip, br")
        assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
        assert gzip.decompress(packed.content) == plain.content
        assert len(packed.content) < len(plain.content) / 3


def test_a_cached_page_is_compressed_once_and_unpacked_for_a_client_without_gzip(
    client, response_cache, site_tree
):
    """GZipMiddleware pads each compression with random bytes: identical bytes on every hit show
    the page was compressed once, when it was stored, not again per request."""
    import gzip

    first = client.get("/ru/kov/", HTTP_ACCEPT_ENCODING="gzip")
    hits = [client.get("/ru/kov/", HTTP_ACCEPT_ENCODING="gzip") for _ in range(2)]
    assert [hit["X-Cache"] for hit in hits] == ["HIT", "HIT"]
    assert hits[0].content == hits[1].content
    assert hits[0]["Content-Length"] == str(len(hits[0].content))
    plain = client.get("/ru/kov/")
    assert plain["X-Cache"] == "HIT" and "Content-Encoding" not in plain
    assert plain.content == gzip.decompress(first.content) == gzip.decompress(hits[0].content)
    assert plain["Content-Length"] == str(len(plain.content))
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in hits[0]["Vary"]
