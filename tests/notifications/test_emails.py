"""KOV staff are told by e-mail what waits for them: through the real job runner (database
backend) and a real SMTP server, in each recipient's language, with links to the exact admin
page, and never to another KOV's staff."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from directory.models import Price, PriceStatus
from feedback.models import Report
from jobs.runner import run_pending
from notifications.models import Delivery, Frequency, Kind, Preference
from tests.notifications.conftest import html_of, text_of
from tests.publishing.test_imports import upload

pytestmark = pytest.mark.django_db

BASE = "https://abiportaal.example"


@pytest.fixture(autouse=True)
def no_report_limits(settings):
    cache.clear()
    settings.FEEDBACK_MIN_FILL_SECONDS = 0


def report_mistake(client, offer, message):
    url = f"/ru/report-a-mistake/offer/{offer.pk}/"
    started = re.search(r'name="started" value="([^"]+)"', client.get(url).content.decode()).group(1)
    data = {"started": started, "website": "", "message": message, "email": "olga@example.ee"}
    return client.post(url, data)


def committed(capture, action):
    """Run `action` as a request would, committing: the on-commit hooks queue the jobs."""
    with capture(execute=True):
        result = action()
    return result


def test_new_report_reaches_that_kovs_editors_and_moderators_in_their_language(
    client, smtp, staff, kovs, django_capture_on_commit_callbacks
):
    offer = kovs["narva"].offer
    response = committed(
        django_capture_on_commit_callbacks, lambda: report_mistake(client, offer, "Hind on vale, nüüd 12 €.")
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert smtp.inbox.received == []  # nothing is sent inside the request
    run_pending()

    assert smtp.inbox.recipients == {staff["editor"].email, staff["moderator"].email}
    assert smtp.inbox.to(staff["tallinn"].email) == []  # another KOV's staff get nothing
    link = f"{BASE}{reverse('reports:edit', args=[report.pk])}"

    (to_editor,) = smtp.inbox.to(staff["editor"].email)
    assert to_editor["Content-Language"] == "ru"
    assert "Abiportaal" in to_editor["Subject"] and "Новое сообщение об ошибке" in to_editor["Subject"]
    assert link in text_of(to_editor) and f'href="{link}"' in html_of(to_editor)
    assert "Hind on vale, nüüd 12 €." in text_of(to_editor)
    assert "olga@example.ee" not in to_editor.as_string()  # the resident's address stays in the admin
    assert to_editor["Reply-To"] == "tugi@abiportaal.example"

    (to_moderator,) = smtp.inbox.to(staff["moderator"].email)
    assert to_moderator["Content-Language"] == "en"
    assert "New reported mistake" in to_moderator["Subject"]


def test_each_recipient_gets_an_event_once_however_often_its_job_runs(
    client, smtp, staff, kovs, django_capture_on_commit_callbacks
):
    committed(
        django_capture_on_commit_callbacks,
        lambda: report_mistake(client, kovs["narva"].offer, "Hind on vale, vaadake üle"),
    )
    run_pending()
    from notifications.tasks import report_received

    report_received.enqueue(Report.objects.get().pk)  # the same event again (a retry, a restart)
    run_pending()
    assert len(smtp.inbox.to(staff["editor"].email)) == 1
    assert Delivery.objects.filter(key=f"report:{Report.objects.get().pk}").count() == 2


def test_submitted_price_goes_to_the_moderators_and_the_decision_back_to_the_editor(
    client, smtp, staff, kovs, django_capture_on_commit_callbacks
):
    offer = kovs["narva"].offer
    client.force_login(staff["editor"])
    data = {
        "unit": offer.prices.first().unit_id,
        "price_individual": "12.50",
        "client_share": "none",
        "valid_from": "2030-01-01",
        "submit": "1",
    }
    committed(
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("publishing:new_price", args=[offer.pk]), data),
    )
    pending = Price.objects.get(status=PriceStatus.PENDING)
    run_pending()
    assert smtp.inbox.recipients == {staff["moderator"].email}
    (to_moderator,) = smtp.inbox.received[0][1:]
    edit = f"{BASE}{reverse('wagtailsnippets_directory_price:edit', args=[pending.pk])}"
    assert edit in text_of(to_moderator)
    assert f"{BASE}{reverse('publishing:review')}" in text_of(to_moderator)
    assert "1 change awaits your approval (Narva linn)" in to_moderator["Subject"]

    client.force_login(staff["moderator"])
    committed(
        django_capture_on_commit_callbacks,
        lambda: client.post(
            reverse("publishing:action", args=["price", pending.pk, "reject"]), {"comment": "Vale ühik"}
        ),
    )
    run_pending()
    (to_editor,) = smtp.inbox.to(staff["editor"].email)
    assert to_editor["Content-Language"] == "ru"
    assert "отклонено" in to_editor["Subject"] or "отклонены" in to_editor["Subject"]
    assert "Vale ühik" in text_of(to_editor) and edit in text_of(to_editor)
    assert smtp.inbox.to(staff["tallinn"].email) == []


def test_daily_digest_instead_of_one_email_per_submission(
    client, smtp, staff, kovs, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=staff["moderator"], kind=Kind.SUBMITTED, frequency=Frequency.DAILY)
    offer = kovs["narva"].offer
    client.force_login(staff["editor"])
    for amount, day in (("12.00", "2030-01-01"), ("13.00", "2031-01-01")):
        data = {
            "unit": offer.prices.first().unit_id,
            "price_individual": amount,
            "client_share": "none",
            "valid_from": day,
            "submit": "1",
        }
        committed(
            django_capture_on_commit_callbacks,
            lambda data=data: client.post(reverse("publishing:new_price", args=[offer.pk]), data),
        )
    run_pending()
    assert smtp.inbox.received == []

    call_command("send_notification_digests")
    run_pending()
    (digest,) = smtp.inbox.to(staff["moderator"].email)
    assert "Daily summary: 2 updates" in digest["Subject"]
    call_command("send_notification_digests")  # nothing new: nothing sent
    run_pending()
    assert len(smtp.inbox.to(staff["moderator"].email)) == 1


def test_one_click_unsubscribe_stops_that_kind(client, smtp, staff, kovs, django_capture_on_commit_callbacks):
    committed(
        django_capture_on_commit_callbacks,
        lambda: report_mistake(client, kovs["narva"].offer, "Hind on vale, vaadake üle"),
    )
    run_pending()
    (message,) = smtp.inbox.to(staff["editor"].email)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip().strip("<>")
    assert url in text_of(message)
    path = url.removeprefix(BASE)

    page = client.get(path)
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert Preference.objects.frequency(staff["editor"], Kind.REPORT) == Frequency.IMMEDIATE
    assert client.post(path).status_code == 200  # what a mail client's one-click does
    assert Preference.objects.frequency(staff["editor"], Kind.REPORT) == Frequency.OFF
    assert client.get(path.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404  # forged

    cache.clear()
    committed(
        django_capture_on_commit_callbacks,
        lambda: report_mistake(client, kovs["narva"].offer, "Telefon on ka vale"),
    )
    run_pending()
    assert len(smtp.inbox.to(staff["editor"].email)) == 1
    assert len(smtp.inbox.to(staff["moderator"].email)) == 2


def test_staff_choose_their_emails_in_the_admin(client, staff):
    client.force_login(staff["editor"])
    url = reverse("notifications_admin:preferences")
    assert url in client.get(reverse("wagtailadmin_account")).content.decode()
    form = {kind.value: Frequency.IMMEDIATE for kind in Kind}
    form[Kind.SUBMITTED] = Frequency.DAILY
    form[Kind.AGEING] = Frequency.OFF
    assert client.post(url, form).status_code == 302
    assert Preference.objects.frequency(staff["editor"], Kind.SUBMITTED) == Frequency.DAILY
    assert Preference.objects.frequency(staff["editor"], Kind.AGEING) == Frequency.OFF


def test_smtp_failure_is_retried_and_sent_once_the_server_is_back(
    client, smtp, staff, kovs, django_capture_on_commit_callbacks
):
    smtp.stop()
    committed(
        django_capture_on_commit_callbacks,
        lambda: report_mistake(client, kovs["narva"].offer, "Hind on vale, vaadake üle"),
    )
    run_pending()
    job = DBTaskResult.objects.get(task_path="notifications.tasks.report_received")
    assert job.status == TaskResultStatus.READY and "ConnectionRefusedError" in job.traceback

    smtp.start()
    with time_machine.travel(job.run_after + dt.timedelta(seconds=1)):
        run_pending()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert smtp.inbox.recipients == {staff["editor"].email, staff["moderator"].email}
    assert len(smtp.inbox.received) == 2


@time_machine.travel(dt.date(2026, 12, 1))
def test_monthly_reminder_lists_unverified_data_with_a_still_correct_link(client, smtp, staff, kovs):
    call_command("send_ageing_reminders")
    run_pending()
    assert smtp.inbox.recipients == {staff["editor"].email, staff["moderator"].email, staff["tallinn"].email}
    (to_editor,) = smtp.inbox.to(staff["editor"].email)
    narva = kovs["narva"]
    verify = reverse("notifications_admin:verify", args=["offer", narva.offer.pk])
    assert f"{BASE}{verify}" in text_of(to_editor)
    assert reverse("notifications_admin:verify", args=["contactperson", narva.contact.pk]) in text_of(
        to_editor
    )
    assert reverse("notifications_admin:verify", args=["offer", kovs["tallinn"].offer.pk]) not in text_of(
        to_editor
    )
    assert "Цена не менялась с 2024-01-01" in text_of(to_editor)  # in Russian, the editor's language
    call_command("send_ageing_reminders")  # the same month again: nothing new
    run_pending()
    assert len(smtp.inbox.to(staff["editor"].email)) == 1

    client.force_login(staff["editor"])
    page = client.get(verify)
    assert page.status_code == 200
    action = reverse("publishing:action", args=["offer", narva.offer.pk, "verify"])
    assert action in page.content.decode()
    client.post(action, {"next": verify})
    narva.offer.refresh_from_db()
    assert narva.offer.last_verified == dt.date(2026, 12, 1)
    other = reverse("notifications_admin:verify", args=["offer", kovs["tallinn"].offer.pk])
    assert client.get(other).status_code == 404


@time_machine.travel(
    dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC), tick=True
)  # the file's prices start 2026-01-01
def test_applied_upload_tells_the_uploader_the_counts_and_the_moderators_what_waits(
    client, smtp, staff, world, django_capture_on_commit_callbacks
):
    client.force_login(staff["editor"])
    response = upload(client, "valid-utf8.csv")
    assert response.status_code == 302
    committed(django_capture_on_commit_callbacks, lambda: client.post(response["Location"], {"apply": "1"}))
    run_pending()
    (to_editor,) = smtp.inbox.to(staff["editor"].email)
    assert "valid-utf8.csv" in to_editor["Subject"] and to_editor["Content-Language"] == "ru"
    text = text_of(to_editor)
    assert "Добавлено цен: 1" in text and "Изменено цен: 1" in text
    assert f"{BASE}{response['Location']}" in text
    (to_moderator,) = smtp.inbox.to(staff["moderator"].email)
    assert "2 changes await your approval" in to_moderator["Subject"]
    assert smtp.inbox.to(staff["tallinn"].email) == []


def test_approved_change_to_a_published_offer_is_reported_to_the_editor_who_proposed_it(
    client, smtp, staff, kovs, django_capture_on_commit_callbacks
):
    from publishing import workflow
    from publishing.models import PendingChange

    offer = kovs["narva"].offer
    committed(
        django_capture_on_commit_callbacks,
        lambda: workflow.propose(offer, {"notes_et": "Ka laupäeviti"}, staff["editor"]),
    )
    change = PendingChange.objects.get()
    client.force_login(staff["moderator"])
    committed(
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("publishing:action", args=["change", change.pk, "approve"])),
    )
    run_pending()
    (to_editor,) = smtp.inbox.to(staff["editor"].email)
    assert "Ваше изменение утверждено и опубликовано" in to_editor["Subject"]
    edit = reverse("wagtailsnippets_directory_offer:edit", args=[offer.pk])
    assert f"{BASE}{edit}" in text_of(to_editor) and "narva-moderator" in text_of(to_editor)
    (to_moderator,) = smtp.inbox.to(staff["moderator"].email)  # the submission, earlier
    assert "awaits your approval" in to_moderator["Subject"]


def test_a_reply_reaches_the_resident_once_in_their_language(
    client, smtp, staff, kovs, django_capture_on_commit_callbacks
):
    committed(
        django_capture_on_commit_callbacks,
        lambda: report_mistake(client, kovs["narva"].offer, "Цена неверная"),
    )
    report = Report.objects.get()
    assert report.language == "ru"
    assert client.login(username="narva-editor", password="pw-narva-editor")
    url = reverse("reports:edit", args=[report.pk])
    form = {"status": "fixed", "editor_note": "", "reply": "Спасибо, цена исправлена."}
    committed(django_capture_on_commit_callbacks, lambda: client.post(url, form))
    run_pending()
    run_pending()  # a second run sends nothing more
    (answer,) = smtp.inbox.to("olga@example.ee")
    assert answer["Content-Language"] == "ru"
    assert "Спасибо, цена исправлена." in text_of(answer) and "Цена неверная" in text_of(answer)
    assert "Вы написали" in text_of(answer)

    form["editor_note"] = "Checked twice"  # saved again, same reply: no second e-mail
    committed(django_capture_on_commit_callbacks, lambda: client.post(url, form))
    run_pending()
    assert len(smtp.inbox.to("olga@example.ee")) == 1


def test_a_digest_unsubscribes_per_kind(client, smtp, staff, kovs, django_capture_on_commit_callbacks):
    moderator = staff["moderator"]
    for kind in (Kind.REPORT, Kind.SUBMITTED, Kind.AGEING):
        Preference.objects.create(user=moderator, kind=kind, frequency=Frequency.DAILY)
    committed(
        django_capture_on_commit_callbacks,
        lambda: report_mistake(client, kovs["narva"].offer, "Hind on vale, vaadake üle"),
    )
    offer = kovs["narva"].offer
    client.force_login(staff["editor"])
    data = {
        "unit": offer.prices.first().unit_id,
        "price_individual": "12.00",
        "client_share": "none",
        "valid_from": "2030-01-01",
        "submit": "1",
    }
    committed(
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("publishing:new_price", args=[offer.pk]), data),
    )
    client.logout()
    run_pending()
    call_command("send_notification_digests")
    run_pending()
    (digest,) = smtp.inbox.to(moderator.email)
    links = dict(re.findall(r"Stop these e-mails \((.+?)\): (\S+)", text_of(digest)))  # in English
    with translation.override("en"):
        report, submitted = str(Kind.REPORT.label), str(Kind.SUBMITTED.label)
    assert set(links) == {report, submitted}

    assert client.post(links[submitted].removeprefix(BASE)).status_code == 200
    assert Preference.objects.frequency(moderator, Kind.SUBMITTED) == Frequency.OFF
    assert Preference.objects.frequency(moderator, Kind.REPORT) == Frequency.DAILY

    one_click = digest["List-Unsubscribe"].strip().strip("<>").removeprefix(BASE)
    assert client.post(one_click).status_code == 200  # stops what this digest held, nothing else
    assert Preference.objects.frequency(moderator, Kind.REPORT) == Frequency.OFF
    assert Preference.objects.frequency(moderator, Kind.AGEING) == Frequency.DAILY
