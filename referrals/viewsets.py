"""Wagtail admin for referral routes, a KOV's cooperating partners and the shared register of
partner institutions — the same scoped views, workflow panel and audit log as offers
(publishing.viewsets)."""

from django import forms as django_forms
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from publishing.viewsets import KovFilterSet, ScopedViewSet, StatusColumn, WorkflowStatusPanel, _translated

from .forms import CooperationForm, ReferralRouteForm
from .models import Cooperation, PartnerInstitution, ReferralRoute


class RouteFilterSet(KovFilterSet):
    class Meta:
        model = ReferralRoute
        fields = ["status", "municipality", "partner_kind", "channel"]


class CooperationFilterSet(KovFilterSet):
    class Meta:
        model = Cooperation
        fields = ["status", "municipality"]


class ReferralRouteViewSet(ScopedViewSet):
    model = ReferralRoute
    icon = "redirect"
    menu_label = gettext_lazy("Referral routes")
    list_display = [
        "__str__",
        "municipality",
        StatusColumn("status", label=gettext_lazy("status")),
        "response_days",
        "valid_to",
    ]
    filterset_class = RouteFilterSet
    search_backend_name = None
    search_fields = [
        "partner__name_et",
        "municipality__name_et",
        "journey__title_et",
        "target_group__name_et",
    ]
    list_export = [
        "municipality",
        "partner_kind",
        "partner",
        "journey",
        "target_group",
        "kov_role",
        "channel",
        "response_days",
        "status",
        "valid_from",
        "valid_to",
    ]
    ordering = ["municipality__name", "id"]
    edit_handler = ObjectList(
        [
            WorkflowStatusPanel(heading=gettext_lazy("Workflow")),
            FieldPanel("municipality"),
            FieldRowPanel([FieldPanel("partner_kind"), FieldPanel("partner", widget=django_forms.Select)]),
            FieldRowPanel([FieldPanel("journey"), FieldPanel("target_group")]),
            FieldRowPanel([FieldPanel("kov_role"), FieldPanel("response_days")]),
            FieldPanel("channel"),
            FieldRowPanel([FieldPanel("channel_name"), FieldPanel("channel_url")]),
            FieldRowPanel([FieldPanel("channel_phone"), FieldPanel("channel_email")]),
            MultiFieldPanel(_translated("passes_on"), heading=gettext_lazy("what the partner passes on")),
            MultiFieldPanel(_translated("consent_note"), heading=gettext_lazy("consent")),
            MultiFieldPanel(
                _translated("tell_family"), heading=gettext_lazy("what the partner tells the family")
            ),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        ],
        base_form_class=ReferralRouteForm,
    )


class CooperationViewSet(ScopedViewSet):
    model = Cooperation
    icon = "link"
    menu_label = gettext_lazy("Cooperating partners")
    list_display = ["partner", "municipality", StatusColumn("status", label=gettext_lazy("status")), "since"]
    filterset_class = CooperationFilterSet
    search_backend_name = None
    search_fields = ["partner__name_et", "municipality__name_et"]
    ordering = ["municipality__name", "partner__name"]
    edit_handler = ObjectList(
        [
            WorkflowStatusPanel(heading=gettext_lazy("Workflow")),
            FieldRowPanel([FieldPanel("municipality"), FieldPanel("partner", widget=django_forms.Select)]),
            FieldPanel("since"),
        ],
        base_form_class=CooperationForm,
    )


class PartnerInstitutionViewSet(ScopedViewSet):
    model = PartnerInstitution
    icon = "group"
    menu_label = gettext_lazy("Partner institutions")
    list_display = ["name", "kind", "registry_code", "county"]
    list_filter = ["kind", "county"]
    search_backend_name = None
    search_fields = ["name_et", "name_ru", "name_en", "registry_code"]
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(_translated("name"), heading=gettext_lazy("name")),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("registry_code")]),
            FieldRowPanel([FieldPanel("address"), FieldPanel("county")]),
            FieldPanel("municipalities"),
            FieldRowPanel([FieldPanel("phone"), FieldPanel("website")]),
        ]
    )


class ReferralsGroup(SnippetViewSetGroup):
    items = (ReferralRouteViewSet, CooperationViewSet, PartnerInstitutionViewSet)
    menu_icon = "redirect"
    menu_label = gettext_lazy("Referral routes")
    menu_name = "referral-routes"
