"""Wagtail's site, root page and view-restriction check are remembered per process between
requests, and forgotten as soon as an editor's change to the page tree is committed. These tests
commit for real, as editors do (inside a test's transaction nothing is remembered)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.portal.builders import World

pytestmark = pytest.mark.django_db(transaction=True)


def wagtail_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "wagtailcore_site" in q["sql"] or "pageviewrestriction" in q["sql"]]


def test_the_site_and_view_restrictions_are_not_read_again_on_every_request(client, wagtail_root):
    World().build_pages()
    assert client.get("/et/kov/narva-linn/").status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get("/et/kov/narva-linn/").status_code == 200
    assert wagtail_queries(again) == []


def test_a_view_restriction_added_after_pages_were_served_is_enforced_at_once(client, wagtail_root):
    from wagtail.models import PageViewRestriction

    from portal.models import MunicipalityIndexPage

    World().build_pages()
    assert client.get("/et/kov/narva-linn/").status_code == 200
    assert client.get("/et/kov/narva-linn/").status_code == 200

    PageViewRestriction.objects.create(
        page=MunicipalityIndexPage.objects.get(), restriction_type=PageViewRestriction.LOGIN
    )

    response = client.get("/et/kov/narva-linn/")
    assert response.status_code == 302, "a restriction on an ancestor covers the page"
    assert "login" in response["Location"]
    assert client.get("/et/").status_code == 200, "the home page is not restricted"


def test_a_published_change_to_the_home_page_shows_at_once(client, wagtail_root):
    from portal.models import HomePage

    World().build_pages()
    assert "Kodulehe uus sissejuhatus" not in client.get("/et/").content.decode()

    home = HomePage.objects.get()
    home.intro_et = "<p>Kodulehe uus sissejuhatus</p>"
    home.save_revision().publish()

    assert "Kodulehe uus sissejuhatus" in client.get("/et/").content.decode()


def test_an_unpublished_page_is_gone_at_once(client, wagtail_root):
    from portal.models import MunicipalityIndexPage

    World().build_pages()
    assert client.get("/et/kov/").status_code == 200

    MunicipalityIndexPage.objects.get().unpublish()

    assert client.get("/et/kov/").status_code == 404


def test_a_municipality_page_is_found_without_a_query_once_remembered_and_follows_changes(
    client, wagtail_root
):
    from directory.models import Municipality
    from portal.models import MunicipalityPage

    World().build_pages()
    assert client.get("/et/kov/narva-linn/").status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get("/et/kov/narva-linn/").status_code == 200
    assert not [q for q in again if "portal_municipalitypage" in q["sql"]]
    assert client.get("/et/kov/made-up/").status_code == 404

    narva = Municipality.objects.get(code="narva-linn")
    narva.name_et = "Narva uus nimi"
    narva.save()
    assert "Narva uus nimi" in client.get("/et/kov/narva-linn/").content.decode()

    MunicipalityPage.objects.get(slug="narva-linn").unpublish()
    assert client.get("/et/kov/narva-linn/").status_code == 404
