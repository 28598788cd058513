"""Report a mistake: anyone can send one without an account; it reaches that KOV's editors in
the Wagtail admin and no one else's; spam and floods are kept out; the sender is answered in
their own language."""

import re
import time

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.utils import translation

from feedback.models import Report
from tests.factories import ContactPersonFactory, MunicipalityFactory, OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    cache.clear()
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    yield
    cache.clear()


@pytest.fixture
def narva(db):
    return MunicipalityFactory(
        code="narva-linn", name_et="Narva linn", name_ru="город Нарва", name_en="Narva"
    )


@pytest.fixture
def tallinn(db):
    return MunicipalityFactory(code="tallinn", name_et="Tallinn", name_ru="Таллинн", name_en="Tallinn")


def form_fields(client, url):
    html = client.get(url).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    return {"started": started, "website": ""}


def send(client, url, message="Hind muutus 1. jaanuaril, nüüd 12 eurot.", **extra):
    data = form_fields(client, url)
    data.update({"message": message, "email": "", **extra})
    return client.post(url, data)


def test_report_about_an_offer_is_stored_for_its_municipality(client, narva):
    offer = OfferFactory(municipality=narva)
    response = send(client, f"/ru/report-a-mistake/offer/{offer.pk}/", email="olga@example.ee")

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.municipality, report.offer, report.language, report.email) == (
        narva,
        offer,
        "ru",
        "olga@example.ee",
    )
    assert report.status == "new"


def test_report_about_a_contact_and_about_the_page(client, narva):
    contact = ContactPersonFactory(municipality=narva)
    send(client, f"/et/report-a-mistake/contact/{contact.pk}/")
    send(client, "/en/report-a-mistake/kov/narva-linn/")
    assert {(r.contact_id, r.offer_id) for r in Report.objects.all()} == {(contact.pk, None), (None, None)}
    assert set(Report.objects.values_list("municipality__code", flat=True)) == {"narva-linn"}


def test_confirmation_is_in_the_senders_language(client, narva):
    response = send(client, "/ru/report-a-mistake/kov/narva-linn/")
    page = client.get(response["Location"])
    with translation.override("ru"):
        thanks = translation.gettext("Thank you — your report was sent")
    assert page.status_code == 200
    assert '<html lang="ru">' in page.content.decode()
    assert thanks != "Thank you — your report was sent" and thanks in page.content.decode()


@pytest.mark.parametrize("message", ["", "short", "x" * 2001])
def test_a_bad_message_is_refused_with_a_clear_error_and_nothing_stored(client, narva, message):
    response = send(client, "/et/report-a-mistake/kov/narva-linn/", message=message)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not Report.objects.exists()


def test_a_bad_email_is_refused(client, narva):
    response = send(client, "/et/report-a-mistake/kov/narva-linn/", email="not an address")
    assert response.status_code == 400 and not Report.objects.exists()


def test_a_filled_honeypot_looks_like_success_but_stores_nothing(client, narva):
    response = send(client, "/et/report-a-mistake/kov/narva-linn/", website="http://spam.example")
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_a_form_sent_back_within_seconds_is_treated_as_a_bot(client, narva, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 3
    url = "/et/report-a-mistake/kov/narva-linn/"
    assert send(client, url).status_code == 302
    assert not Report.objects.exists()

    data = form_fields(client, url)
    with time_machine.travel(time.time() + 30):  # a person takes longer than that
        client.post(url, {**data, "message": "Telefoninumber on vale."})
    assert Report.objects.count() == 1


def test_a_forged_or_missing_time_stamp_asks_to_send_again(client, narva):
    response = client.post(
        "/et/report-a-mistake/kov/narva-linn/", {"message": "Telefoninumber on vale.", "started": "x"}
    )
    assert response.status_code == 400
    assert not Report.objects.exists()
    assert 'name="started" value="' in response.content.decode()


def test_floods_from_one_sender_are_stopped(client, narva, settings):
    settings.FEEDBACK_RATE_LIMIT = 3
    url = "/en/report-a-mistake/kov/narva-linn/"
    statuses = [send(client, url, message=f"Mistake number {n} here").status_code for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Report.objects.count() == 3


def test_the_rate_limit_counts_per_sender(client, narva, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    url = "/en/report-a-mistake/kov/narva-linn/"
    data = {**form_fields(client, url), "message": "The phone number is wrong."}
    assert client.post(url, data, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(url, data, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(url, data, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_unknown_targets_are_not_found(client, narva):
    assert client.get("/et/report-a-mistake/kov/atlantis/").status_code == 404
    assert client.get("/et/report-a-mistake/offer/999999/").status_code == 404
    assert client.get("/et/report-a-mistake/offer/abc/").status_code == 404
    assert client.get("/et/report-a-mistake/planet/1/").status_code == 404


# -- the editors' inbox ---------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model, narva):
    user = django_user_model.objects.create_user("narva-editor", password="pw")
    group = Group.objects.create(name="KOV editors: narva-linn")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def reports(narva, tallinn):
    mine = Report.objects.create(municipality=narva, message="Narva price is wrong", language="ru")
    theirs = Report.objects.create(municipality=tallinn, message="Tallinn phone is wrong", language="et")
    return mine, theirs


def test_an_editor_sees_only_their_municipalitys_reports(client, editor, narva, tallinn):
    mine, theirs = reports(narva, tallinn)
    client.force_login(editor)

    listing = client.get("/admin/reports/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Narva price is wrong" in html and "Tallinn phone is wrong" not in html

    assert client.get(f"/admin/reports/edit/{mine.pk}/").status_code == 200
    assert client.get(f"/admin/reports/edit/{theirs.pk}/", follow=True).status_code == 404
    refused = client.post(f"/admin/reports/edit/{theirs.pk}/", {"status": "fixed", "editor_note": "x"})
    assert refused.status_code in (302, 403, 404)
    theirs.refresh_from_db()
    assert theirs.status == "new", "another KOV's report is untouched"


def test_an_editor_marks_a_report_corrected_but_cannot_rewrite_it(client, editor, narva, tallinn):
    mine, _ = reports(narva, tallinn)
    client.force_login(editor)
    response = client.post(
        f"/admin/reports/edit/{mine.pk}/",
        {"status": "fixed", "editor_note": "Price updated.", "message": "changed!"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.editor_note, mine.message) == (
        "fixed",
        "Price updated.",
        "Narva price is wrong",
    )


def test_editors_cannot_add_or_delete_reports(client, editor, narva, tallinn):
    mine, _ = reports(narva, tallinn)
    client.force_login(editor)
    assert client.get("/admin/reports/new/").status_code in (302, 403)
    client.post(f"/admin/reports/delete/{mine.pk}/")
    assert Report.objects.filter(pk=mine.pk).exists()


def test_people_outside_editor_groups_see_no_reports(client, django_user_model, narva, tallinn):
    reports(narva, tallinn)
    user = django_user_model.objects.create_user("someone", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/reports/").status_code in (302, 403)


def test_a_superuser_sees_every_report(admin_client, narva, tallinn):
    reports(narva, tallinn)
    html = admin_client.get("/admin/reports/").content.decode()
    assert "Narva price is wrong" in html and "Tallinn phone is wrong" in html


def test_behind_the_load_balancer_one_resident_cannot_silence_the_form_for_everyone(client, narva, settings):
    settings.OPS_TRUSTED_PROXY_COUNT = 1
    settings.FEEDBACK_RATE_LIMIT = 2
    url = "/en/report-a-mistake/kov/narva-linn/"
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    flooder = [
        client.post(
            url,
            {**form_fields(client, url), "message": f"Flood number {n} here"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            **balancer,
        ).status_code
        for n in range(3)
    ]
    assert flooder == [302, 302, 429]
    resident = client.post(
        url,
        {**form_fields(client, url), "message": "The phone number is wrong."},
        HTTP_X_FORWARDED_FOR="192.0.2.10",
        **balancer,
    )
    assert resident.status_code == 302
    assert Report.objects.filter(message="The phone number is wrong.").exists()


def test_a_replayed_form_is_stored_once(client, narva, settings):
    url = "/en/report-a-mistake/kov/narva-linn/"
    data = {**form_fields(client, url), "message": "The phone number is wrong."}
    for _ in range(3):
        assert client.post(url, data).status_code == 302
    assert Report.objects.count() == 1
