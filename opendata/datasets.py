"""The open datasets: what each contains, its columns and its rows. Public fields only —
professionals' direct lines and duty phones never appear here."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from directory import models as m
from referrals import opendata as referrals

from . import access

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    keywords: tuple[str, ...]
    columns: tuple[str, ...]
    rows: Callable[[], Iterator[tuple]]


def _join(values) -> str:
    return ";".join(values)


def _item(offer: m.Offer) -> m.Component | m.Service:
    return offer.component or offer.service


PRICE_COLUMNS = (
    "price_id",
    "offer_id",
    "municipality_code",
    "municipality_ehak",
    "municipality_name",
    "county_code",
    "item_kind",
    "item_code",
    "item_name",
    "provider_name",
    "provider_registry_code",
    "unit_code",
    "unit_name",
    "price_individual",
    "price_group",
    "client_share_amount",
    "client_share_percent",
    "currency",
    "valid_from",
    "valid_to",
    "published_at",
    "is_demo",
)


def _price_rows(prices) -> Iterator[tuple]:
    prices = prices.select_related(
        "unit", "offer__municipality__county", "offer__component", "offer__service", "offer__provider"
    ).order_by("offer__municipality__code", "offer_id", "valid_from", "pk")
    for p in prices.iterator(chunk_size=2000):
        offer = p.offer
        item = _item(offer)
        yield (
            p.pk,
            offer.pk,
            offer.municipality.code,
            offer.municipality.ehak,
            offer.municipality.name_et,
            offer.municipality.county.code,
            offer.kind,
            item.code,
            item.name_et,
            offer.provider.name,
            offer.provider.registry_code,
            p.unit.code,
            p.unit.name_et,
            p.price_individual,
            p.price_group,
            p.client_share_amount,
            p.client_share_percent,
            p.currency,
            p.valid_from,
            p.valid_to,
            p.published_at,
            offer.is_demo,
        )


def current_price_rows() -> Iterator[tuple]:
    return _price_rows(m.Price.objects.current())


def price_history_rows() -> Iterator[tuple]:
    return _price_rows(m.Price.objects.published())


OFFER_COLUMNS = (
    "offer_id",
    "municipality_code",
    "municipality_ehak",
    "municipality_name",
    "item_kind",
    "item_code",
    "item_name",
    "provider_id",
    "provider_name",
    "provider_registry_code",
    "provider_kind",
    "work_forms",
    "target_groups",
    "languages",
    "notes",
    "last_verified",
    "valid_from",
    "valid_to",
    "is_demo",
)


def offer_rows() -> Iterator[tuple]:
    offers = (
        m.Offer.objects.public()
        .select_related("municipality", "provider", "component", "service")
        .prefetch_related(Prefetch("target_groups", queryset=m.TargetGroup.objects.order_by("code")))
        .order_by("municipality__code", "pk")
    )
    for o in offers:
        item = _item(o)
        yield (
            o.pk,
            o.municipality.code,
            o.municipality.ehak,
            o.municipality.name_et,
            o.kind,
            item.code,
            item.name_et,
            o.provider.pk,
            o.provider.name,
            o.provider.registry_code,
            o.provider.kind,
            _join(o.work_forms),
            _join(g.code for g in o.target_groups.all()),
            _join(o.languages),
            o.notes_et,
            o.last_verified,
            o.valid_from,
            o.valid_to,
            o.is_demo,
        )


CONTACT_COLUMNS = (
    "contact_id",
    "municipality_code",
    "municipality_ehak",
    "municipality_name",
    "role_code",
    "role_name",
    "name",
    "job_title",
    "phone",
    "email",
    "reception_hours",
    "languages",
    "contact_for",
    "last_verified",
    "valid_from",
    "valid_to",
    "is_demo",
)


def contact_rows() -> Iterator[tuple]:
    contacts = (
        m.ContactPerson.objects.current()
        .select_related("municipality", "role")
        .order_by("municipality__code", "role__position", "role__code", "name", "pk")
    )
    for c in contacts:
        yield (
            c.pk,
            c.municipality.code,
            c.municipality.ehak,
            c.municipality.name_et,
            c.role.code,
            c.role.name_et,
            c.name,
            c.job_title_et,
            c.phone,
            c.email,
            c.reception_hours_et,
            _join(c.languages),
            c.contact_for_et,
            c.last_verified,
            c.valid_from,
            c.valid_to,
            c.is_demo,
        )


CATALOGUE_COLUMNS = (
    "type",
    "code",
    "parent_type",
    "parent_code",
    "name_et",
    "name_ru",
    "name_en",
    "description_et",
    "description_ru",
    "description_en",
)


def catalogue_rows() -> Iterator[tuple]:
    def row(kind, obj, parent_kind="", parent_code="", text="summary"):
        return (
            kind,
            obj.code,
            parent_kind,
            parent_code,
            obj.name_et,
            obj.name_ru or "",
            obj.name_en or "",
            getattr(obj, f"{text}_et", "") or "",
            getattr(obj, f"{text}_ru", "") or "",
            getattr(obj, f"{text}_en", "") or "",
        )

    for county in m.County.objects.order_by("code"):
        yield (
            "county",
            county.code,
            "",
            "",
            county.name_et,
            county.name_ru or "",
            county.name_en or "",
            county.ehak,
            "",
            "",
        )
    for kov in m.Municipality.objects.select_related("county").order_by("code"):
        yield (
            "municipality",
            kov.code,
            "county",
            kov.county.code,
            kov.name_et,
            kov.name_ru or "",
            kov.name_en or "",
            kov.ehak,
            "",
            "",
        )
    for tier in m.Tier.objects.order_by("code"):
        yield row("tier", tier, text="description")
    for domain in m.Domain.objects.select_related("tier").order_by("position", "code"):
        yield row("domain", domain, "tier", domain.tier.code, text="none")
    for component in m.Component.objects.select_related("domain").order_by("position", "code"):
        yield row("component", component, "domain", component.domain.code)
    for service in m.Service.objects.order_by("position", "code"):
        yield row("service", service)
    for group in m.TargetGroup.objects.order_by("code"):
        yield row("target-group", group, text="description")
    for role in m.Role.objects.order_by("position", "code"):
        yield row("role", role, text="contact_for")
    for unit in m.Unit.objects.order_by("code"):
        yield row("unit", unit, text="none")


DATASETS = (
    Dataset(
        "prices-current",
        _("Current prices"),
        _(
            "Prices of social-care service components and services in force today, per municipality "
            "and provider: price per unit for individual and group work and the client's own share."
        ),
        (_("prices"), _("social care"), _("municipalities")),
        PRICE_COLUMNS,
        current_price_rows,
    ),
    Dataset(
        "prices-history",
        _("Price history"),
        _(
            "Every published price with its validity period; a new price closes the previous one. "
            "Answers “what did this cost on a given date?”."
        ),
        (_("prices"), _("history"), _("social care")),
        PRICE_COLUMNS,
        price_history_rows,
    ),
    Dataset(
        "offers",
        _("Offers"),
        _(
            "Which municipality offers which service component or social service, through which "
            "provider, in which work forms and languages and for whom."
        ),
        (_("services"), _("providers"), _("municipalities")),
        OFFER_COLUMNS,
        offer_rows,
    ),
    Dataset(
        "contacts",
        _("Contact persons"),
        _(
            "Municipal social workers, case managers and care coordinators: role, phone, e-mail, "
            "reception hours and languages spoken (public contact details only)."
        ),
        (_("contacts"), _("social workers"), _("municipalities")),
        CONTACT_COLUMNS,
        contact_rows,
    ),
    Dataset(
        "catalogue",
        _("Service catalogue"),
        _(
            "Counties, municipalities, tiers, life domains, service components, social services, "
            "target groups, roles and units with their stable codes, in Estonian, Russian and English."
        ),
        (_("catalogue"), _("classification"), _("social care")),
        CATALOGUE_COLUMNS,
        catalogue_rows,
    ),
)

DATASETS += (
    Dataset(
        "service-locations",
        _("Service locations"),
        _(
            "Places where help is given: address, WGS84 coordinates, accessibility of the premises, "
            "opening hours (OpenStreetMap opening_hours syntax) and the offers given there."
        ),
        ("locations", "opening hours", "accessibility"),
        access.LOCATION_COLUMNS,
        access.location_rows,
    ),
    Dataset(
        "how-to-get-help",
        _("How to get the help"),
        _(
            "Per offer: where it is given, the settlements served, who qualifies, how to apply, "
            "and the latest free places and waiting time with the date stated (stale after 30 days)."
        ),
        ("eligibility", "waiting times", "free places"),
        access.ACCESS_COLUMNS,
        access.access_rows,
    ),
    Dataset(
        "referral-routes",
        referrals.TITLE,
        referrals.DESCRIPTION,
        referrals.KEYWORDS,
        referrals.ROUTE_COLUMNS,
        referrals.route_rows,
    ),
)

BY_SLUG = {d.slug: d for d in DATASETS}
FORMATS = {
    "csv": ("text/csv", "CSV"),
    "json": ("application/json", "JSON"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
}
