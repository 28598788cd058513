"""/api/hsds/: the directory in Open Referral HSDS 3.0, following the HSDS API
(api/hsds/schema/openapi30/openapi30.json, served at /api/hsds/openapi.json): every path with
and without a trailing slash, every query parameter it defines, `format=ndjson` streaming.
Public data only: published offers, in force or not (`status` says which)."""

import datetime as dt
import json
import math
import re
import uuid
from pathlib import Path

from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from directory import models as m
from directory.models.places import distance_km

from ..common import ApiViewMixin
from ..models import ChangeRecord
from . import access, mapping

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
LIST_PARAMS = {"page", "per_page", "search"}
TRUE, FALSE = {"true"}, {"false"}  # the OpenAPI document's booleans
INTEGER = re.compile(r"^[+-]?[0-9]{1,30}$", re.ASCII)


class JsonOnly(BaseContentNegotiation):
    """HSDS's `format` parameter picks json or ndjson (the view streams ndjson itself); it
    is not DRF's renderer override, and Accept never turns an HSDS answer into a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class HsdsView(ApiViewMixin, APIView):
    schema = None  # documented by the HSDS specification's own OpenAPI document
    content_negotiation_class = JsonOnly
    extra_params = LIST_PARAMS

    # -- parameters ---------------------------------------------------------------------

    def flag(self, name: str) -> bool:
        value = self.request.query_params.get(name)
        if value is None:
            return False
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        raise exceptions.ValidationError({name: [_("Use %(name)s=true or %(name)s=false.") % {"name": name}]})

    def page_numbers(self) -> tuple[int, int]:
        """Any integer is a page: below 1 is the first page; per_page is capped to 1–500."""

        def number(name, default):
            value = self.request.query_params.get(name)
            if value is None:
                return default
            if not INTEGER.match(value):
                raise exceptions.ValidationError({name: [_("Use a whole number.")]})
            return int(value)

        page = min(max(1, number("page", 1)), 10**9)
        size = number("per_page", PAGE_SIZE)
        return page, (PAGE_SIZE if size < 1 else min(size, MAX_PAGE_SIZE))

    def search_text(self) -> str:
        return (self.request.query_params.get("search") or "").strip()

    @property
    def ndjson(self) -> bool:
        return (self.request.query_params.get("format") or "").lower() == "ndjson"

    # -- answers ------------------------------------------------------------------------

    def paginate(self, rows, build):
        if self.ndjson:
            # Every result, one JSON object per line, without pagination (the HSDS API's format).
            lines = (json.dumps(build(row), ensure_ascii=False) + "\n" for row in _iterate(rows))
            return StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
        page, size = self.page_numbers()
        total = rows.count() if not isinstance(rows, list) else len(rows)
        pages = max(1, math.ceil(total / size))
        chunk = rows[(page - 1) * size : page * size] if (page - 1) * size < total else []
        contents = [build(row) for row in chunk]
        return Response(
            {
                "total_items": total,
                "total_pages": pages,
                "page_number": page,
                "size": len(contents),
                "first_page": page == 1,
                "last_page": page >= pages,
                "empty": not contents,
                "contents": contents,
            }
        )

    def by_id(self, rows, object_id: str):
        for key, row in rows:
            if key == object_id:
                return row
        raise exceptions.NotFound(_("Nothing with id %(id)s.") % {"id": object_id})


def _iterate(rows):
    return rows.iterator(chunk_size=200) if hasattr(rows, "iterator") else iter(rows)


def checked_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise exceptions.NotFound(_("“%(value)s” is not an HSDS id (a UUID).") % {"value": value}) from None


def as_uuid(value: str | None) -> str | None:
    """A filter's id, or None when it is not a UUID (so it matches nothing)."""
    try:
        return str(uuid.UUID(value))
    except (TypeError, ValueError):
        return None


SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
UPSTREAM = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


ERROR_SCHEMA = {
    "type": "object",
    "required": ["status", "code", "message", "errors"],
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "message": {"type": "string"},
        "errors": {"type": "object"},
        "request_id": {"type": "string"},
    },
}
ERROR_RESPONSES = {
    status: {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for status, description in (
        (
            "400",
            "A parameter is not understood (a clear message names it): e.g. postcode, which "
            "cannot be located in Estonia, or a modified_after that is not a date and time.",
        ),
        ("404", "No object with this id."),
        ("429", "Too many requests; Retry-After says when to try again."),
    )
}


class OpenApiDocumentView(HsdsView):
    """The HSDS API's OpenAPI document as shipped, with three additions: its schema references
    point at the copies served below (upstream has no compiled/organization.json: that
    reference reads organization.json), the error answers (400, 404, 429) are documented, and
    so is ndjson where the `format` parameter offers it."""

    extra_params = set()

    def get(self, request):
        text = (SCHEMA_DIR / "openapi30" / "openapi30.json").read_text()
        base = request.build_absolute_uri("/api/hsds/schema/")
        text = text.replace(UPSTREAM + "compiled/organization.json", UPSTREAM + "organization.json")
        document = json.loads(text.replace(UPSTREAM, base))
        document["servers"] = [{"url": request.build_absolute_uri("/api/hsds")}]
        document["components"]["schemas"]["Error"] = ERROR_SCHEMA
        for item in document["paths"].values():
            operation = item["get"]
            operation["responses"].update(ERROR_RESPONSES)
            if any(p.get("$ref", "").endswith("/format") for p in operation.get("parameters", [])):
                ok = operation["responses"]["200"]["content"]
                ok["application/x-ndjson"] = {"schema": {"type": "string"}}
        return Response(document)


class SchemaFileView(HsdsView):
    """One of the shipped HSDS JSON schemas (CC BY-SA 4.0, Open Referral)."""

    extra_params = set()

    def get(self, request, name):
        path = (SCHEMA_DIR / "schema" / name).resolve()
        if not path.is_relative_to(SCHEMA_DIR / "schema") or path.suffix != ".json" or not path.is_file():
            raise exceptions.NotFound(_("No such HSDS schema."))
        return Response(json.loads(path.read_text()))


class MetaView(HsdsView):
    extra_params = set()

    def get(self, request):
        return Response(
            {
                "version": mapping.HSDS_VERSION,
                "profile": "https://openreferral.org/",
                "openapi_url": request.build_absolute_uri("/api/hsds/openapi.json"),
            }
        )


def offers():
    """Every published offer — in force (`active`) or not (`inactive`, e.g. withdrawn) — with
    `modified`: the latest change to the offer or its prices."""
    latest = (
        ChangeRecord.objects.filter(offer_id=OuterRef("pk")).order_by("-changed_at").values("changed_at")[:1]
    )
    return (
        m.Offer.objects.published()
        .annotate(modified=Greatest(F("updated_at"), Coalesce(Subquery(latest), F("updated_at"))))
        .select_related("municipality__county", "provider", "component__domain__tier", "service")
        .prefetch_related(
            "target_groups",
            Prefetch(
                "prices",
                queryset=m.Price.objects.published().select_related("unit").prefetch_related("corrections"),
                to_attr="published_prices",
            ),
            Prefetch(
                "prices", queryset=m.Price.objects.current().select_related("unit"), to_attr="prices_on_date"
            ),
        )
        .order_by("municipality__code", "pk")
    )


def current_contacts(municipality=None):
    rows = m.ContactPerson.objects.current().select_related("role", "municipality")
    return rows.filter(municipality=municipality) if municipality is not None else rows


def offer_by_hsds_id(prefix: str, object_id: str) -> m.Offer:
    object_id = checked_uuid(object_id)
    # Ids are derived from primary keys; find the offer by recomputing.
    for pk in m.Offer.objects.published().values_list("pk", flat=True):
        if mapping.hsds_id(prefix, pk) == object_id:
            return offers().get(pk=pk)
    raise exceptions.NotFound(_("No service with id %(id)s.") % {"id": object_id})


def organization_filter(organization_id: str | None) -> Q:
    wanted = as_uuid(organization_id)
    providers = [
        p for p in m.Provider.objects.values_list("pk", flat=True) if mapping.hsds_id("provider", p) == wanted
    ]
    kovs = [
        c
        for c in m.Municipality.objects.values_list("code", flat=True)
        if mapping.hsds_id("kov", c) == wanted
    ]
    return Q(provider__in=providers) | Q(municipality__code__in=kovs)


def term_filter(term_id: str | None) -> Q:
    wanted = as_uuid(term_id)
    for term in mapping.all_terms():
        if mapping.taxonomy_term(term)["id"] != wanted:
            continue
        if isinstance(term, m.Component):
            return Q(component=term)
        if isinstance(term, m.Service):
            return Q(service=term)
        if isinstance(term, m.Domain):
            return Q(component__domain=term)
        if isinstance(term, m.Tier):
            return Q(component__tier=term)
        return Q(target_groups=term)
    return Q(pk__in=[])


def taxonomy_filter(taxonomy_id: str | None) -> Q:
    key = {mapping.hsds_id("taxonomy", key): key for key in mapping.TAXONOMIES}.get(as_uuid(taxonomy_id))
    if key == "catalogue":
        return Q(component__isnull=False)
    if key == "services":
        return Q(service__isnull=False)
    if key == "target-groups":
        return Q(target_groups__isnull=False)
    return Q(pk__in=[])


def text_filter(text: str) -> Q:
    found = Q()
    for field in ("component__name", "service__name", "municipality__name"):
        for lang in ("et", "ru", "en"):
            found |= Q(**{f"{field}_{lang}__icontains": text})
    return found | Q(provider__name__icontains=text)


class ServiceFilters:
    """What /services and /service_at_locations share: search, taxonomy_term_id, taxonomy_id,
    organization_id, modified_after."""

    def filtered_offers(self):
        params = self.request.query_params
        rows = offers()
        if self.search_text():
            rows = rows.filter(text_filter(self.search_text()))
        if "organization_id" in params:
            rows = rows.filter(organization_filter(params["organization_id"]))
        if "taxonomy_term_id" in params:
            rows = rows.filter(term_filter(params["taxonomy_term_id"]))
        if "taxonomy_id" in params:
            rows = rows.filter(taxonomy_filter(params["taxonomy_id"]))
        if "modified_after" in params:
            rows = rows.filter(modified__gte=self.modified_after(params["modified_after"]))
        return rows.distinct()

    @staticmethod
    def modified_after(value: str) -> dt.datetime:
        try:
            stamp = dt.datetime.fromisoformat(value.strip().replace(" ", "+").replace("Z", "+00:00"))
        except ValueError:
            raise exceptions.ValidationError(
                {"modified_after": [_("Use an ISO 8601 date and time, e.g. 2025-03-01T00:00:00Z.")]}
            ) from None
        if timezone.is_naive(stamp):
            stamp = timezone.make_aware(stamp)
        return max(stamp, dt.datetime(1900, 1, 1, tzinfo=dt.UTC)).astimezone(dt.UTC)


class ServiceListView(ServiceFilters, HsdsView):
    extra_params = LIST_PARAMS | {
        "organization_id",
        "taxonomy_term_id",
        "taxonomy_id",
        "modified_after",
        "minimal",
        "full",
    }

    def get(self, request):
        full, minimal = self.flag("full"), self.flag("minimal")
        contacts = {}

        def build(offer):
            if minimal:
                return {
                    "id": mapping.hsds_id("service", offer.pk),
                    "name": f"{offer.item.name} — {offer.municipality.name}",
                    "status": mapping.service_status(offer),
                    "last_modified": mapping.last_modified(offer),
                }
            if full:
                if offer.municipality_id not in contacts:
                    contacts[offer.municipality_id] = list(current_contacts(offer.municipality))
                return mapping.service(
                    offer, request, contacts=contacts[offer.municipality_id], prices=offer.published_prices
                )
            return mapping.service(offer, request, full=False)

        return self.paginate(self.filtered_offers(), build)


class ServiceDetailView(HsdsView):
    extra_params = set()

    def get(self, request, object_id):
        offer = offer_by_hsds_id("service", object_id)
        data = mapping.service(
            offer, request, contacts=current_contacts(offer.municipality), prices=offer.published_prices
        )
        return Response(access.add_to_service(data, offer, request))


class ServiceAtLocationListView(ServiceFilters, HsdsView):
    extra_params = LIST_PARAMS | {
        "organization_id",
        "taxonomy_term_id",
        "taxonomy_id",
        "modified_after",
        "full",
        "postcode",
        "proximity",
    }

    def get(self, request):
        if "postcode" in request.query_params:
            raise exceptions.ValidationError(
                {
                    "postcode": [
                        _(
                            "Postcodes cannot be located here. "
                            "Use proximity=<latitude>,<longitude>,<metres>, "
                            "e.g. proximity=59.437,24.745,20000."
                        )
                    ]
                }
            )
        rows = self.filtered_offers()
        if "proximity" in request.query_params:
            rows = self.near(rows, request.query_params["proximity"])
        full = self.flag("full")
        contacts = {}

        def build(offer):
            if not full:
                return mapping.service_at_location(offer, request, full=False)
            if offer.municipality_id not in contacts:
                contacts[offer.municipality_id] = list(current_contacts(offer.municipality))
            return mapping.service_at_location(offer, request, contacts=contacts[offer.municipality_id])

        return self.paginate(rows, build)

    @staticmethod
    def near(rows, value: str) -> list:
        """Offers whose location (the municipality's centre point) lies within the distance of
        the point, nearest first."""
        try:
            lat, lon, metres = (float(part) for part in value.split(","))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and metres >= 0):
                raise ValueError(value)
        except ValueError:
            raise exceptions.ValidationError(
                {
                    "proximity": [
                        _(
                            "Give a point and a distance: proximity=<latitude>,<longitude>,<metres>, "
                            "e.g. proximity=59.437,24.745,20000 (there is no postcode lookup)."
                        )
                    ]
                }
            ) from None
        found = []
        for offer in rows:
            km = distance_km(lat, lon, offer.municipality.latitude, offer.municipality.longitude)
            if km is not None and km * 1000 <= metres:
                found.append((km, offer))
        return [offer for _km, offer in sorted(found, key=lambda pair: pair[0])]


class ServiceAtLocationDetailView(HsdsView):
    extra_params = set()

    def get(self, request, object_id):
        offer = offer_by_hsds_id("service_at_location", object_id)
        return Response(
            mapping.service_at_location(offer, request, contacts=current_contacts(offer.municipality))
        )


def organizations(text: str = ""):
    """KOVs first (by code), then providers (by name): a fixed order for paging."""
    kovs = m.Municipality.objects.select_related("county").order_by("code")
    providers = m.Provider.objects.order_by("name", "pk")
    if text:
        kovs = kovs.filter(
            Q(name_et__icontains=text) | Q(name_ru__icontains=text) | Q(name_en__icontains=text)
        )
        providers = providers.filter(name__icontains=text)
    rows = [(mapping.kov_org_id(k), ("kov", k)) for k in kovs]
    rows += [(mapping.provider_org_id(p), ("provider", p)) for p in providers]
    return rows


def build_organization(entry, request, full: bool, services: str | None = None) -> dict:
    """An organization; with `services` "full" or "simple", the services it provides (a KOV:
    every service offered to its residents)."""
    kind, obj = entry
    if kind == "kov":
        data = mapping.kov_organization(
            obj, contacts=current_contacts(obj) if full else None, request=request, full=full
        )
        provided = offers().filter(municipality=obj)
    else:
        data = mapping.provider_organization(obj, full=full)
        provided = offers().filter(provider=obj)
    if services:
        data["services"] = [
            mapping.service(offer, request, full=services == "full", prices=offer.published_prices)
            for offer in provided
        ]
    return data


class OrganizationListView(HsdsView):
    extra_params = LIST_PARAMS | {"full", "full_service"}

    def get(self, request):
        full, full_service = self.flag("full"), self.flag("full_service")
        services = "full" if full_service else None
        return self.paginate(
            organizations(self.search_text()),
            lambda row: build_organization(row[1], request, full=full or full_service, services=services),
        )


class OrganizationDetailView(HsdsView):
    extra_params = {"full_service"}

    def get(self, request, object_id):
        entry = self.by_id(organizations(), checked_uuid(object_id))
        services = "full" if self.flag("full_service") else "simple"
        return Response(build_organization(entry, request, full=True, services=services))


def matches(text: str, *values) -> bool:
    return not text or any(text.lower() in (value or "").lower() for value in values)


class TaxonomyListView(HsdsView):
    def get(self, request):
        text = self.search_text()
        keys = [key for key in mapping.TAXONOMIES if matches(text, *mapping.TAXONOMIES[key])]
        return self.paginate(keys, lambda key: mapping.taxonomy(key, request))


class TaxonomyDetailView(HsdsView):
    extra_params = set()

    def get(self, request, object_id):
        rows = [(mapping.hsds_id("taxonomy", key), key) for key in mapping.TAXONOMIES]
        return Response(mapping.taxonomy(self.by_id(rows, checked_uuid(object_id)), request))


class TaxonomyTermListView(HsdsView):
    extra_params = LIST_PARAMS | {"taxonomy_id", "parent_id", "top_only"}

    def get(self, request):
        text = self.search_text()
        terms = [mapping.taxonomy_term(t, request, request.LANGUAGE_CODE) for t in mapping.all_terms()]
        terms = [t for t in terms if matches(text, t["name"], t["code"], t.get("description"))]
        for param in ("taxonomy_id", "parent_id"):
            if param in request.query_params:
                wanted = as_uuid(request.query_params[param])
                terms = [t for t in terms if t.get(param) == wanted]
        if self.flag("top_only"):
            terms = [t for t in terms if "parent_id" not in t]
        return self.paginate(terms, lambda term: term)


class TaxonomyTermDetailView(HsdsView):
    extra_params = set()

    def get(self, request, object_id):
        rows = [(mapping.taxonomy_term(t)["id"], t) for t in mapping.all_terms()]
        term = self.by_id(rows, checked_uuid(object_id))
        return Response(mapping.taxonomy_term(term, request, request.LANGUAGE_CODE))
