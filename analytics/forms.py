"""Filters of the analytics pages and API: catalogue codes in, model objects out.

Every parameter is a stable code (never a database id). An unknown code is a form error with
a message that names the parameter and the value, shown on the page or returned as HTTP 400."""

import unicodedata
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory.models import Component, County, Domain, Municipality, Service, TargetGroup, Unit


class CodeChoiceField(forms.ModelChoiceField):
    """A catalogue entry chosen by its code; an unknown code says which one and where."""

    def __init__(self, queryset, *, label, unknown, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("all"))
        super().__init__(queryset, to_field_name="code", label=label, **kwargs)
        self.error_messages["invalid_choice"] = unknown

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code == "invalid_choice":
                raise ValidationError(self.error_messages["invalid_choice"] % {"value": value}) from exc
            raise

    def label_from_instance(self, obj):
        return obj.name


class ByNameChoices(forms.models.ModelChoiceIterator):
    """Municipalities in the order people read them (Russian ones not by "волость"/"город")."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted(self.queryset, key=lambda m: m.sort_key):
            yield self.choice(obj)


class MunicipalityChoiceField(CodeChoiceField):
    iterator = ByNameChoices


def _lang_choices():
    return [("", "")] + [(code, code) for code, _name in settings.LANGUAGES]


class LangField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=_lang_choices,
            required=False,
            label=_("language"),
            error_messages={
                "invalid_choice": _("Unknown language “%(value)s”; use et, ru or en."),
            },
            **kwargs,
        )


class AnalyticsForm(forms.Form):
    """Base of the filter forms: GET parameters, no prefix, errors carry the field name."""

    use_required_attribute = False
    error_anchors: dict[str, str] = {}  # field ids the error summary links to, where not the field's own

    def api_errors(self) -> dict[str, list[str]]:
        return {field: [str(e) for e in errors] for field, errors in self.errors.items()}


class ComponentOrServiceForm(AnalyticsForm):
    """A filter by a component or a service (fields `component` and `service`), never both."""

    def clean(self):
        data = super().clean()
        if data.get("component") and data.get("service"):
            raise ValidationError(_("Choose a component or a service, not both."))
        return data


def county_field():
    return CodeChoiceField(
        County.objects.all(), label=_("county"), unknown=_("Unknown county code “%(value)s”.")
    )


def municipality_field(**kwargs):
    return MunicipalityChoiceField(
        Municipality.objects.all(),
        label=_("municipality"),
        unknown=_("Unknown municipality code “%(value)s”."),
        **kwargs,
    )


def target_group_field():
    return CodeChoiceField(
        TargetGroup.objects.all(),
        label=_("target group"),
        unknown=_("Unknown target group code “%(value)s”."),
    )


def domain_field():
    return CodeChoiceField(
        Domain.objects.all(),
        label=_("life domain"),
        unknown=_("Unknown life domain code “%(value)s”."),
    )


def component_field():
    return CodeChoiceField(
        Component.objects.all(),
        label=_("service component"),
        unknown=_("Unknown component code “%(value)s”."),
    )


def service_field():
    return CodeChoiceField(
        Service.objects.all(),
        label=_("social service"),
        unknown=_("Unknown service code “%(value)s”."),
    )


class CoverageForm(ComponentOrServiceForm):
    """What to show in the coverage matrix."""

    KIND_CHOICES = [
        ("", _("components and services")),
        ("component", _("components")),
        ("service", _("services")),
    ]

    target_group = target_group_field()
    domain = domain_field()
    county = county_field()
    municipality = municipality_field()
    kind = forms.ChoiceField(
        choices=KIND_CHOICES,
        required=False,
        label=_("show"),
        error_messages={"invalid_choice": _("Unknown kind “%(value)s”; use component or service.")},
    )
    component = component_field()
    service = service_field()
    lang = LangField()


class PriceForm(ComponentOrServiceForm):
    """Which component or service to compare, and where."""

    component = component_field()
    service = service_field()
    county = county_field()
    municipality = municipality_field()
    target_group = target_group_field()
    domain = domain_field()
    lang = LangField()

    def clean(self):
        data = super().clean()
        domain = data.get("domain")
        if domain and data.get("component") and data["component"].domain_id != domain.pk:
            raise ValidationError(_("The component is not in the chosen life domain."))
        return data

    @property
    def item(self):
        data = getattr(self, "cleaned_data", {})
        return data.get("component") or data.get("service")


class CompletenessForm(AnalyticsForm):
    SORT_CHOICES = [("", _("county and name")), ("score", _("score, lowest first"))]

    county = county_field()
    sort = forms.ChoiceField(
        choices=SORT_CHOICES,
        required=False,
        label=_("order"),
        error_messages={"invalid_choice": _("Unknown order “%(value)s”; use score.")},
    )
    lang = LangField()


class PlacesForm(ComponentOrServiceForm):
    """Free places and waiting time: where, and for which component or service."""

    county = county_field()
    component = component_field()
    service = service_field()
    lang = LangField()


MAX_VOLUME = Decimal("10000")


class BudgetForm(AnalyticsForm):
    """A personal budget: the person's municipality and, per catalogue item, a monthly volume
    in a unit. Every choice lives in the query string (q.<code>=20&u.<code>=hour), so the URL
    is the budget: it can be shared, bookmarked and printed."""

    municipality = municipality_field(empty_label=_("choose your municipality"))
    find = forms.CharField(required=False, max_length=100, label=_("Add help to the package: type its name"))

    def __init__(self, data, items, units_by_item: dict[str, list[Unit]], default_unit: dict[str, str]):
        super().__init__(data)
        self.items = items
        self.all_units = {u.code: u for u in Unit.objects.all()}
        for item in items:
            units = units_by_item.get(item.code) or list(self.all_units.values())
            self.fields[f"q.{item.code}"] = forms.DecimalField(
                required=False,
                min_value=Decimal("0"),
                max_value=MAX_VOLUME,
                max_digits=7,
                decimal_places=2,
                label=item.name,
                localize=False,
            )
            self.fields[f"u.{item.code}"] = forms.ChoiceField(
                required=False,
                choices=[(u.code, u.name) for u in units],
                label=_("unit for %(item)s") % {"item": item.name},
                initial=default_unit.get(item.code),
                error_messages={
                    "invalid_choice": _("Unknown unit “%(value)s” for this item."),
                },
            )

    @property
    def submitted(self) -> bool:
        """Whether the form was sent (its calculate button, or its table, which always sends
        the units), not just opened."""
        return "calculate" in self.data or any(key.startswith(("q.", "u.")) for key in self.data)

    @property
    def error_anchors(self) -> dict[str, str]:
        """The form's own error (nothing chosen) links to the first volume box shown, or to
        the box to find help when the table is still empty."""
        rows = self.rows()
        return {"": rows[0][1].id_for_label if rows else self["find"].id_for_label}

    def rows(self):
        """(item, volume field, unit field) of the items in the package, in the table sent
        (its units) and matching the typed text — not all 50-odd items of the catalogue."""
        words = _fold(self.data.get("find", "")).split()
        return [
            (item, self[f"q.{item.code}"], self[f"u.{item.code}"])
            for item in self.items
            if self.data.get(f"q.{item.code}")
            or f"u.{item.code}" in self.data
            or (words and _matches(item, words))
        ]

    def short_query(self) -> str:
        """The package as a query string with only what it holds: the municipality and, per
        chosen item, its volume and (when not the usual one) its unit."""
        data = self.cleaned_data
        params = {"municipality": data["municipality"].code} if data.get("municipality") else {}
        for item, volume, unit in data.get("chosen", []):
            params[f"q.{item.code}"] = f"{volume.normalize():f}"
            if unit.code != self.fields[f"u.{item.code}"].initial:
                params[f"u.{item.code}"] = unit.code
        return urlencode(params)

    def clean(self):
        data = super().clean()
        chosen = []
        for item in self.items:
            volume = data.get(f"q.{item.code}")
            if volume:
                unit_code = data.get(f"u.{item.code}") or self.fields[f"u.{item.code}"].initial
                if not unit_code:
                    unit_code = self.fields[f"u.{item.code}"].choices[0][0]
                chosen.append((item, volume, self.all_units[unit_code]))
        data["chosen"] = chosen
        if self.submitted and not chosen:
            self.add_error(
                None,
                _(
                    "Nothing to calculate yet: enter how much of at least one component or service "
                    "you need per month (for example 20 hours of home care), then calculate again."
                ),
            )
        if self.submitted and not data.get("municipality") and "municipality" not in self.errors:
            self.add_error("municipality", _("Choose your municipality to see the cost."))
        return data


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "").casefold().replace("ё", "е"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _matches(item, words: list[str]) -> bool:
    """Every typed word starts a word of the item's name or keywords, in any language."""
    texts = [
        getattr(item, f"{field}_{lang}", "") or ""
        for field in ("name", "keywords")
        for lang in ("et", "ru", "en")
    ]
    known = _fold(" ".join(texts)).replace("-", " ").split()
    return all(any(word.startswith(typed) for word in known) for typed in words)


class UnmetNeedsForm(AnalyticsForm):
    """Filters of the unmet-needs report and its API. `municipality` may also be "-": the
    searches made without choosing a municipality (only where the scope includes them).

    The admin report passes the user's scope as `municipalities` and `counties`, so a code
    outside it is an unknown code here; the view answers it with 403 before the form runs."""

    NO_MUNICIPALITY = "-"
    OUTCOME_CHOICES = [
        ("", _("no results or poor results")),
        ("zero", _("no results")),
        ("poor", _("only poor results")),
    ]

    municipality = forms.CharField(required=False, label=_("municipality"))
    county = county_field()
    lang = LangField()
    date_from = forms.DateField(required=False, label=_("from"), input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, label=_("until"), input_formats=["%Y-%m-%d"])
    outcome = forms.ChoiceField(
        choices=OUTCOME_CHOICES,
        required=False,
        label=_("show"),
        error_messages={"invalid_choice": _("Unknown outcome “%(value)s”; use zero or poor.")},
    )

    def __init__(self, data, *, municipalities=None, counties=None, allow_unscoped: bool = True):
        super().__init__(data)
        self.municipalities = Municipality.objects.all() if municipalities is None else municipalities
        self.allow_unscoped = allow_unscoped
        if counties is not None:
            self.fields["county"].queryset = counties
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = _("Enter a date as YYYY-MM-DD.")

    def clean_municipality(self):
        code = (self.cleaned_data.get("municipality") or "").strip()
        if not code:
            return None
        if code == self.NO_MUNICIPALITY and self.allow_unscoped:
            return self.NO_MUNICIPALITY
        found = self.municipalities.filter(code=code).first()
        if found is None:
            raise ValidationError(_("Unknown municipality code “%(value)s”.") % {"value": code[:80]})
        return found

    def clean(self):
        from .unmet import default_period

        data = super().clean()
        start, end = default_period()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_to and not date_from:
            date_from = date_to - (end - start)
        data["date_from"], data["date_to"] = date_from or start, date_to or end
        if data["date_from"] > data["date_to"]:
            self.add_error("date_from", _("The start of the period is after its end."))
        municipality, county = data.get("municipality"), data.get("county")
        if county and isinstance(municipality, Municipality) and municipality.county_id != county.pk:
            self.add_error("municipality", _("The municipality is not in the chosen county."))
        if county and municipality == self.NO_MUNICIPALITY:
            self.add_error("municipality", _("Searches without a municipality belong to no county."))
        return data

    def scope(self) -> tuple:
        """(municipalities, include_unscoped) for analytics.unmet.unmet_needs()."""
        data = self.cleaned_data
        municipality, county = data.get("municipality"), data.get("county")
        if municipality == self.NO_MUNICIPALITY:
            return Municipality.objects.none(), True
        if isinstance(municipality, Municipality):
            return self.municipalities.filter(pk=municipality.pk), False
        if county:
            return self.municipalities.filter(county=county), False
        return self.municipalities, self.allow_unscoped
