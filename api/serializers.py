"""What the API returns. Translated fields (name, summary …) are in the request's language,
falling back to Estonian; related catalogue entries are given by their stable codes."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directory import models as m

from .authentication import has_scope
from .common import as_uri
from .models import Scope


class CodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(slug_field="code", **kwargs)


class PageUrlMixin(serializers.Serializer):
    page_url = serializers.SerializerMethodField(help_text="The public page, in the request's language.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CountySerializer(serializers.ModelSerializer):
    class Meta:
        model = m.County
        fields = ["code", "ehak", "name"]


class UriField(serializers.URLField):
    """A website as a URI: internationalised host names in punycode (https://jõgeva.ee →
    https://xn--jgeva-dua.ee), so that `format: uri` validators and every client accept it."""

    def to_representation(self, value):
        return as_uri(super().to_representation(value))


class MunicipalitySerializer(PageUrlMixin, serializers.ModelSerializer):
    website = UriField(read_only=True, allow_blank=True)

    county = CodeField()

    class Meta:
        model = m.Municipality
        fields = [
            "code",
            "ehak",
            "name",
            "kind",
            "county",
            "population",
            "population_year",
            "website",
            "latitude",
            "longitude",
            "page_url",
        ]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Unit
        fields = ["code", "name"]


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Tier
        fields = ["code", "name", "description"]


class DomainSerializer(serializers.ModelSerializer):
    tier = CodeField()

    class Meta:
        model = m.Domain
        fields = ["code", "tier", "name", "position"]


class TargetGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.TargetGroup
        fields = ["code", "name", "description"]


class RoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Role
        fields = ["code", "kind", "name", "contact_for", "position"]


class ComponentSerializer(PageUrlMixin, serializers.ModelSerializer):
    tier = CodeField()
    domain = CodeField()
    work_forms = serializers.ListField(child=serializers.CharField(), read_only=True)
    includes = serializers.ListField(child=serializers.CharField(), read_only=True)
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = m.Component
        fields = [
            "code",
            "tier",
            "domain",
            "work_forms",
            "name",
            "summary",
            "includes",
            "keywords",
            "position",
            "page_url",
        ]


class ServiceSerializer(PageUrlMixin, serializers.ModelSerializer):
    target_groups = CodeField(many=True)
    related_components = CodeField(many=True)
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = m.Service
        fields = [
            "code",
            "organiser",
            "name",
            "summary",
            "target_groups",
            "related_components",
            "keywords",
            "position",
            "page_url",
        ]


class JourneyStepSerializer(serializers.ModelSerializer):
    stage = CodeField(allow_null=True)
    actor = CodeField()
    other_actors = CodeField(many=True)
    components = CodeField(many=True)
    services = CodeField(many=True)

    class Meta:
        model = m.JourneyStep
        fields = [
            "position",
            "stage",
            "actor",
            "other_actors",
            "title",
            "text",
            "deadline_days",
            "components",
            "services",
        ]


class JourneySerializer(PageUrlMixin, serializers.ModelSerializer):
    target_groups = CodeField(many=True)
    steps = JourneyStepSerializer(many=True, read_only=True)

    class Meta:
        model = m.Journey
        fields = [
            "code",
            "title",
            "summary",
            "eligibility_note",
            "target_groups",
            "position",
            "steps",
            "page_url",
        ]


class ProviderSerializer(serializers.ModelSerializer):
    website = UriField(read_only=True, allow_blank=True)

    class Meta:
        model = m.Provider
        fields = [
            "id",
            "name",
            "registry_code",
            "kind",
            "description",
            "phone",
            "email",
            "website",
            "address",
            "is_demo",
        ]


class PreviousAmountsSerializer(serializers.Serializer):
    price_individual = serializers.DecimalField(10, 2, source="old_price_individual", allow_null=True)
    price_group = serializers.DecimalField(10, 2, source="old_price_group", allow_null=True)
    client_share_amount = serializers.DecimalField(10, 2, source="old_client_share_amount", allow_null=True)
    client_share_percent = serializers.DecimalField(5, 2, source="old_client_share_percent", allow_null=True)


class PriceCorrectionSerializer(serializers.ModelSerializer):
    previous = PreviousAmountsSerializer(source="*", help_text="What the price said before this correction.")

    class Meta:
        model = m.PriceCorrection
        fields = ["corrected_at", "reason", "previous"]


class PriceSerializer(serializers.ModelSerializer):
    offer = serializers.IntegerField(source="offer_id", read_only=True)
    municipality = serializers.CharField(source="offer.municipality.code", read_only=True)
    item_kind = serializers.CharField(source="offer.kind", read_only=True, help_text="component or service")
    item = serializers.CharField(
        source="offer.code", read_only=True, help_text="The component's or service's code."
    )
    unit = CodeField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    corrections = PriceCorrectionSerializer(
        many=True,
        read_only=True,
        help_text="Moderators' corrections of this published price, oldest first: when, why and "
        "what it said before. The amounts above are the corrected ones.",
    )

    class Meta:
        model = m.Price
        fields = [
            "id",
            "offer",
            "municipality",
            "item_kind",
            "item",
            "unit",
            "unit_name",
            "price_individual",
            "price_group",
            "client_share_amount",
            "client_share_percent",
            "currency",
            "valid_from",
            "valid_to",
            "published_at",
            "corrections",
        ]


class OfferPriceSerializer(PriceSerializer):
    class Meta(PriceSerializer.Meta):
        fields = [
            "id",
            "unit",
            "unit_name",
            "price_individual",
            "price_group",
            "client_share_amount",
            "client_share_percent",
            "currency",
            "valid_from",
            "valid_to",
            "published_at",
        ]


class OfferSerializer(serializers.ModelSerializer):
    municipality = CodeField()
    kind = serializers.CharField(read_only=True, help_text="component or service")
    component = CodeField(allow_null=True)
    service = CodeField(allow_null=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    provider = serializers.IntegerField(source="provider_id", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    target_groups = CodeField(many=True)
    work_forms = serializers.ListField(child=serializers.CharField(), read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    price = serializers.SerializerMethodField(
        help_text="The price in force on the requested date (`on`, default today), or null."
    )

    class Meta:
        model = m.Offer
        fields = [
            "id",
            "municipality",
            "kind",
            "component",
            "service",
            "item_name",
            "provider",
            "provider_name",
            "work_forms",
            "target_groups",
            "languages",
            "notes",
            "last_verified",
            "valid_from",
            "valid_to",
            "is_demo",
            "price",
        ]

    @extend_schema_field(OfferPriceSerializer(allow_null=True))
    def get_price(self, offer):
        date = self.context.get("on") or timezone.localdate()
        price = (
            offer.price_on(date)
            if not hasattr(offer, "prices_on_date")
            else (offer.prices_on_date[0] if offer.prices_on_date else None)
        )
        return OfferPriceSerializer(price, context=self.context).data if price else None


PROFESSIONAL_FIELDS = ("direct_phone", "duty_phone")


class ContactSerializer(serializers.ModelSerializer):
    """A contact person. `direct_phone` and `duty_phone` are present only for a partner token
    with the contacts:professional scope."""

    municipality = CodeField()
    municipality_ehak = serializers.CharField(source="municipality.ehak", read_only=True)
    role = CodeField()
    role_name = serializers.CharField(source="role.name", read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    direct_phone = serializers.CharField(
        read_only=True,
        required=False,
        help_text="Professionals only: present with a token in scope contacts:professional.",
    )
    duty_phone = serializers.CharField(
        read_only=True,
        required=False,
        help_text="Professionals only: present with a token in scope contacts:professional.",
    )

    class Meta:
        model = m.ContactPerson
        fields = [
            "id",
            "municipality",
            "municipality_ehak",
            "role",
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
            *PROFESSIONAL_FIELDS,
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not has_scope(request, Scope.CONTACTS_PROFESSIONAL):
            for name in PROFESSIONAL_FIELDS:
                data.pop(name, None)
        return data


class ChangeSerializer(serializers.Serializer):
    """One change in the feed: what changed, when, where, and the row as it is now."""

    type = serializers.ChoiceField(choices=["price", "offer", "contact"])
    action = serializers.ChoiceField(
        choices=["published", "closed", "corrected", "created", "updated", "ended", "deleted"],
        help_text="A price is published, closed (a later price ended it) or corrected; an offer or "
        "contact is created, updated or ended; deleted: no longer public (a tombstone).",
    )
    id = serializers.IntegerField()
    changed_at = serializers.DateTimeField(help_text="When the change was written.")
    municipality = serializers.CharField(allow_null=True)
    url = serializers.URLField()
    data = serializers.DictField(
        allow_null=True,
        help_text="The row as it is now, shaped as in /prices/, /offers/ or /contacts/; null for deleted.",
    )


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField(help_text="What was wrong, in the request's language.")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    request_id = serializers.CharField(help_text="Quote it when reporting the error: it finds the log lines.")
