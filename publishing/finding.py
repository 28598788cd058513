"""The admin's search for KOV staff: one query over their offers, prices, contact persons and
providers (publishing.scope), matching each listing's own search fields, so "show all" on
the listing finds the same rows. Wagtail's page search stays for those with page rights."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from directory.models import ContactPerson, Offer, Price, Provider

from . import scope
from .viewsets import ContactPersonViewSet, OfferViewSet, PriceViewSet, ProviderViewSet

SHOWN = 10
VIEWSETS = (OfferViewSet, PriceViewSet, ContactPersonViewSet, ProviderViewSet)
RELATED = {
    Offer: ("municipality", "provider", "component", "service"),
    Price: ("unit", "offer__municipality", "offer__component", "offer__service", "offer__provider"),
    ContactPerson: ("municipality", "role"),
    Provider: (),
}


@dataclass
class Found:
    label: str
    model_name: str
    count: int
    rows: list
    all_url: str


def matching(viewset, user, query: str) -> QuerySet:
    """The user's rows of the viewset's model containing every word of `query` in one of the
    listing's search fields."""
    model = viewset.model
    rows = scope.visible_queryset(model, user)
    for word in query.split():
        rows = rows.filter(reduce(or_, (Q(**{f"{name}__icontains": word}) for name in viewset.search_fields)))
    return rows.select_related(*RELATED[model]).distinct().order_by(*viewset.ordering)


def search(user, query: str) -> list[Found]:
    query = query.strip()
    if not query:
        return []
    found = []
    for viewset in VIEWSETS:
        rows = matching(viewset, user, query)
        listing = reverse(f"wagtailsnippets_directory_{viewset.model._meta.model_name}:list")
        found.append(
            Found(
                label=viewset.menu_label,
                model_name=viewset.model._meta.model_name,
                count=rows.count(),
                rows=list(rows[:SHOWN]),
                all_url=f"{listing}?{urlencode({'q': query})}",
            )
        )
    return found


def can_search(user) -> bool:
    return scope.is_unrestricted(user) or scope.visible_municipalities(user).exists()
