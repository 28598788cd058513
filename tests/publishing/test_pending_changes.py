"""A change to a published offer or contact goes through a KOV moderator: until approved, the
public pages, the API, search, the open-data files and the response cache keep showing the
published version; after approval the change shows at once. Real logins, real HTTP."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory.models import ContactPerson, Municipality, Offer, Role, Service, TargetGroup
from jobs.runner import run_pending
from publishing.models import PendingChange
from publishing.permissions import setup_kov_permissions
from publishing.scope import editor_group_name, moderator_group_name
from tests.factories import ContactPersonFactory, OfferFactory, published_price
from tests.ops.conftest import response_cache  # noqa: F401 - the ops app's fixture

PAGE = "/et/kov/narva-linn/"


def staff(username, group):
    user = get_user_model().objects.create_user(username, f"{username}@kov.example", "pw-" + username)
    user.groups.set([Group.objects.get(name=group)])
    return user


def login(client, user):
    assert client.login(username=user.username, password="pw-" + user.username)
    return client


@pytest.fixture
def narva(site_tree, settings, tmp_path):
    """Narva's published home-care offer and social worker, and Narva's and Tallinn's staff."""
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    kov = Municipality.objects.get(code="narva-linn")
    offer = OfferFactory(
        municipality=kov,
        component=None,
        service=Service.objects.get(code="home-care"),
        notes_et="Tööpäeviti",
        languages=["et"],
    )
    published_price(offer, dt.date(2024, 1, 1), "6.20")
    contact = ContactPersonFactory(
        municipality=kov,
        role=Role.objects.get(code="social-worker"),
        name="Olga Petrova",
        reception_hours_et="E 9–12",
        phone="+372 359 9000",
    )
    setup_kov_permissions()
    return {
        "offer": offer,
        "contact": contact,
        "editor": staff("narva-editor", editor_group_name("narva-linn")),
        "moderator": staff("narva-moderator", moderator_group_name("narva-linn")),
        "tallinn_moderator": staff("tallinn-moderator", moderator_group_name("tallinn")),
        "tallinn_editor": staff("tallinn-editor", editor_group_name("tallinn")),
    }


def edit_url(obj):
    return reverse(f"wagtailsnippets_directory_{obj._meta.model_name}:edit", args=[obj.pk])


def offer_form(offer, **changes):
    data = {
        "municipality": offer.municipality_id,
        "provider": offer.provider_id,
        "service": offer.service_id,
        "valid_from": offer.valid_from.isoformat(),
        "work_forms": offer.work_forms,
        "target_groups": [tg.pk for tg in offer.target_groups.all()],
        "languages": offer.languages,
        "notes_et": offer.notes_et,
        "notes_ru": offer.notes_ru or "",
        "notes_en": offer.notes_en or "",
        "last_verified": offer.last_verified.isoformat() if offer.last_verified else "",
    }
    return data | changes


def contact_form(contact, **changes):
    data = {
        "municipality": contact.municipality_id,
        "role": contact.role_id,
        "name": contact.name,
        "phone": contact.phone,
        "email": contact.email,
        "languages": contact.languages,
        "valid_from": contact.valid_from.isoformat(),
        "last_verified": contact.last_verified.isoformat() if contact.last_verified else "",
    }
    for field in ("job_title", "reception_hours", "contact_for"):
        for lang in ("et", "ru", "en"):
            data[f"{field}_{lang}"] = getattr(contact, f"{field}_{lang}") or ""
    return data | changes


def act(client, change, name, **data):
    return client.post(reverse("publishing:action", args=["change", change.pk, name]), data)


def public_texts(client):
    """Everything a resident or a linked system reads, as one string."""
    parts = [client.get(PAGE).content.decode()]
    parts.append(client.get("/api/v1/offers/?municipality=narva-linn").content.decode())
    parts.append(client.get("/api/v1/contacts/?municipality=narva-linn").content.decode())
    client.get("/open-data/files/contacts.csv")  # stale files queue their rebuild…
    run_pending()  # …which the background worker runs
    parts.append(b"".join(client.get("/open-data/files/contacts.csv").streaming_content).decode("utf-8-sig"))
    return "\n".join(parts)


def found(client, words: str) -> list:
    """Narva's search results for words that only an offer's notes contain."""
    return client.get("/api/v1/search/", {"q": words, "lang": "et", "municipality": "narva-linn"}).json()[
        "results"
    ]


@pytest.mark.django_db(transaction=True)  # real commits: search, data version and cache move on commit
def test_an_edit_stays_private_until_a_moderator_approves_then_shows_at_once(
    client,
    response_cache,  # noqa: F811
    narva,
):
    offer, contact = narva["offer"], narva["contact"]
    public = client.__class__()
    before = public_texts(public)
    assert "Tööpäeviti" in before and "E 9–12" in before and "+372 359 9000" in before

    login(client, narva["editor"])
    response = client.post(edit_url(offer), offer_form(offer, notes_et="Ka laupäeviti"))
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        edit_url(contact),
        contact_form(contact, reception_hours_et="T 13–16", phone="+372 359 1111", languages=["et", "ru"]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    offer.refresh_from_db()
    contact.refresh_from_db()
    assert offer.notes_et == "Tööpäeviti" and contact.reception_hours_et == "E 9–12"
    assert PendingChange.objects.count() == 2
    pending = public_texts(public)
    for text in ("Ka laupäeviti", "T 13–16", "+372 359 1111"):
        assert text not in pending
    assert "Tööpäeviti" in pending and "+372 359 9000" in pending
    assert found(public, "laupäeviti") == []
    # The editor's form shows the proposal, not the published text.
    assert "Ka laupäeviti" in client.get(edit_url(offer)).content.decode()

    public.get(PAGE)
    cached = public.get(PAGE)
    assert cached["X-Cache"] == "HIT" and "Tööpäeviti" in cached.content.decode()

    login(client, narva["moderator"])
    review = client.get(reverse("publishing:review")).content.decode()
    assert "Ka laupäeviti" in review and "T 13–16" in review
    for change in PendingChange.objects.all():
        assert act(client, change, "approve").status_code == 302
    assert not PendingChange.objects.exists()

    after = public.get(PAGE)
    assert after["X-Cache"] == "MISS"
    shown = public_texts(public)
    for text in ("Ka laupäeviti", "T 13–16", "+372 359 1111"):
        assert text in shown
    assert "Tööpäeviti" not in shown and "+372 359 9000" not in shown
    assert [hit["url"] for hit in found(public, "laupäeviti")]
    contact.refresh_from_db()
    assert contact.languages == ["et", "ru"]


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_submit_and_approval_are_logged_with_who_what_and_when(client, narva):
    offer = narva["offer"]
    tg = TargetGroup.objects.order_by("pk").first()
    login(client, narva["editor"])
    client.post(edit_url(offer), offer_form(offer, notes_et="Uus", target_groups=[tg.pk]))
    change = PendingChange.objects.get()
    assert change.submitted_by == narva["editor"] and change.changes == {
        "notes_et": "Uus",
        "target_groups": [tg.pk],
    }
    login(client, narva["moderator"])
    act(client, change, "approve")
    offer.refresh_from_db()
    assert offer.notes_et == "Uus" and list(offer.target_groups.all()) == [tg]

    entries = ModelLogEntry.objects.filter(object_id=str(offer.pk), content_type__model="offer")
    submit = entries.get(action="publishing.submit")
    approve = entries.get(action="publishing.approve")
    assert submit.user == narva["editor"] and submit.data["changed"]["notes_et"] == ["Tööpäeviti", "Uus"]
    assert approve.user == narva["moderator"] and approve.data["changed"]["target_groups"] == [[], [tg.pk]]
    assert submit.timestamp <= approve.timestamp
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    history = client.get(reverse("wagtailsnippets_directory_offer:history", args=[offer.pk])).content.decode()
    assert "Change submitted for approval" in history and "Change approved and published" in history


@pytestmark_db
def test_an_approved_estonian_change_flags_the_translation_as_the_editors(client, narva):
    from publishing.models import OutdatedTranslation

    contact = narva["contact"]
    ContactPerson.objects.filter(pk=contact.pk).update(reception_hours_ru="Пн 9–12")
    contact.refresh_from_db()
    login(client, narva["editor"])
    client.post(edit_url(contact), contact_form(contact, reception_hours_et="E 10–13"))
    assert not OutdatedTranslation.objects.exists()  # nothing published changed yet
    login(client, narva["moderator"])
    act(client, PendingChange.objects.get(), "approve")
    flag = OutdatedTranslation.objects.get(field="reception_hours", language="ru")
    assert flag.source_changed_by == narva["editor"]


@pytestmark_db
def test_rejection_keeps_the_published_version_and_returns_the_change_to_its_editor(client, narva):
    contact = narva["contact"]
    login(client, narva["editor"])
    client.post(edit_url(contact), contact_form(contact, phone="+372 000"))
    change = PendingChange.objects.get()
    login(client, narva["moderator"])
    assert act(client, change, "reject").status_code == 302  # no reason: refused
    assert not PendingChange.objects.get().is_returned
    assert act(client, change, "reject", comment="Vale number").status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "+372 359 9000"
    change = PendingChange.objects.get()
    assert change.is_returned and change.reason == "Vale number" and change.returned_by == narva["moderator"]
    entry = ModelLogEntry.objects.get(action="publishing.reject", object_id=str(contact.pk))
    assert entry.user == narva["moderator"] and entry.data["comment"] == "Vale number"
    assert entry.data["changed"]["phone"] == ["+372 359 9000", "+372 000"]
    # Not in the moderator's queue any more; the editor finds her text with the reason.
    assert "+372 000" not in client.get(reverse("publishing:review")).content.decode()
    login(client, narva["editor"])
    page = client.get(edit_url(contact)).content.decode()
    assert "+372 000" in page and "Vale number" in page
    client.post(edit_url(contact), contact_form(contact, phone="+372 359 0001"))
    change = PendingChange.objects.get()
    assert not change.is_returned and change.changes == {"phone": "+372 359 0001"}


@pytestmark_db
def test_another_kov_can_neither_see_nor_decide_a_pending_change(client, narva):
    offer = narva["offer"]
    login(client, narva["editor"])
    client.post(edit_url(offer), offer_form(offer, notes_et="Salajane muudatus"))
    change = PendingChange.objects.get()
    # The editor who submitted cannot approve it.
    assert act(client, change, "approve").status_code == 403
    for user in (narva["tallinn_moderator"], narva["tallinn_editor"]):
        login(client, user)
        assert "Salajane muudatus" not in client.get(reverse("publishing:review")).content.decode()
        assert "Salajane muudatus" not in client.get(reverse("publishing:changes")).content.decode()
        assert client.get(edit_url(offer)).status_code == 403
        for name in ("approve", "reject", "discard"):
            assert act(client, change, name).status_code == 403
        decide = client.post(reverse("publishing:approve_selected"), {"entry": f"change:{change.pk}"})
        assert decide.status_code == 403
    assert PendingChange.objects.filter(pk=change.pk).exists()
    offer.refresh_from_db()
    assert offer.notes_et == "Tööpäeviti"


@pytestmark_db
def test_editing_again_revises_the_change_and_going_back_withdraws_it(client, narva):
    offer = narva["offer"]
    login(client, narva["editor"])
    client.post(edit_url(offer), offer_form(offer, notes_et="Esimene"))
    client.post(edit_url(offer), offer_form(offer, notes_et="Teine", languages=["et", "ru"]))
    change = PendingChange.objects.get()
    assert change.changes == {"notes_et": "Teine", "languages": ["et", "ru"]}
    client.post(edit_url(offer), offer_form(offer))
    assert not PendingChange.objects.exists()
    assert ModelLogEntry.objects.filter(action="publishing.discard", object_id=str(offer.pk)).exists()


@pytestmark_db
def test_a_change_made_stale_by_another_change_is_not_approved(client, narva):
    contact = narva["contact"]
    login(client, narva["editor"])
    client.post(edit_url(contact), contact_form(contact, phone="+372 111"))
    ContactPerson.objects.filter(pk=contact.pk).update(phone="+372 222")  # e.g. an administrator
    login(client, narva["moderator"])
    act(client, PendingChange.objects.get(), "approve")
    contact.refresh_from_db()
    assert contact.phone == "+372 222" and PendingChange.objects.exists()


@pytestmark_db
def test_a_draft_offer_is_still_edited_in_place(client, narva):
    offer = narva["offer"]
    Offer.objects.filter(pk=offer.pk).update(status="draft")
    offer.refresh_from_db()
    login(client, narva["editor"])
    client.post(edit_url(offer), offer_form(offer, notes_et="Mustand"))
    offer.refresh_from_db()
    assert offer.notes_et == "Mustand" and not PendingChange.objects.exists()


@pytestmark_db
def test_moderator_approves_changes_in_a_batch_from_the_review_queue(client, narva):
    offer, contact = narva["offer"], narva["contact"]
    login(client, narva["editor"])
    client.post(edit_url(offer), offer_form(offer, notes_et="Partii"))
    client.post(edit_url(contact), contact_form(contact, contact_for_et="Toetused"))
    login(client, narva["moderator"])
    entries = [f"change:{c.pk}" for c in PendingChange.objects.all()]
    assert client.post(reverse("publishing:approve_selected"), {"entry": entries}).status_code == 302
    offer.refresh_from_db()
    contact.refresh_from_db()
    assert offer.notes_et == "Partii" and contact.contact_for_et == "Toetused"
