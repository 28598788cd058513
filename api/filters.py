"""Filters by catalogue code. An unknown code is a 400 that names the parameter and the
value, never an empty list that looks like "no services here"."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory import models as m
from directory.models.base import LANGUAGE_CHOICES

UNKNOWN_CODE = _("Unknown code “%(value)s”.")


class CodeFilter(django_filters.ModelChoiceFilter):
    """?component=respite-care — matched on the stable catalogue code."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("error_messages", {"invalid_choice": UNKNOWN_CODE})
        super().__init__(*args, **kwargs)


class MunicipalityField(forms.ModelChoiceField):
    """A municipality by its code (narva-linn) or its four-digit EHAK code (0511)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.queryset.filter(Q(code=value) | Q(ehak=value)).first()
        if found is None:
            raise forms.ValidationError(UNKNOWN_CODE, code="invalid_choice", params={"value": value})
        return found


class MunicipalityFilter(django_filters.ModelChoiceFilter):
    field_class = MunicipalityField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", m.Municipality.objects.all())
        kwargs.setdefault("help_text", _("Municipality code (e.g. narva-linn) or EHAK code (e.g. 0511)."))
        super().__init__(*args, **kwargs)


class LanguageFilter(django_filters.ChoiceFilter):
    """Rows whose JSON list of languages contains the code (works on SQLite and PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", LANGUAGE_CHOICES)
        kwargs.setdefault("help_text", _("Language of service, e.g. ru."))
        kwargs.setdefault("error_messages", {"invalid_choice": _("Unknown language “%(value)s”.")})
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__icontains": f'"{value}"'})


class IdFilter(django_filters.NumberFilter):
    """A numeric id; out-of-range or non-integer values are a 400, not a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


def code_filter(model, field_name: str, help_text) -> CodeFilter:
    return CodeFilter(field_name=field_name, queryset=model.objects.all(), help_text=help_text)


class MunicipalityFilterSet(django_filters.FilterSet):
    county = code_filter(m.County, "county", _("County code, e.g. ida-viru."))

    class Meta:
        model = m.Municipality
        fields = ["county", "kind"]


class DomainFilterSet(django_filters.FilterSet):
    tier = code_filter(m.Tier, "tier", _("Tier code."))

    class Meta:
        model = m.Domain
        fields = ["tier"]


class RoleFilterSet(django_filters.FilterSet):
    class Meta:
        model = m.Role
        fields = ["kind"]


class ComponentFilterSet(django_filters.FilterSet):
    tier = code_filter(m.Tier, "tier", _("Tier code."))
    domain = code_filter(m.Domain, "domain", _("Life domain code."))
    service = code_filter(m.Service, "services", _("Components related to this service."))

    class Meta:
        model = m.Component
        fields = ["tier", "domain", "service"]


class ServiceFilterSet(django_filters.FilterSet):
    target_group = code_filter(m.TargetGroup, "target_groups", _("Target group code."))
    component = code_filter(m.Component, "related_components", _("Related component code."))

    class Meta:
        model = m.Service
        fields = ["organiser", "target_group", "component"]


class JourneyFilterSet(django_filters.FilterSet):
    target_group = code_filter(m.TargetGroup, "target_groups", _("Target group code."))

    class Meta:
        model = m.Journey
        fields = ["target_group"]


class ProviderFilterSet(django_filters.FilterSet):
    municipality = MunicipalityFilter(field_name="offers__municipality", distinct=True)
    component = CodeFilter(
        field_name="offers__component",
        queryset=m.Component.objects.all(),
        distinct=True,
        help_text=_("Component code."),
    )
    service = CodeFilter(
        field_name="offers__service",
        queryset=m.Service.objects.all(),
        distinct=True,
        help_text=_("Service code."),
    )

    class Meta:
        model = m.Provider
        fields = ["kind", "municipality", "component", "service"]


class OfferFilterSet(django_filters.FilterSet):
    municipality = MunicipalityFilter(field_name="municipality")
    county = code_filter(m.County, "municipality__county", _("County code."))
    component = code_filter(m.Component, "component", _("Component code."))
    service = code_filter(m.Service, "service", _("Service code."))
    target_group = CodeFilter(
        field_name="target_groups",
        queryset=m.TargetGroup.objects.all(),
        distinct=True,
        help_text=_("Target group code."),
    )
    domain = code_filter(m.Domain, "component__domain", _("Life domain code."))
    language = LanguageFilter(field_name="languages")
    provider = IdFilter(field_name="provider_id", help_text=_("Provider id."))

    class Meta:
        model = m.Offer
        fields = [
            "municipality",
            "county",
            "component",
            "service",
            "target_group",
            "domain",
            "language",
            "provider",
        ]


class PriceFilterSet(django_filters.FilterSet):
    municipality = MunicipalityFilter(field_name="offer__municipality")
    county = code_filter(m.County, "offer__municipality__county", _("County code."))
    component = code_filter(m.Component, "offer__component", _("Component code."))
    service = code_filter(m.Service, "offer__service", _("Service code."))
    target_group = CodeFilter(
        field_name="offer__target_groups",
        queryset=m.TargetGroup.objects.all(),
        distinct=True,
        help_text=_("Target group code."),
    )
    language = LanguageFilter(field_name="offer__languages")
    offer = IdFilter(field_name="offer_id", help_text=_("Offer id."))

    class Meta:
        model = m.Price
        fields = ["municipality", "county", "component", "service", "target_group", "language", "offer"]


class ContactFilterSet(django_filters.FilterSet):
    municipality = MunicipalityFilter(field_name="municipality")
    county = code_filter(m.County, "municipality__county", _("County code."))
    role = code_filter(m.Role, "role", _("Role code, e.g. care-coordinator."))
    language = LanguageFilter(field_name="languages", help_text=_("Language spoken, e.g. ru."))

    class Meta:
        model = m.ContactPerson
        fields = ["municipality", "county", "role", "language"]


class MunicipalityContactFilterSet(django_filters.FilterSet):
    """The contacts of one municipality: the municipality comes from the path."""

    role = code_filter(m.Role, "role", _("Role code, e.g. care-coordinator."))
    language = LanguageFilter(field_name="languages", help_text=_("Language spoken, e.g. ru."))

    class Meta:
        model = m.ContactPerson
        fields = ["role", "language"]
