"""How to get the help in /api/v1/: service locations (`/api/v1/locations/`) and, on each
offer, its locations, delivery, eligibility, how to apply and availability.

Texts are in the request's language, falling back to Estonian, like the rest of the API.
Availability older than AVAILABILITY_STALE_DAYS is returned with `stale: true`; clients
should show it as unknown."""

from __future__ import annotations

import math

import django_filters
from django import forms
from django.db.models import ExpressionWrapper, F, FloatField, Prefetch, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from directory import models as m
from directory.models.access import EVENING, in_estonia, pick_how_to_apply

from .common import LANG_PARAM
from .filters import IdFilter, MunicipalityFilter
from .serializers import CodeField, OfferSerializer


class OpeningHoursSerializer(serializers.ModelSerializer):
    weekday = serializers.IntegerField(help_text="0 = Monday … 6 = Sunday")
    weekday_name = serializers.CharField(source="get_weekday_display", read_only=True)
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M")

    class Meta:
        model = m.OpeningHours
        fields = ["weekday", "weekday_name", "opens", "closes"]


class OpeningExceptionSerializer(serializers.ModelSerializer):
    opens = serializers.TimeField(format="%H:%M", allow_null=True)
    closes = serializers.TimeField(format="%H:%M", allow_null=True)

    class Meta:
        model = m.OpeningException
        fields = ["starts", "ends", "closed", "opens", "closes", "note"]


class AccessibilitySerializer(serializers.Serializer):
    step_free_entrance = serializers.BooleanField()
    accessible_toilet = serializers.BooleanField()
    hearing_loop = serializers.BooleanField()
    accessible_parking = serializers.BooleanField()
    note = serializers.CharField(source="accessibility_note")


class LocationSerializer(serializers.ModelSerializer):
    """A service location — *teenuse osutamise koht*."""

    municipality = CodeField()
    provider = serializers.IntegerField(source="provider_id", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    address = serializers.CharField(read_only=True, help_text="In the Estonian address form.")
    settlement = serializers.CharField(
        source="settlement_name", read_only=True, help_text="The settlement's EHAK name, e.g. Kose alevik."
    )
    accessibility = AccessibilitySerializer(source="*", read_only=True)
    opening_hours = OpeningHoursSerializer(source="hours", many=True, read_only=True)
    exceptions = serializers.SerializerMethodField(help_text="Exceptions to the hours from today on.")
    offers = serializers.SerializerMethodField(help_text="Ids of the public offers given here.")

    class Meta:
        model = m.ServiceLocation
        fields = [
            "id",
            "name",
            "municipality",
            "provider",
            "provider_name",
            "address",
            "street_address",
            "settlement",
            "postal_code",
            "latitude",
            "longitude",
            "phone",
            "accessibility",
            "opening_hours",
            "exceptions",
            "offers",
            "is_demo",
        ]

    @extend_schema_field(OpeningExceptionSerializer(many=True))
    def get_exceptions(self, location):
        today = timezone.localdate()
        rows = [row for row in location.exceptions.all() if row.ends >= today]
        return OpeningExceptionSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_offers(self, location) -> list[int]:
        return sorted(o.pk for o in location.public_offers)


class EligibilitySerializer(serializers.ModelSerializer):
    """Who qualifies — *kes saab abi*."""

    class Meta:
        model = m.Eligibility
        fields = [
            "description",
            "age_min",
            "age_max",
            "needs_assessment_required",
            "kov_decision_required",
        ]


class HowToApplySerializer(serializers.ModelSerializer):
    """How to apply — *taotlemine* (the offer's own, else the municipality's default)."""

    component = CodeField(allow_null=True)
    service = CodeField(allow_null=True)
    documents = serializers.ListField(source="document_list", child=serializers.CharField(), read_only=True)
    is_default = serializers.BooleanField(read_only=True)

    class Meta:
        model = m.HowToApply
        fields = [
            "is_default",
            "component",
            "service",
            "e_service_url",
            "form_url",
            "in_person",
            "phone",
            "documents",
            "decided_by",
            "decision_days",
            "next_steps",
        ]


class AvailabilitySerializer(serializers.ModelSerializer):
    """Free places and waiting time — *vabad kohad / ootejärjekord* — as stated on `as_of`."""

    stale = serializers.BooleanField(source="is_stale", read_only=True)

    class Meta:
        model = m.Availability
        fields = ["capacity", "free_places", "waiting_days", "as_of", "stale"]


class OfferAccessFields(serializers.Serializer):
    """Fields added to every offer: its page, where it is given, who qualifies, how to apply
    and the latest availability statement."""

    page_url = serializers.SerializerMethodField(help_text="The offer's public page.")
    locations = serializers.SerializerMethodField(
        help_text="Ids of the service locations (/api/v1/locations/)."
    )
    service_area = serializers.SerializerMethodField(
        help_text="EHAK codes and names of the settlements served; empty = the whole municipality."
    )
    at_home = serializers.SerializerMethodField()
    remote = serializers.SerializerMethodField()
    eligibility = serializers.SerializerMethodField()
    how_to_apply = serializers.SerializerMethodField()
    availability = serializers.SerializerMethodField()

    def get_page_url(self, offer) -> str:
        request = self.context.get("request")
        path = offer.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_locations(self, offer) -> list[int]:
        return sorted(loc.pk for loc in offer.locations.all())

    @extend_schema_field(serializers.ListField(child=serializers.DictField(child=serializers.CharField())))
    def get_service_area(self, offer) -> list[dict]:
        try:
            area = offer.service_area
        except m.ServiceArea.DoesNotExist:
            return []
        return [{"code": s.code, "name": s.name} for s in area.settlements.all()]

    @staticmethod
    def _eligibility(offer):
        try:
            return offer.eligibility
        except m.Eligibility.DoesNotExist:
            return None

    def get_at_home(self, offer) -> bool:
        return bool(getattr(self._eligibility(offer), "at_home", False))

    def get_remote(self, offer) -> bool:
        return bool(getattr(self._eligibility(offer), "remote", False))

    @extend_schema_field(EligibilitySerializer(allow_null=True))
    def get_eligibility(self, offer):
        eligibility = self._eligibility(offer)
        return EligibilitySerializer(eligibility, context=self.context).data if eligibility else None

    @extend_schema_field(HowToApplySerializer(allow_null=True))
    def get_how_to_apply(self, offer):
        # One query per municipality on the page, not one per offer.
        cache = self.context.setdefault("_how_to_apply", {})
        if offer.municipality_id not in cache:
            cache[offer.municipality_id] = list(
                m.HowToApply.objects.filter(municipality_id=offer.municipality_id)
            )
        how = pick_how_to_apply(cache[offer.municipality_id], offer)
        return HowToApplySerializer(how, context=self.context).data if how else None

    @extend_schema_field(AvailabilitySerializer(allow_null=True))
    def get_availability(self, offer):
        rows = sorted(offer.availability.all(), key=lambda a: (a.as_of, a.pk))
        return AvailabilitySerializer(rows[-1], context=self.context).data if rows else None


OFFER_ACCESS_FIELDS = list(OfferAccessFields._declared_fields)


def with_access(offers):
    """An offer queryset with what OfferAccessFields reads, in a fixed number of queries."""
    return offers.select_related("eligibility", "service_area").prefetch_related(
        "locations", "availability", "service_area__settlements"
    )


class NearField(forms.CharField):
    """A settlement's EHAK code ("0784"… as in /api/v1/… settlement lists) or "lat,lon"."""

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        if "," in value:
            try:
                lat, lon = (float(part) for part in value.split(",", 1))
            except ValueError:
                lat = lon = None
            if lat is None or not in_estonia(lat, lon):
                raise forms.ValidationError(
                    _("Give a point in Estonia as latitude,longitude, e.g. 59.437,24.745.")
                )
            return lat, lon
        settlement = m.Settlement.objects.filter(code=value).first()
        if settlement is None:
            raise forms.ValidationError(_("Unknown settlement code “%(value)s”.") % {"value": value})
        return settlement.latitude, settlement.longitude


class NearFilter(django_filters.Filter):
    field_class = NearField

    def filter(self, qs, value):
        """Nearest first: squared equirectangular distance, computed by the database (SQLite and
        PostgreSQL alike); good enough to order places within Estonia."""
        if not value:
            return qs
        lat, lon = value
        kx = math.cos(math.radians(lat))
        dlat = F("latitude") - Value(lat)
        dlon = (F("longitude") - Value(lon)) * Value(kx)
        return qs.annotate(
            distance2=ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())
        ).order_by("distance2", "pk")


OPEN_CHOICES = [("weekend", _("on Saturday or Sunday")), ("evening", _("after 18:00"))]


class LocationFilterSet(django_filters.FilterSet):
    municipality = MunicipalityFilter(field_name="municipality")
    provider = IdFilter(field_name="provider_id", help_text=_("Provider id."))
    offer = IdFilter(field_name="offers", help_text=_("Offer id."))
    open = django_filters.ChoiceFilter(
        choices=OPEN_CHOICES,
        method="filter_open",
        help_text=_("weekend: open on Saturday or Sunday; evening: open after 18:00."),
    )
    near = NearFilter(help_text=_("Nearest first from a settlement (EHAK code) or a point “lat,lon”."))

    class Meta:
        model = m.ServiceLocation
        fields = ["municipality", "provider", "offer", "open", "near"]

    def filter_open(self, qs, name, value):
        if value == "weekend":
            return qs.filter(hours__weekday__gte=m.Weekday.SATURDAY).distinct()
        if value == "evening":
            return qs.filter(hours__closes__gt=EVENING).distinct()
        return qs


def location_queryset():
    today = timezone.localdate()
    return (
        m.ServiceLocation.objects.select_related("municipality__county", "provider", "settlement")
        .prefetch_related(
            "hours",
            "exceptions",
            Prefetch("offers", queryset=m.Offer.objects.public(today).only("pk"), to_attr="public_offers"),
        )
        .order_by("municipality__code", "pk")
    )


location_schema = extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]), retrieve=extend_schema(parameters=[LANG_PARAM])
)


class OfferWithAccessSerializer(OfferAccessFields, OfferSerializer):
    class Meta(OfferSerializer.Meta):
        fields = [*OfferSerializer.Meta.fields, *OFFER_ACCESS_FIELDS]
