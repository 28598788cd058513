"""Journey pages: the steps in order with actor and deadline; with a municipality chosen, each
step shows that KOV's contact for the step's role and its local offers and prices."""

import pytest

from directory.models import Component, Municipality, Role, Service
from portal.choice import COOKIE_NAME
from tests.factories import ContactPersonFactory, OfferFactory, published_price

pytestmark = pytest.mark.django_db


@pytest.fixture
def narva(catalogue):
    narva = Municipality.objects.get(code="narva-linn")
    ContactPersonFactory(
        municipality=narva,
        role=Role.objects.get(code="social-worker"),
        name="Olga Petrova",
        phone="+372 359 9999",
    )
    ContactPersonFactory(
        municipality=Municipality.objects.get(code="tallinn"),
        role=Role.objects.get(code="social-worker"),
        name="Tallinn Worker",
    )
    service = Service.objects.filter(journey_steps__journey__code="elderly-in-need").first()
    offer = OfferFactory(municipality=narva, component=None, service=service)
    published_price(offer, "2024-01-01", "33.30")
    return narva


def main(response):
    html = response.content.decode()
    return html[html.index("<main") :]


def test_journey_index_lists_journeys_and_filters_by_life_situation(client, catalogue):
    html = main(client.get("/en/journeys/"))
    assert 'href="/en/journeys/elderly-in-need/"' in html
    assert 'href="/en/journeys/minor-in-need/"' in html

    html = main(client.get("/en/journeys/?target_group=elderly"))
    assert 'href="/en/journeys/elderly-in-need/"' in html
    assert 'href="/en/journeys/minor-in-need/"' not in html
    assert 'href="/en/services/home-care/"' in html, "services for the life situation are listed too"


def test_unknown_life_situation_is_explained_not_an_error(client, catalogue):
    response = client.get("/ru/journeys/?target_group=martians")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_journey_steps_are_in_order_with_actor_and_deadline(client, catalogue):
    from directory.models import Journey

    journey = Journey.objects.get(code="person-centred-special-care")
    steps = list(journey.steps.select_related("actor").order_by("position"))
    html = main(client.get("/en/journeys/person-centred-special-care/"))

    positions = [html.index(step.title_en) for step in steps]
    assert positions == sorted(positions)
    for step in steps:
        assert step.actor.name_en in html
    deadline = next(s for s in steps if s.deadline_days)
    assert f"within {deadline.deadline_days} days" in html


def test_with_a_municipality_each_step_shows_its_contact_and_local_prices(client, narva):
    html = main(client.get("/en/journeys/elderly-in-need/?municipality=narva-linn"))
    assert "Contacts and prices in Narva" in html
    assert "Olga Petrova" in html and 'href="tel:+3723599999"' in html
    assert "Tallinn Worker" not in html
    assert "33.30\u00a0€" in html


def test_the_remembered_municipality_is_used_and_the_page_varies_by_cookie(client, narva):
    client.cookies[COOKIE_NAME] = "narva-linn"
    response = client.get("/et/journeys/elderly-in-need/")
    assert "Olga Petrova" in main(response)
    assert "Cookie" in response["Vary"]


def test_typed_municipality_name_is_understood(client, narva):
    html = main(client.get("/ru/journeys/elderly-in-need/?municipality=&q=нарв"))
    assert "Olga Petrova" not in html, "Нарв begins Narva and Narva-Jõesuu: the reader chooses"
    assert 'href="?municipality=narva-linn"' in html and 'href="?municipality=narva-joesuu-linn"' in html
    for typed in ("нарва", "город нарва"):  # the whole name of one municipality
        html = main(client.get(f"/ru/journeys/elderly-in-need/?municipality=&q={typed}"))
        assert "Olga Petrova" in html, typed


def test_unknown_municipality_gets_a_message(client, catalogue):
    response = client.get("/en/journeys/elderly-in-need/?municipality=atlantis")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("with_more_offers", [False, True])
def test_query_count_is_bounded(client, narva, django_assert_max_num_queries, with_more_offers):
    if with_more_offers:
        for component in Component.objects.all():
            published_price(OfferFactory(municipality=narva, component=component), "2024-01-01", "10.00")
    with django_assert_max_num_queries(14):
        client.get("/en/journeys/elderly-in-need/?municipality=narva-linn")
    with django_assert_max_num_queries(10):
        client.get("/en/journeys/")


def test_a_step_without_local_offer_or_contact_says_so_and_gives_the_social_workers_phone(client, narva):
    """Never an empty "In Narva" box: the steps Narva lists nothing for name whom to call."""
    html = main(client.get("/ru/journeys/elderly-in-need/?municipality=narva-linn"))
    boxes = html.split('<div class="local">')[1:]
    assert boxes
    for box in boxes:
        local = box[: box.index("</div>")]
        assert "<ul" in local or "ask-social-worker" in local, local
    empty = [box for box in boxes if "ask-social-worker" in box[: box.index("</div>")]]
    assert empty, "some step of the journey has nothing in Narva"
    assert "Olga Petrova" in empty[0] and 'href="tel:+3723599999"' in empty[0]
