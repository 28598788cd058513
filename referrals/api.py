"""/api/v1/referral-routes/ and /api/v1/partner-institutions/: the published routes and the
register of partner institutions, as the professionals' page shows them. Routes carry the KOV
role and the public phone and e-mail of the contact now in it — never a referral, never anyone's
personal data beyond the KOV's published contact."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from api.common import LANG_PARAM
from api.filters import MunicipalityFilter, code_filter
from api.serializers import CodeField, PageUrlMixin, UriField
from api.views import IdLookupMixin, ReadOnlyViewSet
from directory.models import County, Journey, TargetGroup

from . import reading
from .models import Channel, Cooperation, PartnerInstitution, PartnerKind, ReferralRoute


class PartnerInstitutionSerializer(serializers.ModelSerializer):
    county = CodeField()
    municipalities = CodeField(many=True, help_text="The KOVs it serves; empty = the whole county.")
    website = UriField(read_only=True, allow_blank=True)

    class Meta:
        model = PartnerInstitution
        fields = [
            "id",
            "kind",
            "name",
            "registry_code",
            "address",
            "county",
            "municipalities",
            "phone",
            "website",
            "is_demo",
        ]


class RouteContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)


class ReferralRouteSerializer(PageUrlMixin, serializers.ModelSerializer):
    municipality = CodeField()
    partner_kind = serializers.SerializerMethodField(help_text="The kind of partner the route is for.")
    partner = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="A named partner institution, or null."
    )
    journey = CodeField(allow_null=True, help_text="Client journey code, or null.")
    target_group = CodeField(allow_null=True, help_text="Target group code, or null.")
    kov_role = CodeField()
    kov_role_name = serializers.CharField(source="kov_role.name", read_only=True)
    contact = serializers.SerializerMethodField(help_text="The KOV's contact now in that role, or null.")
    channel_url = UriField(read_only=True, allow_blank=True)
    leaflet_url = serializers.SerializerMethodField(
        help_text="The family leaflet, in the request's language."
    )

    class Meta:
        model = ReferralRoute
        fields = [
            "id",
            "municipality",
            "partner_kind",
            "partner",
            "journey",
            "target_group",
            "kov_role",
            "kov_role_name",
            "contact",
            "channel",
            "channel_name",
            "channel_url",
            "channel_phone",
            "channel_email",
            "response_days",
            "passes_on",
            "consent_note",
            "tell_family",
            "valid_from",
            "valid_to",
            "is_demo",
            "page_url",
            "leaflet_url",
        ]

    def get_partner_kind(self, route) -> str:
        return route.effective_partner_kind

    def get_contact(self, route) -> RouteContactSerializer(allow_null=True):
        contact = route.contact_on()
        return RouteContactSerializer(contact).data if contact else None

    def get_leaflet_url(self, route) -> str:
        request = self.context.get("request")
        path = route.get_leaflet_url()
        return request.build_absolute_uri(path) if request else path


class PartnerInstitutionFilterSet(django_filters.FilterSet):
    county = code_filter(County, "county", _("County code, e.g. ida-viru-maakond."))
    municipality = MunicipalityFilter(method="cooperating_with")

    class Meta:
        model = PartnerInstitution
        fields = ["kind", "county", "municipality"]

    def cooperating_with(self, queryset, name, value):
        """Partners the municipality has a published cooperation with."""
        return queryset.filter(
            pk__in=Cooperation.objects.published().filter(municipality=value).values("partner")
        )


class ReferralRouteFilterSet(django_filters.FilterSet):
    municipality = MunicipalityFilter(field_name="municipality")
    county = code_filter(County, "municipality__county", _("County code, e.g. ida-viru-maakond."))
    journey = code_filter(Journey, "journey", _("Client journey code."))
    target_group = code_filter(TargetGroup, "target_group", _("Target group code."))
    partner_kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, method="by_partner_kind")
    channel = django_filters.ChoiceFilter(choices=Channel.choices)

    class Meta:
        model = ReferralRoute
        fields = ["municipality", "county", "journey", "target_group", "partner_kind", "channel"]

    def by_partner_kind(self, queryset, name, value):
        return queryset.for_partner_kind(value)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class PartnerInstitutionViewSet(IdLookupMixin, ReadOnlyViewSet):
    """Partner institutions — *partnerasutused*: hospitals, family doctors, schools, the police,
    Töötukassa and others a KOV cooperates with (its linked systems, *sidussüsteemid*)."""

    queryset = (
        PartnerInstitution.objects.select_related("county")
        .prefetch_related("municipalities")
        .order_by("name", "pk")
    )
    serializer_class = PartnerInstitutionSerializer
    filterset_class = PartnerInstitutionFilterSet


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)
class ReferralRouteViewSet(IdLookupMixin, ReadOnlyViewSet):
    """Referral routes — *suunamise kord*: whom a partner tells at the KOV, how, and how fast
    the KOV acts. Only published routes in force today. The portal carries no referrals."""

    queryset = ReferralRoute.objects.all()
    serializer_class = ReferralRouteSerializer
    filterset_class = ReferralRouteFilterSet

    def get_queryset(self):
        return (
            ReferralRoute.objects.public()
            .select_related("municipality", "partner", "journey", "target_group", "kov_role")
            .order_by("municipality__code", "pk")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return reading.with_contacts(page) if page is not None else page
