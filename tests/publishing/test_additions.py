"""Something new under a published offer — who qualifies, the area served, free places, a
place where it is given — or a new how-to-apply text would be public the moment it is saved.
So it waits for a moderator like an edit of a public row: nothing is created until she
approves, the review queue shows what would be added in her language, rejecting returns it
to the editor with the reason, one KOV never sees another's, and every step is in the audit
log. Under a draft offer everything is saved at once, as before. Real logins, real HTTP."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from api.hsds.mapping import hsds_id
from directory import content_version
from directory.models import (
    Eligibility,
    HowToApply,
    OpeningHours,
    PriceStatus,
    ServiceArea,
    ServiceLocation,
    Settlement,
)
from jobs.runner import run_pending
from publishing.models import PendingChange
from publishing.scope import editor_group_name, moderator_group_name
from tests.factories import OfferFactory, ServiceLocationFactory
from tests.html import form_fields

from .test_access_admin import login, staff, url

pytestmark = pytest.mark.django_db

WHO = "Üle 65-aastased Narva elanikud"


def add_url(model) -> str:
    return reverse(f"wagtailsnippets_directory_{model._meta.model_name}:add")


def add(client, model, **values):
    """Post the admin's add form as a browser would: its own fields, then ours."""
    page = client.get(add_url(model))
    assert page.status_code == 200
    data = form_fields(page.content.decode()) | {name: [str(v)] for name, v in values.items()}
    return client.post(add_url(model), data)


def add_eligibility(client, offer):
    return add(client, Eligibility, offer=offer.pk, description_et=WHO, age_min=65, at_home="on")


def public_views(client, offer) -> str:
    """What residents and linked systems read about the offer."""
    return "".join(
        [
            client.get(offer.get_absolute_url()).content.decode(),
            client.get(f"/api/v1/offers/{offer.pk}/").content.decode(),
            client.get(f"/api/hsds/services/{hsds_id('service', offer.pk)}/").content.decode(),
        ]
    )


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("en", "saving sends it to a moderator first"),
        ("et", "moderaatorile kinnitamiseks"),
        ("ru", "отправляется модератору"),
    ],
)
def test_the_add_form_says_before_saving_that_an_addition_may_wait_for_a_moderator(
    client, places, lang, phrase
):
    login(client, places["editor"], lang)
    for model in (Eligibility, ServiceArea, ServiceLocation, HowToApply):
        assert phrase in client.get(add_url(model)).content.decode(), model
    # A new offer starts as a draft of her own: nothing to warn about.
    offer_form = client.get(reverse("wagtailsnippets_directory_offer:add")).content.decode()
    assert phrase not in offer_form


def test_a_new_eligibility_of_a_published_offer_waits_for_the_moderator(client, places):
    offer, editor = places["offer"], places["editor"]
    public = Client()
    login(client, editor, "en")
    response = add_eligibility(client, offer)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == url(offer)  # she lands on the offer, which lists it

    assert not Eligibility.objects.exists()
    addition = PendingChange.objects.get()
    assert addition.is_addition and addition.submitted_by == editor
    assert addition.changes["description_et"] == WHO and addition.changes["offer"] == offer.pk
    assert WHO not in public_views(public, offer)
    offer_page = client.get(url(offer)).content.decode()
    assert "Addition awaiting approval" in offer_page and WHO in offer_page
    assert 'value="change:' not in offer_page  # nothing to approve for its own editor
    logged = ModelLogEntry.objects.get(action="publishing.submit")
    assert logged.user == editor and logged.data["municipality"] == offer.municipality_id

    login(client, places["moderator"], "ru")
    queue = client.get(reverse("publishing:review")).content.decode()
    assert f'value="change:{addition.pk}"' in queue
    assert "Кто может получить помощь (эстонский)" in queue or "кто может получить помощь" in queue.lower()
    assert WHO in queue and "<ins>65</ins>" in queue
    response = client.post(
        reverse("publishing:approve_selected"), {"entry": [f"change:{addition.pk}"], "decision": "approve"}
    )
    assert response.status_code == 302
    created = Eligibility.objects.get(offer=offer)
    assert (created.description_et, created.age_min, created.at_home) == (WHO, 65, True)
    assert not PendingChange.objects.exists()
    assert WHO in public_views(public, offer)
    approved = ModelLogEntry.objects.get(action="publishing.approve")
    assert approved.user == places["moderator"] and approved.object_id == str(created.pk)
    changes = client.get(reverse("publishing:changes")).content.decode()
    assert changes.count("narva-editor") >= 1 and "narva-moderator" in changes


def test_under_a_draft_offer_a_new_eligibility_is_saved_at_once(client, places):
    draft = OfferFactory(municipality=places["offer"].municipality, status=PriceStatus.DRAFT)
    login(client, places["editor"], "en")
    assert add_eligibility(client, draft).status_code == 302
    assert Eligibility.objects.get(offer=draft).description_et == WHO
    assert not PendingChange.objects.exists()


def test_a_rejected_addition_returns_to_its_editor_with_the_reason_and_adds_nothing(client, places):
    offer = places["offer"]
    login(client, places["editor"], "en")
    add_eligibility(client, offer)
    addition = PendingChange.objects.get()

    login(client, places["moderator"], "en")
    response = client.post(
        reverse("publishing:action", args=["change", addition.pk, "reject"]),
        {"comment": "Vanusepiir on 63, mitte 65."},
    )
    assert response.status_code == 302
    queue = client.get(reverse("publishing:review")).content.decode()
    assert f'value="change:{addition.pk}"' not in queue  # no longer awaiting her

    login(client, places["editor"], "en")
    offer_page = client.get(url(offer)).content.decode()
    assert "Your addition was returned" in offer_page and "Vanusepiir on 63, mitte 65." in offer_page
    assert not Eligibility.objects.exists()
    client.post(reverse("publishing:action", args=["change", addition.pk, "discard"]))
    assert not PendingChange.objects.exists() and not Eligibility.objects.exists()
    steps = list(ModelLogEntry.objects.order_by("pk").values_list("action", flat=True))
    assert steps == ["publishing.submit", "publishing.reject", "publishing.discard"]


def test_the_editor_can_withdraw_her_addition_and_cannot_approve_it(client, places):
    login(client, places["editor"], "en")
    add_eligibility(client, places["offer"])
    addition = PendingChange.objects.get()
    mine = client.get(reverse("publishing:review")).content.decode()
    mine = mine[mine.index('id="mine"') :]  # her submissions, with a way to withdraw each
    assert "Eligibility: " in mine
    assert reverse("publishing:action", args=["change", addition.pk, "discard"]) in mine
    client.post(reverse("publishing:action", args=["change", addition.pk, "approve"]))
    assert not Eligibility.objects.exists()  # an editor approves nothing
    client.post(reverse("publishing:action", args=["change", addition.pk, "recall"]))
    assert not PendingChange.objects.exists() and not Eligibility.objects.exists()


def test_a_moderator_does_not_approve_her_own_addition(client, places):
    both = places["moderator"]
    both.groups.add(*places["editor"].groups.all())
    login(client, both, "en")
    assert add_eligibility(client, places["offer"]).status_code == 302
    addition = PendingChange.objects.get()
    client.post(reverse("publishing:action", args=["change", addition.pk, "approve"]))
    assert not Eligibility.objects.exists() and PendingChange.objects.exists()


def test_another_kov_neither_sees_nor_decides_narvas_addition(client, places):
    login(client, places["editor"], "en")
    add_eligibility(client, places["offer"])
    addition = PendingChange.objects.get()

    tallinn_moderator = staff("tallinn-moderator", moderator_group_name("tallinn"))
    tallinn_editor = staff("tallinn-editor", editor_group_name("tallinn"))
    login(client, tallinn_moderator, "en")
    queue = client.get(reverse("publishing:review")).content.decode()
    assert WHO not in queue and f"change:{addition.pk}" not in queue
    assert WHO not in client.get(reverse("publishing:changes")).content.decode()
    for action in ("approve", "reject"):
        response = client.post(
            reverse("publishing:action", args=["change", addition.pk, action]), {"comment": "ei"}
        )
        assert response.status_code == 403
    decided = client.post(
        reverse("publishing:approve_selected"), {"entry": [f"change:{addition.pk}"], "decision": "approve"}
    )
    assert decided.status_code == 403
    # Nor may Tallinn's editor add anything under Narva's offer.
    login(client, tallinn_editor, "en")
    add_eligibility(client, places["offer"])
    assert PendingChange.objects.count() == 1 and not Eligibility.objects.exists()


def test_a_new_location_for_a_published_offer_is_created_with_its_hours_on_approval(client, places):
    offer = places["offer"]
    login(client, places["editor"], "en")
    page = client.get(add_url(ServiceLocation))
    data = form_fields(page.content.decode()) | {
        "municipality": [str(offer.municipality_id)],
        "provider": [str(offer.provider_id)],
        "name_et": ["Narva uus keskus"],
        "street_address": ["Pushkini 2"],
        "settlement": [str(Settlement.objects.get(name="Narva linn").pk)],
        "latitude": ["59.37"],
        "longitude": ["28.19"],
        "offers": [str(offer.pk)],
        "hours-TOTAL_FORMS": ["1"],
        "hours-0-weekday": ["5"],
        "hours-0-opens": ["10:00"],
        "hours-0-closes": ["14:00"],
        "hours-0-id": [""],
        "hours-0-ORDER": ["1"],
    }
    response = client.post(add_url(ServiceLocation), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert not ServiceLocation.objects.filter(name_et="Narva uus keskus").exists()
    assert "Narva uus keskus" not in Client().get(offer.get_absolute_url()).content.decode()

    login(client, places["moderator"], "en")
    addition = PendingChange.objects.get()
    queue = client.get(reverse("publishing:review")).content.decode()
    assert "Narva uus keskus" in queue and "14:00" in queue
    client.post(reverse("publishing:action", args=["change", addition.pk, "approve"]))
    created = ServiceLocation.objects.get(name_et="Narva uus keskus")
    assert list(created.offers.all()) == [offer]
    assert list(OpeningHours.objects.filter(location=created).values_list("weekday", "closes")) == [
        (5, dt.time(14))
    ]
    assert "Narva uus keskus" in Client().get(offer.get_absolute_url()).content.decode()


def test_linking_an_unpublished_location_to_a_published_offer_waits_for_approval(client, places):
    offer = places["offer"]
    quiet = ServiceLocationFactory(
        municipality=offer.municipality,
        provider=offer.provider,
        name_et="Vaikne koht",
        settlement="Narva linn",
    )
    login(client, places["editor"], "en")
    data = form_fields(client.get(url(quiet)).content.decode()) | {"offers": [str(offer.pk)]}
    assert client.post(url(quiet), data).status_code == 302
    assert not quiet.offers.exists()
    assert PendingChange.objects.get().changes["offers"] == [offer.pk]


def test_a_service_area_and_a_how_to_apply_text_are_added_on_approval(client, places):
    offer = places["offer"]
    narva = Settlement.objects.get(name="Narva linn")
    login(client, places["editor"], "en")
    assert add(client, ServiceArea, offer=offer.pk, settlements=narva.pk).status_code == 302
    assert add(client, HowToApply, municipality=offer.municipality_id, decision_days=10).status_code == 302
    assert not ServiceArea.objects.exists() and not HowToApply.objects.exists()
    assert PendingChange.objects.filter(object_id__isnull=True).count() == 2

    login(client, places["moderator"], "en")
    entries = [f"change:{pk}" for pk in PendingChange.objects.values_list("pk", flat=True)]
    client.post(reverse("publishing:approve_selected"), {"entry": entries, "decision": "approve"})
    assert list(ServiceArea.objects.get(offer=offer).settlements.all()) == [narva]
    assert HowToApply.objects.get().decision_days == 10


def test_an_addition_that_became_impossible_is_refused_and_nothing_changes(client, places):
    offer = places["offer"]
    login(client, places["editor"], "en")
    add_eligibility(client, offer)
    add_eligibility(client, offer)  # one offer has one eligibility: the second cannot be made
    first, second = PendingChange.objects.order_by("pk")
    login(client, places["moderator"], "en")
    client.post(reverse("publishing:action", args=["change", first.pk, "approve"]))
    response = client.post(
        reverse("publishing:approve_selected"), {"entry": [f"change:{second.pk}"], "decision": "approve"}
    )
    assert response.status_code == 302
    assert Eligibility.objects.count() == 1 and PendingChange.objects.get() == second


def how_to_get_help(client, offer) -> dict:
    """The offer's row of the open dataset "how-to-get-help"."""
    response = client.get("/open-data/files/how-to-get-help.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    return next(row for row in rows if row["offer_id"] == str(offer.pk))


@pytest.mark.django_db(transaction=True)  # real commits: the content version moves on commit
def test_submitting_moves_nothing_public_and_approval_moves_the_content_version_once(
    client, places, settings, tmp_path
):
    settings.OPS_RESPONSE_CACHE = True
    settings.OPEN_DATA_ROOT = tmp_path / "exports"
    offer = places["offer"]
    # Setting up the world queued Wagtail's own search and reference-index jobs; running them can
    # move the version (it did on PostgreSQL after other tests), so they run before the baseline.
    run_pending()
    public = Client()
    page = offer.get_absolute_url()
    public.get(page)
    assert public.get(page)["X-Cache"] == "HIT"
    assert how_to_get_help(public, offer)["age_min"] == ""
    version = content_version.current().number

    login(client, places["editor"], "en")
    add_eligibility(client, offer)
    assert content_version.current().number == version  # a proposal is not public content
    assert public.get(page)["X-Cache"] == "HIT" and WHO not in public.get(page).content.decode()
    run_pending()
    assert how_to_get_help(public, offer)["age_min"] == ""

    login(client, places["moderator"], "en")
    addition = PendingChange.objects.get()
    decide = {"entry": [f"change:{addition.pk}"], "decision": "approve"}
    client.post(reverse("publishing:approve_selected"), decide)
    assert content_version.current().number == version + 1  # one transaction, one step
    assert WHO in public.get(page).content.decode()
    how_to_get_help(public, offer)  # finds the files stale and queues their rebuild
    run_pending()
    assert how_to_get_help(public, offer)["age_min"] == "65"
