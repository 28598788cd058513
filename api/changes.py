"""The changes feed: price, offer and contact changes in the order they happened, so that
partners can sync incrementally and people can follow their municipality.

Each change is (changed_at, type, id): prices change when published (or, for rows published
before `published_at` was recorded, when created); offers and contacts when last updated.
The triple is a total order, so a cursor (the last triple seen) pages without gaps or
repeats even when many rows share a timestamp."""

import base64
import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from directory import models as m

# Tiebreak between rows changed at the same instant.
RANK = {"price": 0, "offer": 1, "contact": 2}


@dataclass(frozen=True)
class Cursor:
    changed_at: dt.datetime
    type: str
    id: int

    def encode(self) -> str:
        raw = f"{self.changed_at.isoformat()}|{self.type}|{self.id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        """Raises ValueError on anything that is not a cursor we issued."""
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            stamp, kind, pk = raw.split("|")
            changed_at = dt.datetime.fromisoformat(stamp)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(value) from exc
        if kind not in RANK or not pk.isdigit() or changed_at.tzinfo is None:
            raise ValueError(value)
        return cls(changed_at, kind, int(pk))


@dataclass
class Change:
    type: str
    obj: object
    changed_at: dt.datetime
    action: str

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.changed_at, self.type, self.obj.pk)

    @property
    def municipality(self) -> m.Municipality:
        return self.obj.offer.municipality if self.type == "price" else self.obj.municipality


def price_rows() -> QuerySet:
    return (
        m.Price.objects.published()
        .annotate(changed_at=Coalesce("published_at", "created_at"))
        .select_related("offer__municipality", "offer__component", "offer__service", "unit")
    )


def offer_rows() -> QuerySet:
    # Every published offer, including withdrawn ones: a withdrawal is a change partners must
    # see; drafts and offers awaiting approval are not public.
    return (
        m.Offer.objects.published()
        .annotate(changed_at=F("updated_at"))
        .select_related("municipality", "provider", "component", "service")
        .prefetch_related(
            "target_groups",
            Prefetch(
                "prices", queryset=m.Price.objects.current().select_related("unit"), to_attr="prices_on_date"
            ),
        )
    )


def contact_rows() -> QuerySet:
    return (
        m.ContactPerson.objects.published()
        .annotate(changed_at=F("updated_at"))
        .select_related("municipality", "role")
    )


SOURCES = {"price": price_rows, "offer": offer_rows, "contact": contact_rows}


def _after(kind: str, cursor: Cursor) -> Q:
    later = Q(changed_at__gt=cursor.changed_at)
    if RANK[kind] > RANK[cursor.type]:
        return later | Q(changed_at=cursor.changed_at)
    if RANK[kind] == RANK[cursor.type]:
        return later | Q(changed_at=cursor.changed_at, pk__gt=cursor.id)
    return later


def _action(kind: str, obj) -> str:
    if kind == "price":
        return "published"
    return "created" if abs((obj.updated_at - obj.created_at).total_seconds()) < 1 else "updated"


def changes(
    since: dt.datetime | None = None,
    cursor: Cursor | None = None,
    limit: int = 100,
    municipality: m.Municipality | None = None,
    newest_first: bool = False,
) -> list[Change]:
    """Up to `limit` changes at or after `since` and strictly after `cursor`, oldest first
    (or the newest `limit`, newest first, for the Atom feed)."""
    found: list[Change] = []
    for kind, rows in SOURCES.items():
        qs = rows()
        if municipality is not None:
            field = "offer__municipality" if kind == "price" else "municipality"
            qs = qs.filter(**{field: municipality})
        if since is not None:
            qs = qs.filter(changed_at__gte=since)
        if cursor is not None:
            qs = qs.filter(_after(kind, cursor))
        order = ["-changed_at", "-pk"] if newest_first else ["changed_at", "pk"]
        for obj in qs.order_by(*order)[:limit]:
            found.append(Change(kind, obj, obj.changed_at, _action(kind, obj)))
    found.sort(key=lambda c: (c.changed_at, RANK[c.type], c.obj.pk), reverse=newest_first)
    return found[:limit]
