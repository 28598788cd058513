"""Stale-data report, mark verified, and the outdated-translation queue."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from directory.models import Offer
from publishing.models import OutdatedTranslation

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.date(2025, 6, 1))
def test_stale_report_lists_unverified_entries_and_verify_button_clears_them(client, kovs, narva_editor):
    n = kovs["narva"]
    fresh = Offer.objects.create(
        municipality=n.municipality,
        component=n.offer.component,
        provider=n.provider,
        last_verified=dt.date(2025, 1, 1),
    )
    client.force_login(narva_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("publishing:stale")).content.decode()
    edit = reverse("wagtailsnippets_directory_offer:edit", args=[n.offer.pk])
    assert edit in page and n.contact.name in page
    assert reverse("wagtailsnippets_directory_offer:edit", args=[fresh.pk]) not in page
    assert "Tallinn" not in page

    # The button is a CSRF-protected POST.
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(narva_editor)
    assert strict.post(reverse("publishing:action", args=["offer", n.offer.pk, "verify"])).status_code == 403
    n.offer.refresh_from_db()
    assert n.offer.last_verified == dt.date(2020, 5, 1)

    client.post(reverse("publishing:action", args=["offer", n.offer.pk, "verify"]))
    client.post(reverse("publishing:action", args=["contact", n.contact.pk, "verify"]))
    n.offer.refresh_from_db()
    assert n.offer.last_verified == dt.date(2025, 6, 1)
    page = client.get(reverse("publishing:stale")).content.decode()
    assert edit not in page and n.contact.name not in page


def test_coordinator_sees_county_but_cannot_mark_verified(client, kovs, ida_coordinator):
    n = kovs["narva"]
    client.force_login(ida_coordinator)
    assert client.post(reverse("publishing:action", args=["offer", n.offer.pk, "verify"])).status_code == 403
    overview = client.get(reverse("publishing:overview")).content.decode()
    assert "Narva linn" in overview and "Tallinn" not in overview


def test_estonian_change_flags_translations_until_updated(client, kovs, narva_editor):
    n = kovs["narva"]
    offer = n.offer
    offer.notes_et = "Uus eestikeelne märkus"
    offer.save()
    flag = OutdatedTranslation.objects.get(object_id=str(offer.pk), field="notes")
    assert flag.language == "ru"  # en was empty: nothing to be outdated
    client.force_login(narva_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    queue = client.get(reverse("publishing:translations")).content.decode()
    assert reverse("wagtailsnippets_directory_offer:edit", args=[offer.pk]) in queue
    edit = client.get(reverse("wagtailsnippets_directory_offer:edit", args=[offer.pk])).content.decode()
    assert "Translation outdated" in edit

    offer.notes_ru = "Новая заметка"
    offer.save()
    assert not OutdatedTranslation.objects.exists()


def test_changing_both_languages_together_flags_nothing(kovs):
    contact = kovs["narva"].contact
    contact.contact_for_et = "Uus"
    contact.contact_for_ru = "Новое"
    contact.save()
    assert not OutdatedTranslation.objects.exists()


def test_confirming_a_translation_clears_the_flag_and_is_logged(client, kovs, narva_editor, tallinn_editor):
    contact = kovs["narva"].contact
    contact.contact_for_et = "Muudetud"
    contact.save()
    flag = OutdatedTranslation.objects.get()
    client.force_login(tallinn_editor)
    assert client.post(reverse("publishing:confirm_translation", args=[flag.pk])).status_code == 403
    assert client.get(reverse("publishing:translations")).content.decode().count("Muudetud") == 0
    client.force_login(narva_editor)
    client.post(reverse("publishing:confirm_translation", args=[flag.pk]))
    assert not OutdatedTranslation.objects.exists()


def test_setup_kov_permissions_is_idempotent(kovs):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("setup_kov_permissions")
    count = Group.objects.count()
    call_command("setup_kov_permissions")
    assert Group.objects.count() == count
    assert Group.objects.filter(name="KOV moderators: narva-linn").exists()
    assert (
        not Group.objects.get(name="KOV editors: narva-linn")
        .permissions.filter(codename__startswith="delete")
        .exists()
    )
