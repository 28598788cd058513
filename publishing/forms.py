"""Admin forms for KOV staff: every choice of municipality, offer or provider is limited to
what the user may edit, so a hand-crafted POST cannot reach another KOV's data."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm

from directory.models import (
    OpeningHours,
    Price,
    PriceCorrection,
    PriceStatus,
    ServiceArea,
    Settlement,
    WorkForm,
)
from directory.models.access import http_url, overlap_message, overlaps
from directory.models.base import LANGUAGE_CHOICES
from directory.models.offers import today

from . import imports, proposals, registry, review, scope


def parse_amount(text: str):
    """What people type as an amount: "4,40", "4.40", "1 234,50 €" — read by the same rules as
    the price-list import (publishing.imports), so a form and a spreadsheet agree."""
    try:
        return imports.parse_decimal(text)
    except imports.CellError as exc:
        raise forms.ValidationError(str(exc)) from None


class AmountField(forms.CharField):
    """A money or percentage box that accepts a decimal comma or point (never type=number,
    which a Russian or Estonian browser reads differently)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 10})

    def prepare_value(self, value):
        if value is None:
            return ""
        return str(value).replace(".", ",") if translation.get_language() in ("et", "ru") else str(value)

    def to_python(self, value):
        text = super().to_python(value)
        return parse_amount(text) if text else None


class ScopedForm(WagtailAdminModelForm):
    """Limits every choice of municipality, offer and provider to the user's KOVs and keeps a
    published entry's identity (publishing.registry's `locked` fields) fixed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for name, field in self.fields.items():
            if (
                proposals.FIELD_LABELS.get(f"{model._meta.model_name}.{name}")
                or name in proposals.FIELD_LABELS
            ):
                field.label = proposals.field_label(model, name)  # the models give none, or a vague one
        for field in self.fields.values():
            if isinstance(field, forms.URLField):
                # Links are web addresses only; say so rather than Django's "Enter a valid URL".
                field.validators = [http_url]
                field.error_messages["invalid"] = http_url.message
        user = self.for_user
        if user is not None:
            for name, queryset in scoped_choices(user).items():
                if name in self.fields:
                    self.fields[name].queryset = queryset
        if not self.instance.pk and hasattr(self.instance, "status"):
            # Everything new with a status starts as a draft that a KOV moderator approves.
            self.instance.status = PriceStatus.DRAFT
        entry = registry.get(model)
        if entry and entry.published and self.instance.pk and entry.published(self.instance):
            for name in entry.locked:
                if name in self.fields:
                    self.fields[name].disabled = True


def scoped_choices(user) -> dict:
    """Form field name → the rows this user may choose for it."""
    return {
        "municipality": scope.editable_municipalities(user),
        "offer": scope.offers_for(user).select_related("component", "service", "municipality", "provider"),
        "offers": scope.offers_for(user).select_related("component", "service", "municipality", "provider"),
        "provider": scope.visible_providers(user),
        "settlements": Settlement.objects.filter(municipality__in=scope.editable_municipalities(user)),
        "settlement": Settlement.objects.filter(municipality__in=scope.editable_municipalities(user)),
    }


class OfferForm(ScopedForm):
    work_forms = forms.MultipleChoiceField(
        label=_("work forms"), choices=WorkForm.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("languages of service"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ContactPersonForm(ScopedForm):
    languages = forms.MultipleChoiceField(
        label=_("languages spoken"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ProviderForm(WagtailAdminModelForm):
    pass


class PriceForm(WagtailAdminModelForm):
    """A draft price. Published prices never reach this form: they are history."""

    price_individual = AmountField(label=_("price per unit, individual (EUR)"))
    price_group = AmountField(label=_("price per unit, group (EUR)"))
    client_share_amount = AmountField(label=_("client's share (EUR)"))
    client_share_percent = AmountField(label=_("client's share (%)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "offer" in self.fields and self.for_user is not None:
            self.fields["offer"].queryset = scope.offers_for(self.for_user).select_related(
                "component", "service", "municipality", "provider"
            )

    def save(self, commit=True):
        if not self.instance.pk:
            self.instance.status = PriceStatus.DRAFT
            self.instance.created_by = self.for_user
        return super().save(commit=commit)


class PriceCorrectionForm(forms.Form):
    """A moderator's correction of a published price: the amounts as they should have been,
    and why. The reason is public: it is shown beside the corrected price."""

    price_individual = AmountField(label=_("price per unit, individual (EUR)"))
    price_group = AmountField(label=_("price per unit, group (EUR)"))
    client_share_amount = AmountField(label=_("client's share (EUR)"))
    client_share_percent = AmountField(label=_("client's share (%)"))
    reason = forms.CharField(
        label=_("Reason for the correction (shown to the public)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def __init__(self, *args, price: Price, **kwargs):
        kwargs.setdefault("initial", {name: getattr(price, name) for name in PriceCorrection.AMOUNTS})
        super().__init__(*args, **kwargs)

    @property
    def amounts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PriceCorrection.AMOUNTS}


class ClientShare(models.TextChoices):
    NONE = "none", _("The client pays nothing")
    AMOUNT = "amount", _("The client pays an amount (EUR)")
    PERCENT = "percent", _("The client pays a percentage")


class NewPriceForm(forms.ModelForm):
    """A new price for one offer (the offer comes from the URL). Amounts are typed as people
    write them; the client's share is asked for, never copied silently from the old price; a
    large change (half the old price or more) or a zero needs a tick to confirm."""

    price_individual = AmountField(label=_("price per unit, individual (EUR)"))
    price_group = AmountField(label=_("price per unit, group (EUR)"))
    client_share = forms.ChoiceField(
        label=_("Client's share (omaosalus)"), choices=ClientShare.choices, widget=forms.RadioSelect
    )
    client_share_value = AmountField(label=_("Client's share: amount in EUR or percentage"))
    confirm_change = forms.BooleanField(
        label=_("I have checked the amounts: this large change (or zero) is right."), required=False
    )

    class Meta:
        model = Price
        fields = ["unit", "valid_from"]
        labels = {"unit": _("unit"), "valid_from": _("valid from")}
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.offer = offer
        self.current = offer.current_price if offer else None
        self.large_change = False
        self.order_fields(
            ["unit", "price_individual", "price_group", "client_share", "client_share_value", "valid_from"]
        )

    def clean(self):
        cleaned = super().clean()
        individual, group = cleaned.get("price_individual"), cleaned.get("price_group")
        if "price_individual" in cleaned and individual is None and group is None:
            self.add_error("price_individual", _("Give a price for individual or for group work."))
        share, value = cleaned.get("client_share"), cleaned.get("client_share_value")
        self.instance.client_share_amount = self.instance.client_share_percent = None
        if share in (ClientShare.AMOUNT, ClientShare.PERCENT):
            if value is None:
                self.add_error(
                    "client_share_value",
                    _("Enter the client's share, or choose that the client pays nothing."),
                )
            elif share == ClientShare.PERCENT and value > 100:
                self.add_error("client_share_value", _("A percentage is at most 100."))
            elif share == ClientShare.AMOUNT:
                self.instance.client_share_amount = value
            else:
                self.instance.client_share_percent = value
        self.instance.price_individual, self.instance.price_group = individual, group
        offer = self.instance.offer
        valid_from = cleaned.get("valid_from")
        latest = offer.prices.published().order_by("-valid_from").first() if offer else None
        if valid_from and valid_from < today():
            # What a past date cost is history: changing it is a moderator's correction.
            self.add_error(
                "valid_from",
                _(
                    "A new price must start today (%(today)s) or later. To change what a past "
                    "date cost, ask a moderator to correct the published price."
                )
                % {"today": today().isoformat()},
            )
        elif valid_from and latest and valid_from <= latest.valid_from:
            self.add_error(
                "valid_from",
                _("A published price already starts on %(date)s; a new price must start later.")
                % {"date": latest.valid_from.isoformat()},
            )
        old = self.current
        self.large_change = any(
            review.is_large_change(old and getattr(old, name), cleaned.get(name))
            and cleaned.get(name) is not None
            for name in ("price_individual", "price_group")
        ) or (old is None and 0 in (individual, group))
        if self.large_change and not cleaned.get("confirm_change") and not self.errors:
            self.add_error(
                "confirm_change",
                _(
                    "This is a large change from the current price (or zero). "
                    "Check it and tick the box to confirm."
                ),
            )
        return cleaned

    def changes(self) -> list[dict]:
        """Old → new amounts with the change in per cent, for the page."""
        old = self.current
        rows = []
        for name, label in (("price_individual", _("individual")), ("price_group", _("group"))):
            new = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            before = getattr(old, name) if old else None
            rows.append(
                {
                    "name": name,
                    "label": label,
                    "old": before,
                    "new": new,
                    "percent": review.percent_change(before, new),
                }
            )
        return rows


class RejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason for the editor"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class OpeningHoursFormSet(BaseChildFormSet):
    """A location's weekly hours, checked together: no two periods of a day may overlap. (The
    stored rows may be the very ones being changed, so each row is not checked against them.)"""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.checked_with_siblings = True
        return form

    def clean(self):
        super().clean()
        rows = [
            OpeningHours(**{name: form.cleaned_data[name] for name in ("weekday", "opens", "closes")})
            for form in self.forms
            if form not in self.deleted_forms
            and form.cleaned_data.get("opens")
            and form.cleaned_data.get("closes")
            and form.cleaned_data.get("weekday") is not None
        ]
        clash = overlaps(rows)
        if clash:
            raise forms.ValidationError(overlap_message(*clash))


class ServiceAreaForm(ScopedForm):
    def clean(self):
        cleaned = super().clean()
        offer = cleaned.get("offer") or getattr(self.instance, "offer", None)
        settlements = cleaned.get("settlements") or []
        if offer is not None and settlements:
            try:
                ServiceArea(offer=offer).check_settlements(settlements)
            except ValidationError as exc:
                self.add_error(None, exc.message_dict["settlements"])
        return cleaned
