"""The inbox of reported mistakes, over HTTP with real logins: each report opens from the list
and links to its entry; the KOV's moderators see it too; a report is closed as corrected only
once the correction is published, as not a mistake only with the reason; a reply is stored and
announced to the mailer (feedback.signals.report_answered) only for a sender with an e-mail."""

import pytest
from django.urls import reverse

from feedback.models import Report
from feedback.signals import report_answered
from publishing import workflow

pytestmark = pytest.mark.django_db(transaction=True)


def report(kov, **extra):
    return Report.objects.create(
        municipality=kov.municipality, offer=kov.offer, message="Hind on vale.", language="ru", **extra
    )


def edit(client, item, **data):
    form = {"status": item.status, "editor_note": item.editor_note, "reply": item.reply, **data}
    return client.post(f"/admin/reports/edit/{item.pk}/", form)


def test_each_report_opens_from_the_inbox_and_links_to_its_entry(moderator_client, kovs):
    mine, theirs = report(kovs["narva"]), report(kovs["tallinn"])
    listing = moderator_client.get("/admin/reports/").content.decode()
    assert f'href="/admin/reports/edit/{mine.pk}/"' in listing
    assert f"/admin/reports/edit/{theirs.pk}/" not in listing
    page = moderator_client.get(f"/admin/reports/edit/{mine.pk}/").content.decode()
    assert reverse("wagtailsnippets_directory_offer:edit", args=[kovs["narva"].offer.pk]) in page


def test_a_report_is_marked_corrected_only_once_the_correction_is_published(
    client, kovs, narva_editor, narva_moderator
):
    item = report(kovs["narva"])
    offer = kovs["narva"].offer
    workflow.propose(offer, {"notes_et": "Parandatud"}, narva_editor)
    client.force_login(narva_editor)
    response = edit(client, item, status="fixed", editor_note="Parandasin")
    assert response.status_code == 200 and "Parandus ootab veel kinnitust" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "new"
    workflow.approve(workflow.pending_change_for(offer), narva_moderator)
    assert edit(client, item, status="fixed", editor_note="Parandasin").status_code == 302
    item.refresh_from_db()
    assert item.status == "fixed"


def test_not_a_mistake_needs_the_reason(narva_client, kovs):
    item = report(kovs["narva"])
    assert edit(narva_client, item, status="not-a-mistake").status_code == 200
    assert edit(narva_client, item, status="not-a-mistake", editor_note="Hind on õige.").status_code == 302


def test_a_reply_is_stored_and_announced_only_for_a_sender_with_an_e_mail(narva_client, kovs, narva_editor):
    heard = []

    def receiver(sender, report, reply, user, **kwargs):
        heard.append((report.pk, reply, user))

    report_answered.connect(receiver)
    try:
        anonymous = report(kovs["narva"])
        assert edit(narva_client, anonymous, reply="Спасибо!").status_code == 200
        with_email = report(kovs["narva"], email="elanik@example.ee")
        assert edit(narva_client, with_email, reply="Спасибо, исправили.").status_code == 302
    finally:
        report_answered.disconnect(receiver)
    with_email.refresh_from_db()
    assert with_email.reply == "Спасибо, исправили." and with_email.replied_by == narva_editor
    assert heard == [(with_email.pk, "Спасибо, исправили.", narva_editor)]
