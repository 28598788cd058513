"""What the component, service and journey pages read of the catalogue (the entry by its code,
a journey's steps, municipalities and units) is kept per process, and a committed change to the
directory shows on the next request. These tests commit for real, as editors do (inside a
test's transaction nothing is remembered)."""

import pytest

from directory.models import Journey, JourneyStep
from tests.portal.builders import World, price

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_renamed_component_and_a_new_unit_name_show_at_once(client, wagtail_root):
    world = World().build_pages()
    offer = world.offer(world.narva, world.respite, None)
    price(offer, "12.00", unit=world.visit)
    assert "Narva" in client.get(f"/et/components/{world.respite.code}/").content.decode()
    assert client.get("/et/components/no-such-component/").status_code == 404

    world.respite.name_et = "Asendushooldus uus nimi"
    world.respite.save()
    world.visit.name_et = "kohtumine"
    world.visit.save()

    html = client.get(f"/et/components/{world.respite.code}/").content.decode()
    assert "Asendushooldus uus nimi" in html
    assert "kohtumine" in html


def test_a_journey_step_added_shows_at_once_and_a_new_journey_is_found(client, wagtail_root):
    world = World().build_pages()
    journey = Journey.objects.create(code="test-journey", title_et="Teekond")
    worker = world.social_worker
    JourneyStep.objects.create(journey=journey, position=1, actor=worker, title_et="Esimene samm")
    assert "Esimene samm" in client.get("/et/journeys/test-journey/").content.decode()
    assert client.get("/et/journeys/later-journey/").status_code == 404
    assert "Teekond" not in client.get(f"/et/components/{world.respite.code}/").content.decode()

    step = JourneyStep.objects.create(journey=journey, position=2, actor=worker, title_et="Teine samm")
    step.components.add(world.respite)
    Journey.objects.create(code="later-journey", title_et="Hilisem teekond")

    assert "Teine samm" in client.get("/et/journeys/test-journey/").content.decode()
    assert client.get("/et/journeys/later-journey/").status_code == 200
    assert "Teekond" in client.get(f"/et/components/{world.respite.code}/").content.decode()
