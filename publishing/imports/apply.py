"""Writing a checked price list: new offers and prices, awaiting a KOV moderator's approval,
and new availability statements (those of published offers awaiting approval too), all rows
or none, with one audit entry per affected offer."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from directory.models import Availability, Offer, Price, PriceStatus

from .. import workflow
from .plan import ImportPlan

BATCH = 2000
STATEMENT_FIELDS = ("offer", "capacity", "free_places", "waiting_days", "as_of")


@transaction.atomic
def apply_plan(plan: ImportPlan, user=None) -> int:
    """Write the plan's new offers and prices, awaiting a KOV moderator's approval, and its
    new availability statements: of a published offer as additions awaiting approval (as one
    added in the admin, publishing.workflow.propose_additions), of an unpublished one at once;
    all or nothing. Returns the number of prices written; each affected offer gets an audit
    entry."""
    if plan.errors:
        raise ValueError("A plan with errors cannot be applied.")

    new_offers: dict[tuple, Offer] = {}
    for row in plan.additions:
        offer = new_offers.get(row.key)
        if offer is None:
            offer = new_offers[row.key] = Offer(
                municipality=plan.municipality,
                component=row.item if row.kind == "component" else None,
                service=row.item if row.kind == "service" else None,
                provider=row.provider,
                work_forms=[],
                languages=["et"],
                valid_from=row.valid_from,
                status=PriceStatus.PENDING,
            )
        offer.valid_from = min(offer.valid_from, row.valid_from)
        forms = set(offer.work_forms)
        if row.price_individual is not None:
            forms.add("individual")
        if row.price_group is not None:
            forms.add("group")
        offer.work_forms = sorted(forms)
    Offer.objects.bulk_create(new_offers.values())

    now = timezone.now()
    uid = user if user is not None and user.is_authenticated else None
    ordered = sorted(plan.additions + plan.changes, key=lambda r: (r.key, r.valid_from))
    # New rows await approval (status pending), so the model's published-row guard has nothing
    # to check.
    prices = [
        Price(
            offer=row.offer or new_offers[row.key],
            unit=row.unit,
            price_individual=row.price_individual,
            price_group=row.price_group,
            client_share_amount=row.client_share_amount,
            client_share_percent=row.client_share_percent,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            status=PriceStatus.PENDING,
            created_by=uid,
        )
        for row in ordered
    ]
    Price.objects.bulk_create(prices, batch_size=BATCH)
    statements = plan.new_statements
    rows = [
        Availability(
            offer=s.offer or new_offers[s.key],
            capacity=s.capacity,
            free_places=s.free_places,
            waiting_days=s.waiting_days,
            as_of=s.as_of,
        )
        for s in statements
    ]
    public, unpublished = [], []
    for row in rows:
        (public if row.offer.status == PriceStatus.PUBLISHED else unpublished).append(row)
    workflow.propose_additions(public, STATEMENT_FIELDS, uid, plan.municipality)
    Availability.objects.bulk_create(unpublished, batch_size=BATCH)
    _log(ordered, statements, new_offers, uid, now)
    return len(ordered)


def _log(ordered, statements, new_offers, uid, now) -> None:
    """One audit entry per affected offer (not per price: a 10 000-row list stays fast),
    saying which prices and availability the upload added; each price also records its
    creator and time."""
    offer_type = ContentType.objects.get_for_model(Offer)
    added: dict[int, list[str]] = {}
    offers: dict[int, Offer] = {}
    for row in ordered:
        offer = row.offer or new_offers[row.key]
        offers[offer.pk] = offer
        amount = row.price_individual if row.price_individual is not None else row.price_group
        added.setdefault(offer.pk, []).append(f"{amount} EUR / {row.unit} from {row.valid_from}")
    for s in statements:
        offer = s.offer or new_offers[s.key]
        offers[offer.pk] = offer
        added.setdefault(offer.pk, []).append(
            f"availability {s.free_places} free / {s.capacity} places, {s.waiting_days} days, as of {s.as_of}"
        )
    created = {o.pk for o in new_offers.values()}
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=offer_type,
                object_id=str(offer_id),
                label=str(offers[offer_id])[:255],
                action="publishing.import",
                user=uid,
                timestamp=now,
                data={"created": offer_id in created, "prices": texts[:100]},
            )
            for offer_id, texts in added.items()
        ],
        batch_size=1000,
    )
