"""The background jobs that send the e-mails. Each is safe to run again: a (event, recipient)
pair is sent once (`Delivery`), so a retry after an SMTP failure only sends what is missing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from directory.models import ContactPerson, Municipality, Offer
from directory.models.offers import today
from jobs.runner import job
from publishing.viewsets import edit_url

from . import kinds, mail
from .models import Delivery, Frequency, Kind, Preference

STALE_AFTER = dt.timedelta(days=365)
AGEING_ROWS = 100  # rows listed in one monthly e-mail; the rest through the stale-data report


def deliver(kind: str, key: str, recipients, item: dict) -> int:
    """Send the news `item` about event `key` to each recipient who wants it at once, or keep
    it for their daily digest; returns how many e-mails went out."""
    sent = 0
    for user in recipients:
        frequency = Preference.objects.frequency(user, kind)
        if frequency == Frequency.OFF:
            continue
        delivery, _created = Delivery.objects.get_or_create(
            key=key,
            recipient=user,
            defaults={"kind": kind, "item": item, "digest": frequency == Frequency.DAILY},
        )
        if delivery.sent_at or delivery.digest:
            continue
        mail.send(user, [kind], kinds.build, kind, delivery.item)
        Delivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def _user(pk):
    return get_user_model().objects.filter(pk=pk, is_active=True).exclude(email="").first() if pk else None


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


@job()
def report_received(report_id: int) -> int:
    from feedback.models import Report

    report = Report.objects.select_related("municipality", "offer", "contact").filter(pk=report_id).first()
    if report is None:
        return 0
    item = {
        "municipality": report.municipality.name,
        "subject": report.subject,
        "message": report.message,
        "page_url": report.page_url,
        "url": reverse("reports:edit", args=[report.pk]),
    }
    return deliver(Kind.REPORT, f"report:{report.pk}", kinds.kov_staff(report.municipality), item)


@job()
def reply_to_resident(report_id: int) -> int:
    """E-mail the KOV's reply to the resident who reported a mistake and gave an address, in
    the language they wrote in. Each reply goes once: a retry, a second run or saving the
    report again sends nothing more; only a changed reply (a later `replied_at`) is sent."""
    from feedback.models import Report

    report = Report.objects.select_related("municipality").filter(pk=report_id).first()
    if report is None or not report.email or not report.reply.strip() or report.replied_at is None:
        return 0
    if report.reply_sent_at is not None and report.reply_sent_at >= report.replied_at:
        return 0
    mail.send_reply(report)
    Report.objects.filter(pk=report.pk).update(reply_sent_at=timezone.now())
    return 1


@job()
def changes_submitted(event: str, municipality_id: int, entries: list[dict], by_id: int | None) -> int:
    municipality = Municipality.objects.get(pk=municipality_id)
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    item = {
        "municipality": municipality.name,
        "entries": entries,
        "by": _name(by),
        "review": reverse("publishing:review"),
    }
    moderators = kinds.kov_staff(municipality, editors=False).exclude(pk=by_id)
    return deliver(Kind.SUBMITTED, f"submitted:{event}", moderators, item)


@job()
def changes_decided(
    event: str, submitter_id: int, entries: list[dict], approved: bool, comment: str, by_id: int
) -> int:
    submitter = _user(submitter_id)
    if submitter is None:
        return 0
    by = get_user_model().objects.filter(pk=by_id).first()
    item = {"entries": entries, "approved": approved, "comment": comment, "by": _name(by)}
    return deliver(Kind.DECIDED, f"decided:{event}", [submitter], item)


@job()
def import_applied(import_id: int) -> int:
    from publishing.models import PriceImport

    record = PriceImport.objects.select_related("municipality").filter(pk=import_id).first()
    if record is None:
        return 0
    summary = record.summary or {}
    sent = 0
    uploader = _user(record.uploaded_by_id)
    if uploader is not None:
        item = {
            "filename": record.filename,
            "municipality": record.municipality.name,
            "summary": summary,
            "url": reverse("publishing:import_preview", args=[record.pk]),
        }
        sent += deliver(Kind.IMPORT, f"import:{record.pk}", [uploader], item)
    count = summary.get("added", 0) + summary.get("changed", 0)
    if count:
        item = {
            "municipality": record.municipality.name,
            "entries": [{"label": record.filename, "url": reverse("publishing:review")}],
            "more": count - 1,
            "by": _name(record.uploaded_by),
            "review": reverse("publishing:review"),
        }
        moderators = kinds.kov_staff(record.municipality, editors=False)
        if record.uploaded_by_id:
            moderators = moderators.exclude(pk=record.uploaded_by_id)
        sent += deliver(Kind.SUBMITTED, f"submitted:import:{record.pk}", moderators, item)
    return sent


def stale_rows(municipality, on: dt.date) -> list[dict]:
    """Current offers and contacts of the KOV not verified since a year before `on`, oldest
    first, with one "still correct" link each; offers say since when their price is unchanged."""
    cutoff = on - STALE_AFTER
    stale = Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff)
    current = Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    rows = []
    offers = (
        Offer.objects.public()
        .filter(stale, current, municipality=municipality)
        .select_related("provider", "component", "service")
        .order_by("last_verified", "pk")
    )
    for offer in offers:
        price = offer.price_on(on)
        old_price = price is not None and price.valid_from < cutoff
        rows.append(
            {
                "label": str(offer),
                "last_verified": offer.last_verified.isoformat() if offer.last_verified else None,
                "price_since": price.valid_from.isoformat() if old_price else None,
                "verify": reverse("notifications_admin:verify", args=["offer", offer.pk]),
                "edit": edit_url(offer),
            }
        )
    contacts = (
        ContactPerson.objects.current()
        .filter(stale, municipality=municipality)
        .select_related("role")
        .order_by("last_verified", "pk")
    )
    for contact in contacts:
        rows.append(
            {
                "label": f"{contact.name} ({contact.role})",
                "last_verified": contact.last_verified.isoformat() if contact.last_verified else None,
                "verify": reverse("notifications_admin:verify", args=["contactperson", contact.pk]),
                "edit": edit_url(contact),
            }
        )
    return rows


@job()
def ageing_reminder(municipality_id: int, month: str) -> int:
    """The monthly reminder to one KOV's staff (`month` as YYYY-MM keys it: one per month)."""
    municipality = Municipality.objects.get(pk=municipality_id)
    rows = stale_rows(municipality, today())
    if not rows:
        return 0
    item = {
        "municipality": municipality.name,
        "rows": rows[:AGEING_ROWS],
        "more": max(len(rows) - AGEING_ROWS, 0),
        "report": reverse("publishing:stale") + f"?kov={municipality.code}",
    }
    return deliver(Kind.AGEING, f"ageing:{municipality.code}:{month}", kinds.kov_staff(municipality), item)


@job()
def send_digest(user_id: int, day: str) -> int:
    """Send the user's waiting digest items in one e-mail (`day` only names the run)."""
    user = _user(user_id)
    if user is None:
        return 0
    waiting = list(
        Delivery.objects.filter(recipient=user, digest=True, sent_at__isnull=True).order_by(
            "created_at", "pk"
        )
    )
    if not waiting:
        return 0
    in_digest = list(dict.fromkeys(d.kind for d in waiting))
    mail.send(user, in_digest, kinds.digest_message, [(d.kind, d.item) for d in waiting])
    Delivery.objects.filter(pk__in=[d.pk for d in waiting]).update(sent_at=timezone.now())
    return 1
