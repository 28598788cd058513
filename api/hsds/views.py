"""/api/hsds/: the directory in Open Referral HSDS 3.0, following the HSDS API
(openapi.json in api/hsds/schema): paginated lists and objects by id. Public data only."""

import math
import uuid

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from directory import models as m

from ..common import ApiViewMixin
from . import access, mapping

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class HsdsView(ApiViewMixin, APIView):
    schema = None  # documented by the HSDS specification's own OpenAPI document
    extra_params = {"page", "per_page"}

    def page_numbers(self) -> tuple[int, int]:
        def number(name, default, upper):
            value = self.request.query_params.get(name)
            if value is None:
                return default
            if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= upper:
                raise exceptions.ValidationError(
                    {name: [_("Use a whole number from 1 to %(max)d.") % {"max": upper}]}
                )
            return int(value)

        return number("page", 1, 10**6), number("per_page", PAGE_SIZE, MAX_PAGE_SIZE)

    def paginate(self, rows, build) -> Response:
        page, size = self.page_numbers()
        total = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
        pages = max(1, math.ceil(total / size))
        chunk = rows[(page - 1) * size : page * size]
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

    def by_id(self, rows, object_id: str, kind: str):
        for row in rows:
            if row[0] == object_id:
                return row[1]
        raise exceptions.NotFound(_("Nothing with id %(id)s.") % {"id": object_id})


def checked_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise exceptions.NotFound(_("“%(value)s” is not an HSDS id (a UUID).") % {"value": value}) from None


class MetaView(HsdsView):
    extra_params = set()

    def get(self, request):
        return Response(
            {
                "version": mapping.HSDS_VERSION,
                "profile": "https://openreferral.org/",
                "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
            }
        )


def offers():
    return (
        m.Offer.objects.public()
        .select_related("municipality__county", "provider", "component__domain__tier", "service")
        .prefetch_related(
            "target_groups",
            Prefetch(
                "prices",
                queryset=m.Price.objects.published().select_related("unit"),
                to_attr="published_prices",
            ),
        )
        .order_by("municipality__code", "pk")
    )


def current_contacts(municipality=None):
    rows = m.ContactPerson.objects.current().select_related("role", "municipality")
    return rows.filter(municipality=municipality) if municipality is not None else rows


def offer_by_hsds_id(prefix: str, object_id: str) -> m.Offer:
    object_id = checked_uuid(object_id)
    # Ids are derived from primary keys; find the offer by recomputing (public offers only).
    for pk in offers().values_list("pk", flat=True):
        if mapping.hsds_id(prefix, pk) == object_id:
            return offers().get(pk=pk)
    raise exceptions.NotFound(_("No service with id %(id)s.") % {"id": object_id})


class ServiceListView(HsdsView):
    extra_params = {"page", "per_page", "organization_id", "taxonomy_term_id"}

    def get(self, request):
        rows = offers()
        organization_id = request.query_params.get("organization_id")
        if organization_id is not None:
            organization_id = checked_uuid(organization_id)
            providers = [
                p
                for p in m.Provider.objects.values_list("pk", flat=True)
                if mapping.hsds_id("provider", p) == organization_id
            ]
            kovs = [
                c
                for c in m.Municipality.objects.values_list("code", flat=True)
                if mapping.hsds_id("kov", c) == organization_id
            ]
            rows = rows.filter(provider__in=providers) | rows.filter(municipality__code__in=kovs)
        term_id = request.query_params.get("taxonomy_term_id")
        if term_id is not None:
            rows = self.with_term(rows, checked_uuid(term_id))
        return self.paginate(rows, lambda offer: mapping.service(offer, request, full=False))

    @staticmethod
    def with_term(rows, term_id: str):
        for term in mapping.all_terms():
            if mapping.taxonomy_term(term)["id"] != term_id:
                continue
            if isinstance(term, m.Component):
                return rows.filter(component=term)
            if isinstance(term, m.Service):
                return rows.filter(service=term)
            if isinstance(term, m.Domain):
                return rows.filter(component__domain=term)
            if isinstance(term, m.Tier):
                return rows.filter(component__tier=term)
            return rows.filter(target_groups=term)
        raise exceptions.ValidationError({"taxonomy_term_id": [_("Unknown taxonomy term.")]})


class ServiceDetailView(HsdsView):
    extra_params = set()

    def get(self, request, object_id):
        offer = offer_by_hsds_id("service", object_id)
        data = mapping.service(
            offer, request, contacts=current_contacts(offer.municipality), prices=offer.published_prices
        )
        return Response(access.add_to_service(data, offer, request))


class ServiceAtLocationListView(HsdsView):
    def get(self, request):
        return self.paginate(offers(), lambda offer: mapping.service_at_location(offer, request))


class ServiceAtLocationDetailView(HsdsView):
    extra_params = set()

    def get(self, request, object_id):
        offer = offer_by_hsds_id("service_at_location", object_id)
        return Response(
            mapping.service_at_location(offer, request, contacts=current_contacts(offer.municipality))
        )


def organizations(request, full: bool):
    """KOVs first (by code), then providers (by name): a fixed order for paging."""
    kovs = m.Municipality.objects.select_related("county").order_by("code")
    rows = [(mapping.kov_org_id(k), ("kov", k)) for k in kovs]
    rows += [(mapping.provider_org_id(p), ("provider", p)) for p in m.Provider.objects.order_by("name", "pk")]
    return rows


def build_organization(entry, request, full: bool):
    kind, obj = entry
    if kind == "kov":
        return mapping.kov_organization(
            obj, contacts=current_contacts(obj) if full else None, request=request, full=full
        )
    return mapping.provider_organization(obj, full=full)


class OrganizationListView(HsdsView):
    def get(self, request):
        return self.paginate(
            organizations(request, False), lambda row: build_organization(row[1], request, full=False)
        )


class OrganizationDetailView(HsdsView):
    extra_params = set()

    def get(self, request, object_id):
        entry = self.by_id(organizations(request, True), checked_uuid(object_id), "organization")
        return Response(build_organization(entry, request, full=True))


class TaxonomyListView(HsdsView):
    def get(self, request):
        return self.paginate(list(mapping.TAXONOMIES), lambda key: mapping.taxonomy(key, request))


class TaxonomyDetailView(HsdsView):
    extra_params = set()

    def get(self, request, object_id):
        rows = [(mapping.hsds_id("taxonomy", key), key) for key in mapping.TAXONOMIES]
        return Response(mapping.taxonomy(self.by_id(rows, checked_uuid(object_id), "taxonomy"), request))


class TaxonomyTermListView(HsdsView):
    extra_params = {"page", "per_page", "taxonomy_id", "parent_id"}

    def get(self, request):
        terms = [mapping.taxonomy_term(t, request, request.LANGUAGE_CODE) for t in mapping.all_terms()]
        for param in ("taxonomy_id", "parent_id"):
            if param in request.query_params:
                wanted = checked_uuid(request.query_params[param])
                terms = [t for t in terms if t.get(param) == wanted]
        return self.paginate(terms, lambda term: term)


class TaxonomyTermDetailView(HsdsView):
    extra_params = set()

    def get(self, request, object_id):
        rows = [(mapping.taxonomy_term(t)["id"], t) for t in mapping.all_terms()]
        term = self.by_id(rows, checked_uuid(object_id), "taxonomy term")
        return Response(mapping.taxonomy_term(term, request, request.LANGUAGE_CODE))
