"""KOV staff maintain where and how to get the help — locations with opening hours,
eligibility, how to apply, free places — in the admin, under the same per-KOV scope and
moderator approval as offers. Real logins, real HTTP, the admin's own forms posted back."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from directory.models import Availability, HowToApply, OpeningHours, ServiceLocation
from publishing.models import PendingChange
from tests.factories import (
    AvailabilityFactory,
    HowToApplyFactory,
    ServiceLocationFactory,
)
from tests.html import form_fields

pytestmark = pytest.mark.django_db


def staff(username, group):
    user = get_user_model().objects.create_user(username, f"{username}@kov.example", "pw-" + username)
    user.groups.set([Group.objects.get(name=group)])
    return user


def login(client, user, language="et"):
    assert client.login(username=user.username, password="pw-" + user.username)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def url(obj):
    meta = obj._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[obj.pk])


def edit_form(client, obj) -> dict:
    response = client.get(url(obj))
    assert response.status_code == 200
    return form_fields(response.content.decode())


def public_hours(client, offer) -> str:
    page = client.get(offer.get_absolute_url()).content.decode()
    api = client.get("/api/v1/locations/", {"municipality": "narva-linn"}).content.decode()
    return page + api


def test_a_public_locations_new_hours_wait_for_the_moderator_then_show_on_the_page_and_api(client, places):
    offer, location = places["offer"], places["location"]
    public = client.__class__()
    assert "19:00" not in public_hours(public, offer) and "16:00" in public_hours(public, offer)

    login(client, places["editor"])
    data = edit_form(client, location)
    assert data["hours-0-closes"] == ["16:00"]
    data["hours-0-closes"] = ["19:00"]
    response = client.post(url(location), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    change = PendingChange.objects.get()
    assert change.changes["hours"][0]["closes"] == "19:00:00"
    assert list(location.hours.values_list("closes", flat=True)) == [dt.time(16)]
    assert "19:00" not in public_hours(public, offer)
    assert 'value="19:00"' in client.get(url(location)).content.decode()  # the editor sees her change

    login(client, places["moderator"])
    review = client.get(reverse("publishing:review")).content.decode()
    assert "Narva päevakeskus" in review and "16:00" in review and "19:00" in review
    response = client.post(reverse("publishing:action", args=["change", change.pk, "approve"]))
    assert response.status_code == 302
    assert not PendingChange.objects.exists()
    assert list(location.hours.values_list("closes", flat=True)) == [dt.time(19)]
    assert "19:00" in public_hours(public, offer)
    log = client.get(reverse("publishing:changes")).content.decode()
    assert "Narva päevakeskus" in log


def test_an_unpublished_location_is_saved_at_once(client, places):
    draft = ServiceLocationFactory(
        municipality=places["location"].municipality, name_et="Uus koht", settlement="Narva linn"
    )
    login(client, places["editor"])
    data = edit_form(client, draft)
    data["phone"] = ["+372 357 0000"]
    assert client.post(url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.phone == "+372 357 0000" and not PendingChange.objects.exists()


def test_a_narva_editor_can_neither_see_nor_change_tallinns_location(client, places):
    login(client, places["editor"])
    listing = client.get(reverse("wagtailsnippets_directory_servicelocation:list")).content.decode()
    assert "Narva päevakeskus" in listing and "Tallinna keskus" not in listing
    theirs = places["tallinn_location"]
    assert client.get(url(theirs)).status_code == 403
    assert client.post(url(theirs), {"name_et": "Minu"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.name_et == "Tallinna keskus"
    # Nor can she move her own location there.
    data = edit_form(client, places["location"])
    data["municipality"] = [str(theirs.municipality_id)]
    client.post(url(places["location"]), data)
    assert ServiceLocation.objects.get(pk=places["location"].pk).municipality.code == "narva-linn"


def _assert_refused(response, message):
    assert response.status_code == 200, response.status_code  # the form again, with the error
    assert message in response.content.decode(), response.content.decode()[-4000:]


@pytest.mark.parametrize(
    "language,changes,message",
    [
        ("et", {"latitude": ["56.95"], "longitude": ["24.1"]}, "ei asu Eestis"),
        ("ru", {"latitude": ["56.95"], "longitude": ["24.1"]}, "не в Эстонии"),
        (
            "et",
            {"hours-TOTAL_FORMS": ["2"], "hours-1-weekday": ["0"], "hours-1-opens": ["12:00"]}
            | {"hours-1-closes": ["18:00"], "hours-1-id": [""], "hours-1-ORDER": ["2"]},
            "kattuvad",
        ),
        ("ru", {"hours-0-opens": ["17:00"]}, "должно быть позже"),
    ],
)
def test_bad_location_input_is_refused_in_the_editors_language_and_stores_nothing(
    client, places, language, changes, message
):
    location = places["location"]
    login(client, places["editor"], language)
    data = edit_form(client, location) | changes
    _assert_refused(client.post(url(location), data), message)
    assert not PendingChange.objects.exists()
    assert list(OpeningHours.objects.values_list("opens", "closes")) == [(dt.time(9), dt.time(16))]
    location.refresh_from_db()
    assert location.latitude == 59.377


@pytest.mark.parametrize("language,message", [("et", "mis algab http://"), ("ru", "начинающийся с http://")])
def test_a_link_that_is_not_http_is_refused(client, places, language, message):
    how = HowToApplyFactory(municipality=places["location"].municipality)
    login(client, places["editor"], language)
    data = edit_form(client, how) | {"e_service_url": ["ftp://files.example/taotlus.pdf"]}
    _assert_refused(client.post(url(how), data), message)
    assert not PendingChange.objects.exists()
    assert HowToApply.objects.get().e_service_url == "https://www.vald.example/e-teenused"


@pytest.mark.parametrize(
    "language,changes,message",
    [
        ("et", {"free_places": ["-1"]}, "suurem või võrdne kui 0"),
        ("ru", {"free_places": ["25"]}, "не может быть больше"),
        ("et", {"as_of": [(dt.date.today() + dt.timedelta(days=2)).isoformat()]}, "tulevikus"),
    ],
)
def test_bad_places_are_refused_in_the_editors_language_and_store_nothing(
    client, places, language, changes, message
):
    offer = places["offer"]
    stated = AvailabilityFactory(offer=offer, capacity=20, free_places=3)
    login(client, places["editor"], language)
    data = edit_form(client, stated) | changes
    _assert_refused(client.post(url(stated), data), message)
    new = client.get(reverse("wagtailsnippets_directory_availability:add"))
    data = form_fields(new.content.decode()) | {"offer": [str(offer.pk)], "capacity": ["20"]} | changes
    _assert_refused(client.post(reverse("wagtailsnippets_directory_availability:add"), data), message)
    assert list(Availability.objects.values_list("free_places", flat=True)) == [3]
    assert not PendingChange.objects.exists()


def test_free_places_of_a_public_offer_wait_for_approval(client, places):
    stated = AvailabilityFactory(offer=places["offer"], capacity=20, free_places=3)
    login(client, places["editor"])
    data = edit_form(client, stated) | {"free_places": ["5"]}
    assert client.post(url(stated), data).status_code == 302
    assert PendingChange.objects.get().changes == {"free_places": 5}
    stated.refresh_from_db()
    assert stated.free_places == 3
