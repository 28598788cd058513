"""Admin forms for KOV staff: every choice of municipality, offer or provider is limited to
what the user may edit, so a hand-crafted POST cannot reach another KOV's data."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from directory.models import Price, PriceStatus, WorkForm
from directory.models.base import LANGUAGE_CHOICES
from directory.models.offers import today

from . import scope


class ScopedForm(WagtailAdminModelForm):
    """Limits the municipality field to the user's KOVs and keeps a published entry's
    identity (its KOV, and an offer's item and provider) fixed."""

    locked_when_published: tuple[str, ...] = ("municipality",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "municipality" in self.fields and user is not None:
            self.fields["municipality"].queryset = scope.editable_municipalities(user)
        if self.instance.pk and getattr(self.instance, "status", None) == PriceStatus.PUBLISHED:
            for name in self.locked_when_published:
                if name in self.fields:
                    self.fields[name].disabled = True

    def save(self, commit=True):
        if not self.instance.pk and hasattr(self.instance, "status"):
            # Everything new starts as a draft that a KOV moderator approves.
            self.instance.status = PriceStatus.DRAFT
        return super().save(commit=commit)


class OfferForm(ScopedForm):
    locked_when_published = ("municipality", "component", "service", "provider")

    work_forms = forms.MultipleChoiceField(
        label=_("work forms"), choices=WorkForm.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("languages of service"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "provider" in self.fields and self.for_user is not None:
            self.fields["provider"].queryset = scope.visible_providers(self.for_user)


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


class NewPriceForm(forms.ModelForm):
    """A new price for one offer (the offer comes from the URL)."""

    class Meta:
        model = Price
        fields = [
            "unit",
            "price_individual",
            "price_group",
            "client_share_amount",
            "client_share_percent",
            "valid_from",
        ]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.offer = offer

    def clean(self):
        cleaned = super().clean()
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
        return cleaned


class RejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason for the editor"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
