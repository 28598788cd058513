"""Issuing and revoking partner tokens in the Django admin (/django-admin/)."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import PartnerToken, Scope


class PartnerTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = PartnerToken
        fields = ["name", "contact_email", "scopes", "expires_at"]


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin):
    form = PartnerTokenForm
    list_display = ["name", "prefix", "scope_list", "expires_at", "revoked_at", "last_used_at", "created_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "contact_email"]
    readonly_fields = ["prefix", "last_used_at", "created_at", "created_by", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description=_("scopes"))
    def scope_list(self, token: PartnerToken) -> str:
        return ", ".join(token.scopes)

    def get_fields(self, request, obj=None):
        fields = ["name", "contact_email", "scopes", "expires_at"]
        return fields + (self.readonly_fields if obj else [])

    def save_model(self, request, obj, form, change):
        if not change:
            raw = obj.set_secret()
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            messages.warning(
                request,
                _(
                    "Token for %(name)s: %(token)s — copy it now; it is stored only as a hash and "
                    "cannot be shown again."
                )
                % {"name": obj.name, "token": raw},
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
        )
