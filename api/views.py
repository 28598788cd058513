"""Read-only endpoints of /api/v1/: the catalogue, municipalities, providers, offers, prices,
contacts and the changes feed. Everything public is what the public pages show."""

import datetime as dt

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, viewsets
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from directory import models as m

from . import access, filters, serializers
from .changes import Cursor, changes
from .common import LANG_PARAM, ApiViewMixin, parse_date_param, parse_flag
from .models import ChangeLogHorizon
from .spectacular import ApiAutoSchema


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        """page_size is a whole number from 1 to 500, as the schema says; anything else is a
        400 rather than silently the default."""
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Use a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(value)

    def get_page_number(self, request, paginator):
        """page is a whole number from 1, as the schema says (DRF reads an empty one as 1)."""
        value = request.query_params.get(self.page_query_param)
        if value is not None and (not value.isascii() or not value.isdigit() or int(value) < 1):
            # Django's own wording, translated in its catalogue.
            raise exceptions.ValidationError({self.page_query_param: [_("Enter a whole number.")]})
        return super().get_page_number(request, paginator)


ON_PARAM = OpenApiParameter(
    "on", OpenApiTypes.DATE, description="Rows valid on this date (YYYY-MM-DD); default today."
)
HISTORY_PARAM = OpenApiParameter(
    "history",
    str,
    enum=["0", "1"],
    description="1: every version, past and future, not only those valid on a date.",
)


def contact_rows(on: dt.date | None, history: bool):
    """Contacts in post on a date, or (history) every contact row ever published."""
    contacts = m.ContactPerson.objects.published() if history else m.ContactPerson.objects.on(on)
    return contacts.select_related("municipality", "role").order_by(
        "municipality__code", "role__position", "role__code", "name", "pk"
    )


class ReadOnlyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    schema = ApiAutoSchema()
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9]+(?:-[a-z0-9]+)*"

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise exceptions.NotFound(self.not_found()) from None

    def not_found(self) -> str:
        value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        return _("Not found: %(thing)s with code “%(value)s”.") % {
            "thing": self.queryset.model._meta.verbose_name,
            "value": value,
        }


class DatedMixin:
    """`on=YYYY-MM-DD` and `history=1` for rows with a validity period."""

    extra_params = {"on", "history"}

    def dates(self) -> tuple[dt.date, bool]:
        if not hasattr(self, "_dates"):
            # With history=1 every version is listed; `on` still dates the embedded current price.
            on = parse_date_param(self.request, "on")
            history = parse_flag(self.request, "history")
            self._dates = (on or timezone.localdate(), history)
        return self._dates

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "request", None) is not None and not getattr(self, "swagger_fake_view", False):
            context["on"] = self.dates()[0]
        return context


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class CountyViewSet(ReadOnlyViewSet):
    """Counties — *maakonnad*."""

    queryset = m.County.objects.order_by("code")
    serializer_class = serializers.CountySerializer


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]),
    retrieve=extend_schema(
        parameters=[
            LANG_PARAM,
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description="Municipality code (narva-linn) or EHAK code (0511).",
            ),
        ],
    ),
)
class MunicipalityViewSet(DatedMixin, ReadOnlyViewSet):
    """Municipalities — *KOV*: looked up by code or by four-digit EHAK code."""

    queryset = m.Municipality.objects.select_related("county").order_by("code")
    serializer_class = serializers.MunicipalitySerializer
    filterset_class = filters.MunicipalityFilterSet
    extra_params = set()

    def get_object(self):
        key = self.kwargs["code"]
        found = self.get_queryset().filter(Q(code=key) | Q(ehak=key)).first()
        if found is None:
            raise exceptions.NotFound(self.not_found())
        return found

    def allowed_params(self):
        if self.action == "contacts":
            return (
                super().allowed_params()
                | {"on", "history"}
                | set(filters.MunicipalityContactFilterSet.base_filters)
            )
        return super().allowed_params()

    @extend_schema(
        summary="Contact persons of one municipality (e.g. its care coordinator)",
        description=(
            "One call for a hospital discharge planner: the municipality by EHAK code or code, "
            "the role by code. Professional-only fields (direct_phone, duty_phone) are included "
            "only with a partner token in scope `contacts:professional`."
        ),
        parameters=[
            LANG_PARAM,
            ON_PARAM,
            HISTORY_PARAM,
            OpenApiParameter("role", str, description="Role code, e.g. care-coordinator."),
            OpenApiParameter("language", str, description="Language spoken, e.g. ru."),
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description="Municipality code (narva-linn) or EHAK code (0511).",
            ),
        ],
        responses=serializers.ContactSerializer(many=True),
        filters=False,
        examples=[
            OpenApiExample(
                "Care coordinator of Narva",
                summary="GET /api/v1/municipalities/0511/contacts/?role=care-coordinator",
                response_only=True,
                value={
                    "id": 42,
                    "municipality": "narva-linn",
                    "municipality_ehak": "0511",
                    "role": "care-coordinator",
                    "role_name": "Care coordinator",
                    "name": "Olga Petrova",
                    "job_title": "Care coordinator",
                    "phone": "+372 359 9000",
                    "email": "olga.petrova@narva.example",
                    "reception_hours": "Mon–Thu 9–16",
                    "languages": ["et", "ru"],
                    "contact_for": "Discharge from hospital, home care",
                    "last_verified": "2025-01-15",
                    "valid_from": "2024-01-01",
                    "valid_to": None,
                    "is_demo": True,
                    "direct_phone": "+372 5555 0101",
                    "duty_phone": "+372 5555 0102",
                },
            )
        ],
    )
    @action(detail=True, url_path="contacts")
    def contacts(self, request, code=None):
        municipality = self.get_object()
        on, history = self.dates()
        rows = contact_rows(on, history).filter(municipality=municipality)
        filterset = filters.MunicipalityContactFilterSet(request.query_params, queryset=rows, request=request)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        data = serializers.ContactSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class UnitViewSet(ReadOnlyViewSet):
    """Units prices are given per — *ühikud*."""

    queryset = m.Unit.objects.order_by("code")
    serializer_class = serializers.UnitSerializer


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class TierViewSet(ReadOnlyViewSet):
    """Tiers of support: base (*baastoetus*) and additional (*lisatoetus*)."""

    queryset = m.Tier.objects.order_by("code")
    serializer_class = serializers.TierSerializer


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class DomainViewSet(ReadOnlyViewSet):
    """Life domains — *eluvaldkonnad*."""

    queryset = m.Domain.objects.select_related("tier").order_by("position", "code")
    serializer_class = serializers.DomainSerializer
    filterset_class = filters.DomainFilterSet


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class TargetGroupViewSet(ReadOnlyViewSet):
    """Target groups — *sihtrühmad*."""

    queryset = m.TargetGroup.objects.order_by("code")
    serializer_class = serializers.TargetGroupSerializer


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class RoleViewSet(ReadOnlyViewSet):
    """Roles — *osapooled*: contact roles of KOV staff and actors in client journeys."""

    queryset = m.Role.objects.order_by("position", "code")
    serializer_class = serializers.RoleSerializer
    filterset_class = filters.RoleFilterSet


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class ComponentViewSet(ReadOnlyViewSet):
    """Service components — *teenuskomponendid*."""

    queryset = m.Component.objects.select_related("tier", "domain").order_by("position", "code")
    serializer_class = serializers.ComponentSerializer
    filterset_class = filters.ComponentFilterSet


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class ServiceViewSet(ReadOnlyViewSet):
    """Social services — *sotsiaalteenused*."""

    queryset = m.Service.objects.prefetch_related("target_groups", "related_components").order_by(
        "position", "code"
    )
    serializer_class = serializers.ServiceSerializer
    filterset_class = filters.ServiceFilterSet


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class JourneyViewSet(ReadOnlyViewSet):
    """Client journeys — *klienditeekonnad* — with their ordered steps."""

    queryset = m.Journey.objects.prefetch_related(
        "target_groups",
        Prefetch(
            "steps",
            queryset=m.JourneyStep.objects.select_related("stage", "actor")
            .prefetch_related("other_actors", "components", "services")
            .order_by("position"),
        ),
    ).order_by("position", "code")
    serializer_class = serializers.JourneySerializer
    filterset_class = filters.JourneyFilterSet


class IdLookupMixin:
    lookup_field = "pk"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9]{1,18}"

    def not_found(self) -> str:
        return _("Not found: %(thing)s with id %(value)s.") % {
            "thing": self.queryset.model._meta.verbose_name,
            "value": self.kwargs.get("id"),
        }


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class ProviderViewSet(IdLookupMixin, ReadOnlyViewSet):
    """Service providers — *teenuseosutajad*: the KOV itself, its agencies, NGOs, foundations
    and companies."""

    queryset = m.Provider.objects.order_by("name", "pk")
    serializer_class = serializers.ProviderSerializer
    filterset_class = filters.ProviderFilterSet


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM, ON_PARAM, HISTORY_PARAM]),
    retrieve=extend_schema(parameters=[LANG_PARAM, ON_PARAM]),
)
class OfferViewSet(IdLookupMixin, DatedMixin, ReadOnlyViewSet):
    """Offers: a municipality offers a component or a service through a provider. By default
    the offers in force today, each with its price in force today."""

    queryset = m.Offer.objects.all()
    serializer_class = access.OfferWithAccessSerializer
    filterset_class = filters.OfferFilterSet

    def get_queryset(self):
        on, history = self.dates()
        offers = (
            m.Offer.objects.published()
            if history or self.action == "retrieve"
            else m.Offer.objects.public(on)
        )
        return access.with_access(offers.for_listing(on)).order_by("municipality__code", "pk")

    def allowed_params(self):
        allowed = super().allowed_params()
        return allowed - {"history"} if self.action == "retrieve" else allowed


@access.location_schema
class LocationViewSet(IdLookupMixin, ReadOnlyViewSet):
    """Service locations — *teenuse osutamise kohad*: address, WGS84 coordinates,
    accessibility, opening hours with exceptions, and the public offers given there."""

    queryset = m.ServiceLocation.objects.all()
    serializer_class = access.LocationSerializer
    filterset_class = access.LocationFilterSet

    def get_queryset(self):
        return access.location_queryset()


@extend_schema_view(
    list=extend_schema(
        parameters=[LANG_PARAM, ON_PARAM, HISTORY_PARAM],
        examples=[
            OpenApiExample(
                "Price of a component in Narva on a date",
                summary="GET /api/v1/prices/?municipality=narva-linn&component=respite-care&on=2025-03-01",
                response_only=True,
                value={
                    "id": 7,
                    "offer": 3,
                    "municipality": "narva-linn",
                    "item_kind": "component",
                    "item": "respite-care",
                    "unit": "hour",
                    "unit_name": "hour",
                    "price_individual": "12.50",
                    "price_group": None,
                    "client_share_amount": None,
                    "client_share_percent": "10.00",
                    "currency": "EUR",
                    "valid_from": "2025-01-01",
                    "valid_to": None,
                    "published_at": "2024-12-15T10:00:00+02:00",
                },
            )
        ],
    ),
    retrieve=extend_schema(parameters=[LANG_PARAM]),
)
class PriceViewSet(IdLookupMixin, DatedMixin, ReadOnlyViewSet):
    """Published prices. By default those in force today; `on=` a date, `history=1` all."""

    queryset = m.Price.objects.all()
    serializer_class = serializers.PriceSerializer
    filterset_class = filters.PriceFilterSet

    def get_queryset(self):
        on, history = self.dates() if self.action != "retrieve" else (None, True)
        prices = m.Price.objects.published() if history else m.Price.objects.on(on)
        return (
            prices.select_related("unit", "offer__municipality", "offer__component", "offer__service")
            .prefetch_related("corrections")
            .order_by("offer__municipality__code", "offer_id", "valid_from", "pk")
        )

    def allowed_params(self):
        allowed = super().allowed_params()
        return allowed - {"on", "history"} if self.action == "retrieve" else allowed


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM, ON_PARAM, HISTORY_PARAM]),
    retrieve=extend_schema(parameters=[LANG_PARAM]),
)
class ContactViewSet(IdLookupMixin, DatedMixin, ReadOnlyViewSet):
    """Contact persons — *kontaktisikud*. By default those in post today."""

    queryset = m.ContactPerson.objects.all()
    serializer_class = serializers.ContactSerializer
    filterset_class = filters.ContactFilterSet

    def get_queryset(self):
        on, history = self.dates() if self.action != "retrieve" else (None, True)
        return contact_rows(on, history)

    def allowed_params(self):
        allowed = super().allowed_params()
        return allowed - {"on", "history"} if self.action == "retrieve" else allowed


class ResyncNeeded(exceptions.APIException):
    status_code = 410
    default_code = "resync"
    default_detail = _lazy(
        "This cursor is older than the change log kept: start again without a cursor and replace your copy."
    )


class ChangesPage(drf.Serializer):
    next = drf.URLField(allow_null=True, help_text="The next page; null when you have every change so far.")
    cursor = drf.CharField(
        help_text="Where to resume: pass it as `cursor` on the next sync (also when `next` is null)."
    )
    results = serializers.ChangeSerializer(many=True)


class ChangesView(ApiViewMixin, APIView):
    """Changes to prices, offers and contacts in the order they were committed."""

    schema = ApiAutoSchema()
    extra_params = {"since", "cursor", "limit"}
    serializers_by_type = {
        "price": serializers.PriceSerializer,
        "offer": access.OfferWithAccessSerializer,  # as /offers/ serves them
        "contact": serializers.ContactSerializer,
    }
    detail_routes = {
        "price": "api:price-detail",
        "offer": "api:offer-detail",
        "contact": "api:contact-detail",
    }

    @extend_schema(
        summary="Changes feed for incremental sync",
        description=(
            "Start without parameters (or with `since`, an ISO 8601 timestamp); follow `next` until "
            "it is null, then keep `cursor` for the next sync. Changes come in commit order and a "
            "cursor never skips a change, even one committed after a later one was read. Each object "
            "appears once, at its latest change, with its row as it is now; closing a price, ending "
            "an offer and correcting a row are changes; an object that is no longer public appears "
            "with `action: deleted` and `data: null`. A mirror that applies the changes in order is "
            "equal to the directory. Deletions are kept for a year (API_CHANGE_LOG_RETENTION_DAYS): "
            "a cursor older than that is answered 410 with code `resync` — start again without a "
            "cursor and replace the copy."
        ),
        parameters=[
            LANG_PARAM,
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description="Changes at or after this time, e.g. 2025-03-01T00:00:00+02:00.",
            ),
            OpenApiParameter("cursor", str, description="The opaque cursor from a previous `next` link."),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 500},
                description="At most this many changes (1–500, default 100).",
            ),
        ],
        responses={
            200: ChangesPage,
            410: OpenApiResponse(
                serializers.ErrorSerializer,
                description="Resync: the cursor is older than the change log kept; start without one.",
            ),
        },
    )
    def get(self, request):
        since = self.parse_since(request.query_params.get("since"))
        cursor = None
        if "cursor" in request.query_params:
            try:
                cursor = Cursor.decode(request.query_params["cursor"])
            except ValueError:
                raise exceptions.ValidationError(
                    {"cursor": [_("This is not a cursor from a next link.")]}
                ) from None
        if cursor is not None and cursor.position < ChangeLogHorizon.current():
            raise ResyncNeeded
        limit = self.parse_limit(request.query_params.get("limit"))
        found = changes(since=since, cursor=cursor, limit=limit)
        rows = self.serialize_rows(found)
        results = [self.represent(change, rows.get((change.type, change.id))) for change in found]
        resume = found[-1].cursor if found else (cursor or Cursor(0))
        next_url = None
        if len(found) == limit:
            params = request.query_params.copy()
            params["cursor"] = resume.encode()
            next_url = request.build_absolute_uri(request.path) + "?" + params.urlencode()
        return Response({"next": next_url, "cursor": resume.encode(), "results": results})

    def serialize_rows(self, found) -> dict:
        """One list serializer per type: building a serializer per row costs ~5 ms each."""
        context = {"request": self.request, "on": timezone.localdate()}
        rows = {}
        for kind, serializer in self.serializers_by_type.items():
            objs = [change.obj for change in found if change.type == kind and change.obj is not None]
            if objs:
                data = serializer(objs, many=True, context=context).data
                rows.update({(kind, obj.pk): row for obj, row in zip(objs, data, strict=True)})
        return rows

    def represent(self, change, data: dict | None) -> dict:
        return {
            "type": change.type,
            "action": change.action,
            "id": change.id,
            "changed_at": drf.DateTimeField().to_representation(change.changed_at),
            "municipality": change.municipality_code,
            "url": reverse(self.detail_routes[change.type], kwargs={"id": change.id}, request=self.request),
            "data": data,
        }

    @staticmethod
    def parse_since(value: str | None) -> dt.datetime | None:
        if value is None:
            return None
        try:
            since = dt.datetime.fromisoformat(value.replace(" ", "+").replace("Z", "+00:00"))
        except ValueError:
            raise exceptions.ValidationError(
                {
                    "since": [
                        _("“%(value)s” is not a timestamp; use ISO 8601, e.g. 2025-03-01T00:00:00+02:00.")
                        % {"value": value}
                    ]
                }
            ) from None
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        if not (dt.datetime(1900, 1, 1, tzinfo=dt.UTC) <= since <= dt.datetime(9000, 1, 1, tzinfo=dt.UTC)):
            raise exceptions.ValidationError({"since": [_("The timestamp is out of range.")]})
        # PostgreSQL accepts UTC offsets up to ±15:59 only; ISO 8601 allows more.
        return since.astimezone(dt.UTC)

    @staticmethod
    def parse_limit(value: str | None) -> int:
        if value is None:
            return 100
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 500:
            raise exceptions.ValidationError({"limit": [_("Use a whole number from 1 to 500.")]})
        return int(value)


class ApiRootView(ApiViewMixin, APIView):
    """Where everything is: the endpoints, the schema and the documentation."""

    schema = ApiAutoSchema()

    @extend_schema(parameters=[LANG_PARAM], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        names = [
            "county",
            "municipality",
            "unit",
            "tier",
            "domain",
            "target-group",
            "role",
            "component",
            "service",
            "journey",
            "provider",
            "offer",
            "price",
            "contact",
            "location",
            "partner-institution",
            "referral-route",
        ]
        links = {name: reverse(f"api:{name}-list", request=request) for name in names}
        links["changes"] = reverse("api:changes", request=request)
        links["schema"] = reverse("api:schema", request=request)
        links["docs"] = reverse("api:docs", request=request)
        return Response(
            {"version": "1", "endpoints": links, "licence": "https://creativecommons.org/licenses/by/4.0/"}
        )


class NotFoundView(ApiViewMixin, APIView):
    schema = None

    def allowed_params(self):
        return set(self.request.query_params)

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound(
            _("There is no such API address. See %(docs)s.") % {"docs": reverse("api:docs", request=request)}
        )

    post = put = patch = delete = get


not_found = NotFoundView.as_view()
