"""Who is told what: the recipients of each kind of e-mail and how its content reads.

Item data (stored on `Delivery.item`) are language-neutral — ids, admin paths, the texts
staff or the resident typed, counts; the words around them are written when the e-mail is
sent, in the recipient's language (`mail.send`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from publishing import scope

from .mail import Item, Message, absolute
from .models import Kind


def kov_staff(municipality, *, editors: bool = True, moderators: bool = True) -> QuerySet:
    """Active staff with an e-mail address in the KOV's editor and/or moderator group
    (administrators are not KOV staff and are not written to)."""
    names = []
    if editors:
        names.append(scope.editor_group_name(municipality.code))
    if moderators:
        names.append(scope.moderator_group_name(municipality.code))
    return (
        get_user_model()
        .objects.filter(groups__name__in=names, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


# -- messages -----------------------------------------------------------------------------


def report_message(item: dict) -> Message:
    details = [_("Municipality: %(name)s") % {"name": item["municipality"]}]
    if item.get("page_url"):
        details.append(_("Page: %(url)s") % {"url": item["page_url"]})
    return Message(
        subject=_("New reported mistake: %(subject)s") % {"subject": item["subject"]},
        intro=_(
            "A resident reported a mistake in %(name)s's data. "
            "Please check it and mark the report as handled."
        )
        % {"name": item["municipality"]},
        items=[
            Item(
                title=item["subject"],
                details=details,
                quote=item["message"],
                links=[(_("Open the report in the admin"), absolute(item["url"]))],
            )
        ],
    )


def submitted_message(item: dict) -> Message:
    count = len(item["entries"])
    by = item.get("by") or _("an editor")
    items = [
        Item(title=entry["label"], links=[(_("Review"), absolute(entry["url"]))])
        for entry in item["entries"][:50]
    ]
    if count > 50 or item.get("more"):
        more = item.get("more", 0) + max(count - 50, 0)
        items.append(Item(title=_("… and %(count)s more") % {"count": more}))
    return Message(
        subject=ngettext(
            "%(count)s change awaits your approval (%(name)s)",
            "%(count)s changes await your approval (%(name)s)",
            count + item.get("more", 0),
        )
        % {"count": count + item.get("more", 0), "name": item["municipality"]},
        intro=_(
            "%(by)s submitted changes to %(name)s's data for approval. "
            "Approve or reject them in the review queue: %(url)s"
        )
        % {"by": by, "name": item["municipality"], "url": absolute(item["review"])},
        items=items,
    )


def decided_message(item: dict) -> Message:
    approved = item["approved"]
    count = len(item["entries"])
    if approved:
        subject = ngettext(
            "Your change was approved and published",
            "Your %(count)s changes were approved and published",
            count,
        )
        intro = _("%(by)s approved and published:") % {"by": item["by"]}
    else:
        subject = ngettext("Your change was rejected", "Your %(count)s changes were rejected", count)
        intro = _("%(by)s rejected these changes and returned them to you:") % {"by": item["by"]}
    items = [
        Item(
            title=entry["label"],
            quote="" if approved else item.get("comment", ""),
            details=[] if approved or item.get("comment") else [_("No reason was given.")],
            links=[(_("Open in the admin"), absolute(entry["url"]))],
        )
        for entry in item["entries"][:50]
    ]
    return Message(subject=subject % {"count": count}, intro=intro, items=items)


def import_message(item: dict) -> Message:
    summary = item["summary"]
    details = [
        _("Prices added: %(count)s") % {"count": summary.get("added", 0)},
        _("Prices changed: %(count)s") % {"count": summary.get("changed", 0)},
        _("Rows unchanged: %(count)s") % {"count": summary.get("unchanged", 0)},
    ]
    return Message(
        subject=_("Your price list %(file)s was applied") % {"file": item["filename"]},
        intro=_("Your upload for %(name)s was applied; the new prices await a moderator's approval.")
        % {"name": item["municipality"]},
        items=[
            Item(
                title=item["filename"], details=details, links=[(_("Open the upload"), absolute(item["url"]))]
            )
        ],
    )


def ageing_message(item: dict) -> Message:
    rows = item["rows"]
    items = []
    for row in rows:
        details = [
            _("Last verified: %(date)s") % {"date": row["last_verified"]}
            if row.get("last_verified")
            else _("Never verified")
        ]
        if row.get("price_since"):
            details.append(_("Price unchanged since %(date)s") % {"date": row["price_since"]})
        items.append(
            Item(
                title=row["label"],
                details=details,
                links=[(_("Still correct"), absolute(row["verify"])), (_("Edit"), absolute(row["edit"]))],
            )
        )
    if item.get("more"):
        items.append(
            Item(
                title=_("… and %(count)s more") % {"count": item["more"]},
                links=[(_("All stale data"), absolute(item["report"]))],
            )
        )
    total = len(rows) + item.get("more", 0)
    return Message(
        subject=ngettext(
            "%(count)s entry of %(name)s not verified for a year",
            "%(count)s entries of %(name)s not verified for a year",
            total,
        )
        % {"count": total, "name": item["municipality"]},
        intro=_(
            "Residents see when each offer and contact was last verified. These have not been "
            "checked for 12 months: confirm each one that is still correct, or edit it."
        ),
        items=items,
    )


BUILDERS = {
    Kind.REPORT: report_message,
    Kind.SUBMITTED: submitted_message,
    Kind.DECIDED: decided_message,
    Kind.IMPORT: import_message,
    Kind.AGEING: ageing_message,
}


def build(kind: str, item: dict) -> Message:
    return BUILDERS[kind](item)


def digest_message(deliveries: list[tuple[str, dict]]) -> Message:
    """One e-mail for the day's news that the recipient wanted as a digest."""
    items = []
    for kind, item in deliveries:
        message = build(kind, item)
        items.append(Item(title=message.subject, details=[message.intro]))
        items.extend(message.items)
    return Message(
        subject=ngettext(
            "Daily summary: %(count)s update", "Daily summary: %(count)s updates", len(deliveries)
        )
        % {"count": len(deliveries)},
        intro=_("What happened in your municipality's data since yesterday's summary."),
        items=items,
    )
