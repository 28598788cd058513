"""What the public pages show of referral routes, read in a fixed number of queries: a
municipality's routes for a situation and a partner kind, each with the contact person now in
its KOV role; the fallback where no route is agreed; what the help may cost for the leaflet."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from directory.models import Component, ContactPerson, Journey, Municipality, Offer, Service, TargetGroup
from portal.listings import listing_offers

from .models import ReferralRoute

FALLBACK_ROLE = "social-worker"
LEAFLET_OFFERS = 6


@dataclass
class Situation:
    """A journey or a target group, chosen by its catalogue code."""

    journey: Journey | None = None
    target_group: TargetGroup | None = None

    @property
    def code(self) -> str:
        return (self.journey or self.target_group).code if self else ""

    def __bool__(self) -> bool:
        return bool(self.journey or self.target_group)


def situations() -> tuple[list[Journey], list[TargetGroup]]:
    return list(Journey.objects.order_by("position", "code")), list(TargetGroup.objects.order_by("code"))


def situation(code: str) -> Situation | None:
    """The journey or target group with the code; None for an unknown code."""
    if not code:
        return Situation()
    journey = Journey.objects.filter(code=code).prefetch_related("target_groups").first()
    if journey is not None:
        return Situation(journey=journey)
    group = TargetGroup.objects.filter(code=code).first()
    return Situation(target_group=group) if group is not None else None


def with_contacts(routes: list[ReferralRoute]) -> list[ReferralRoute]:
    """Attach each route's current contacts of its KOV role (one query for all)."""
    if not routes:
        return routes
    contacts = ContactPerson.objects.current().filter(
        municipality_id__in={r.municipality_id for r in routes}, role_id__in={r.kov_role_id for r in routes}
    )
    by_key: dict[tuple[int, int], list[ContactPerson]] = {}
    for contact in contacts.order_by("name"):
        by_key.setdefault((contact.municipality_id, contact.role_id), []).append(contact)
    for route in routes:
        route.current_contacts = by_key.get((route.municipality_id, route.kov_role_id), [])
    return routes


def routes_for(
    municipality: Municipality, chosen: Situation | None = None, partner_kind: str = ""
) -> list[ReferralRoute]:
    routes = ReferralRoute.objects.public().filter(municipality=municipality)
    if chosen:
        routes = routes.for_situation(chosen.journey, chosen.target_group)
    if partner_kind:
        routes = routes.for_partner_kind(partner_kind)
    routes = routes.select_related("municipality", "partner", "journey", "target_group", "kov_role")
    return with_contacts(list(routes))


def route(pk: int) -> ReferralRoute | None:
    found = list(
        ReferralRoute.objects.public()
        .filter(pk=pk)
        .select_related("municipality__county", "partner", "journey", "target_group", "kov_role")
    )
    return with_contacts(found)[0] if found else None


@dataclass
class Fallback:
    """Whom to tell where no route is agreed: the KOV's social workers and its general channel."""

    municipality: Municipality
    contacts: list[ContactPerson] = field(default_factory=list)


def fallback(municipality: Municipality) -> Fallback:
    contacts = list(
        ContactPerson.objects.current().filter(municipality=municipality, role__code=FALLBACK_ROLE)
    )
    return Fallback(municipality, contacts)


def costs(route: ReferralRoute) -> list[Offer]:
    """The KOV's own offers (with today's price) of the help the route's situation leads to."""
    if route.journey_id:
        components = Component.objects.filter(journey_steps__journey_id=route.journey_id).values("pk")
        services = Service.objects.filter(journey_steps__journey_id=route.journey_id).values("pk")
        wanted = Q(component_id__in=components) | Q(service_id__in=services)
    else:
        wanted = Q(target_groups=route.target_group_id)
    offers = listing_offers(wanted, municipality=route.municipality)
    priced = [offer for offer in offers if offer.current_price is not None]
    return priced[:LEAFLET_OFFERS]
