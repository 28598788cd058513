"""What the load test found under real traffic.

Every search writes a search-log row for the unmet-needs report. That row changes nothing the
public sees, so it must not empty the response cache (it did: any search traffic made every page
a cache miss), and a search must never be answered from the cache, or it would go unlogged.

The API's per-address rate limit must key on the address the load balancer saw, not on an
X-Forwarded-For header the client writes itself (a new made-up address per request escaped it)."""

import pytest
from django.core.cache import cache

from search.models import SearchLog

PAGE = "/et/kov/narva-linn/"
SEARCHES = ["/api/v1/search/?q=koduhooldus&lang=et", "/et/search/?q=koduhooldus"]


@pytest.mark.django_db(transaction=True)  # the cache is invalidated on commit: commit for real
def test_searching_does_not_empty_the_response_cache(client, response_cache, site_tree):
    assert client.get(PAGE)["X-Cache"] == "MISS"
    for search in SEARCHES:
        assert client.get(search).status_code == 200
    assert SearchLog.objects.count() == len(SEARCHES)
    assert client.get(PAGE)["X-Cache"] == "HIT"


@pytest.mark.django_db(transaction=True)
def test_every_search_is_answered_afresh_and_logged(client, response_cache, site_tree):
    for search in SEARCHES:
        for _repeat in range(2):
            response = client.get(search)
            assert response.status_code == 200
            assert "X-Cache" not in response, "a search is never stored in or served from the cache"
    assert SearchLog.objects.filter(query="koduhooldus").count() == 2 * len(SEARCHES)


@pytest.fixture
def three_per_minute(settings):
    settings.API_THROTTLE_RATES = {"anonymous": "3/minute"}
    cache.clear()
    yield
    cache.clear()


API = "/api/v1/municipalities/"


@pytest.mark.django_db
def test_a_made_up_forwarded_address_does_not_escape_the_api_rate_limit(client, three_per_minute):
    answers = [
        client.get(API, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert answers == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_the_load_balancer_each_client_address_has_its_own_api_limit(
    client, three_per_minute, settings
):
    settings.OPS_TRUSTED_PROXY_COUNT = 1
    balancer = "10.0.0.2"

    def get(forwarded):
        return client.get(API, REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [get(f"{n}.{n}.{n}.{n}, 198.51.100.7") for n in range(1, 5)] == [200, 200, 200, 429]
    assert get("192.0.2.10") == 200, "another client behind the same load balancer is not limited"
    assert get("192.0.2.99, 198.51.100.7") == 429, "a forged leftmost address does not help"
