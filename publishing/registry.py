"""Which models KOV staff edit under the publishing workflow, and how to read each of them.

One registration per model says three things: the lookup path from a row to its KOV (the
scope), when a row counts as public (then an edit waits for a moderator as a PendingChange),
and which fields an edit of a published row may change. With that, `scope.visible_queryset`
/ `editable_queryset` / `municipality_of`, `workflow.propose` / `approve` / `reject` /
`recall` / `discard`, the review queue, the change log and `viewsets.ScopedViewSet` work for
the model, with no per-model code::

    from publishing.registry import Reviewed, register

    register(Reviewed(
        ReferralRoute,
        municipality="from_municipality",          # path to the KOV whose staff edit it
        published=lambda route: route.offer.status == "published",
        locked=("from_municipality",),              # never changed once published
    ))

- `municipality`: a lookup path ("municipality", "offer__municipality").
- `published(row) -> bool`: an edit of such a row is kept as a PendingChange until approved;
  None means rows are never edited once public (a price: a change is a new row). A new row
  that `published` calls public (a how-to-apply text) is proposed as a PendingChange too and
  created only on approval; rows with a `status` start as drafts and follow the workflow.
- `offers`: the relation (foreign key or many-to-many) to the offers a row is shown with. A
  row saved with a published offer there — a new one, or one newly linked — would be public
  at once, so it waits for a moderator like an edit of a public row.
- `locked`: fields disabled on the form once the row is public (its identity).
- Inline children (modelcluster ParentalKey relations, e.g. a location's opening hours) are
  proposed and approved with their parent as a whole: nothing to declare.

Register at import time of an app's `wagtail_hooks` (or here, for the directory's models)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce

from django.db import models

from directory.models import (
    Availability,
    ContactPerson,
    Eligibility,
    HowToApply,
    Offer,
    Price,
    PriceStatus,
    ServiceArea,
    ServiceLocation,
)


@dataclass(frozen=True)
class Reviewed:
    model: type[models.Model]
    municipality: str = "municipality"
    published: Callable[[models.Model], bool] | None = None
    locked: tuple[str, ...] = field(default=("municipality",))
    offers: str = ""

    def municipality_of(self, obj):
        """Follows `municipality` attribute by attribute ("offer__municipality")."""
        try:
            return reduce(lambda value, name: getattr(value, name), self.municipality.split("__"), obj)
        except (AttributeError, models.ObjectDoesNotExist):
            return None

    def in_municipalities(self, municipalities) -> models.QuerySet:
        return self.model._default_manager.filter(**{f"{self.municipality}__in": municipalities})

    def needs_approval(self, obj, values: dict | None = None) -> bool:
        """Whether saving `obj` waits for a moderator: it is public now or — given `values`,
        what a form would write (publishing.proposals) — would be once saved."""
        if self.published is None:
            return False
        if obj.pk and self.published(obj):
            return True
        if values is None:
            return False
        if self.offers:
            ids = self.offer_ids(values) if self.offers in values else self.offer_ids_of(obj)
            return Offer.objects.filter(pk__in=ids, status=PriceStatus.PUBLISHED).exists()
        return not obj.pk and self.published(obj)

    @property
    def reviews_additions(self) -> bool:
        """Whether a new row may wait for a moderator: one saved with a published offer, or one
        public as soon as it exists (a how-to-apply text)."""
        return bool(self.offers) or self.published is _always

    def offer_ids(self, values: dict) -> list[int]:
        """The offers named by `offers` in proposed values (JSON)."""
        value = values.get(self.offers) if self.offers else None
        return [pk for pk in (value if isinstance(value, list) else [value]) if pk]

    def offer_ids_of(self, obj) -> list[int]:
        field = self.model._meta.get_field(self.offers)
        if field.many_to_many:
            return list(getattr(obj, self.offers).values_list("pk", flat=True)) if obj.pk else []
        return [getattr(obj, field.attname)]


_REGISTRY: dict[type, Reviewed] = {}


def register(entry: Reviewed) -> Reviewed:
    _REGISTRY[entry.model] = entry
    return entry


def get(model) -> Reviewed | None:
    return _REGISTRY.get(model)


def models_registered() -> tuple[type, ...]:
    return tuple(_REGISTRY)


def _status_published(obj) -> bool:
    return obj.status == PriceStatus.PUBLISHED


def _offer_published(obj) -> bool:
    return obj.offer.status == PriceStatus.PUBLISHED


def _location_published(location) -> bool:
    """A location is public while a published offer is given there."""
    return location.offers.filter(status=PriceStatus.PUBLISHED).exists()


def _always(obj) -> bool:
    return True


OFFER_IDENTITY = ("municipality", "component", "service", "provider")
BY_OFFER = {
    "municipality": "offer__municipality",
    "published": _offer_published,
    "locked": ("offer",),
    "offers": "offer",
}

register(Reviewed(Offer, published=_status_published, locked=OFFER_IDENTITY))
register(Reviewed(ContactPerson, published=_status_published))
register(Reviewed(Price, municipality="offer__municipality", locked=("offer",)))
register(
    Reviewed(
        ServiceLocation, published=_location_published, locked=("municipality", "provider"), offers="offers"
    )
)
register(Reviewed(Eligibility, **BY_OFFER))
register(Reviewed(ServiceArea, **BY_OFFER))
register(Reviewed(Availability, **BY_OFFER))
# The municipality page shows the default at once: every edit of a saved row is reviewed.
register(Reviewed(HowToApply, published=_always))

__all__ = ["Reviewed", "get", "models_registered", "register"]
