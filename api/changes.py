"""The changes feed: every change to a public price, offer or contact, in commit order, so that
partners can mirror the directory incrementally and people can follow their municipality.

Changes come from the change log (`ChangeRecord`), which database triggers write in the same
transaction as the change itself; each record gets its position when its transaction commits,
so position order is commit order and a cursor (the last position read) never skips a change
that was still in flight when the partner polled. An object appears once, at its latest
change, with its row as it is now: closing a price, ending an offer or correcting a contact
moves it to the end of the feed; an object no longer public (deleted or unpublished) appears
as a tombstone (`action: "deleted"`, no data). A mirror that applies the feed in order ends
equal to the directory."""

import base64
import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from directory import models as m

from .access import with_access
from .models import ChangeLogHorizon, ChangeRecord

KINDS = ("price", "offer", "contact")


@dataclass(frozen=True)
class Cursor:
    position: int

    def encode(self) -> str:
        return base64.urlsafe_b64encode(f"p{self.position}".encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        """Raises ValueError on anything that is not a cursor we issued."""
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(value) from exc
        if not raw.startswith("p") or not raw[1:].isascii() or not raw[1:].isdigit() or len(raw) > 20:
            raise ValueError(value)
        return cls(int(raw[1:]))


@dataclass
class Change:
    type: str
    id: int
    obj: object | None  # None: a tombstone
    changed_at: dt.datetime
    action: str
    position: int
    municipality_code: str | None

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.position)

    @property
    def municipality(self) -> m.Municipality | None:
        if self.obj is None:
            return None
        return self.obj.offer.municipality if self.type == "price" else self.obj.municipality


def price_rows() -> QuerySet:
    return (
        m.Price.objects.published()
        .select_related("offer__municipality", "offer__component", "offer__service", "unit")
        .prefetch_related("corrections")
    )


def offer_rows() -> QuerySet:
    # Every published offer, including ended ones: partners must see the end. With what
    # OfferWithAccessSerializer reads (the feed serves offers as /offers/ does).
    return with_access(
        m.Offer.objects.published()
        .select_related("municipality", "provider", "component", "service")
        .prefetch_related(
            "target_groups",
            Prefetch(
                "prices", queryset=m.Price.objects.current().select_related("unit"), to_attr="prices_on_date"
            ),
        )
    )


def contact_rows() -> QuerySet:
    return m.ContactPerson.objects.published().select_related("municipality", "role")


SOURCES = {"price": price_rows, "offer": offer_rows, "contact": contact_rows}


def stamp_own_changes() -> None:
    """Give this transaction's own records their positions now (PostgreSQL hands them out at
    commit). Only a reader inside a transaction that has itself written — a test, a script —
    has any; the position lock is then held until that transaction ends."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS api_changerecord_stamp IMMEDIATE")


def latest_records(
    since: dt.datetime | None = None,
    cursor: Cursor | None = None,
    municipality: m.Municipality | None = None,
) -> QuerySet:
    """Each object's latest committed record (records with a position), filtered."""
    later = ChangeRecord.objects.filter(
        kind=OuterRef("kind"), object_id=OuterRef("object_id"), position__gt=OuterRef("position")
    )
    records = ChangeRecord.objects.filter(position__isnull=False).exclude(Exists(later))
    if cursor is not None:
        records = records.filter(position__gt=cursor.position)
    if since is not None:
        records = records.filter(changed_at__gte=since)
    if municipality is not None:
        records = records.filter(municipality_id=municipality.pk)
    return records


def changes(
    since: dt.datetime | None = None,
    cursor: Cursor | None = None,
    limit: int = 100,
    municipality: m.Municipality | None = None,
    newest_first: bool = False,
) -> list[Change]:
    """Up to `limit` changes at or after `since` and after `cursor`, in commit order (or the
    newest `limit`, newest first, for the Atom feed)."""
    stamp_own_changes()
    records = list(
        latest_records(since, cursor, municipality).order_by("-position" if newest_first else "position")[
            :limit
        ]
    )
    objects = {}
    for kind in KINDS:
        ids = [r.object_id for r in records if r.kind == kind]
        if ids:
            objects.update({(kind, obj.pk): obj for obj in SOURCES[kind]().filter(pk__in=ids)})
    codes = dict(
        m.Municipality.objects.filter(pk__in={r.municipality_id for r in records}).values_list("pk", "code")
    )
    found = []
    for record in records:
        obj = objects.get((record.kind, record.object_id))
        found.append(
            Change(
                type=record.kind,
                id=record.object_id,
                obj=obj,
                changed_at=record.changed_at,
                action=record.action if obj is not None else "deleted",
                position=record.position,
                municipality_code=codes.get(record.municipality_id),
            )
        )
    return found


def last_position() -> int:
    """The position of the latest committed change (0 when there is none)."""
    stamp_own_changes()
    last = ChangeRecord.objects.filter(position__isnull=False).order_by("-position").first()
    return last.position if last else 0


def prune(before: dt.datetime) -> dict[str, int]:
    """Drop change records older than `before` that no answer of the feed can still need:
    those a later change to the same object supersedes, and tombstones of objects no longer
    public. The highest tombstone dropped becomes the horizon below which a cursor must resync."""
    later = ChangeRecord.objects.filter(
        kind=OuterRef("kind"), object_id=OuterRef("object_id"), position__gt=OuterRef("position")
    )
    old = ChangeRecord.objects.filter(position__isnull=False, changed_at__lt=before)
    with transaction.atomic():
        superseded, _by_model = old.filter(Exists(later)).delete()
        tombstones: dict[int, int] = {}  # pk → position
        for kind in KINDS:
            public = SOURCES[kind]().values("pk")
            gone = old.exclude(Exists(later)).filter(kind=kind).exclude(object_id__in=public)
            tombstones.update(gone.values_list("pk", "position"))
        dropped, _by_model = ChangeRecord.objects.filter(pk__in=list(tombstones)).delete()
        horizon = max(tombstones.values(), default=0)
        if horizon > ChangeLogHorizon.current():
            ChangeLogHorizon.objects.update_or_create(
                pk=1, defaults={"position": horizon, "pruned_at": timezone.now()}
            )
    return {"superseded": superseded, "tombstones": dropped, "horizon": ChangeLogHorizon.current()}
