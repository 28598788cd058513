"""Admin for where and how to get the help: service locations (with their opening hours and
exceptions inline), eligibility, service areas, how to apply and availability.

They use the same scoped viewset, forms and workflow as offers (publishing.registry declares
each model's KOV and when it is public): an edit of a public row waits for a moderator."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, Panel
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from directory.models import Availability, Eligibility, HowToApply, ServiceArea, ServiceLocation

from . import forms, scope, workflow
from .viewsets import ScopedViewSet, _translated


class ProposalPanel(Panel):
    """Whether an edit waits for approval, and the change awaiting it with its buttons."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/panels/proposal_status.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            municipality = scope.municipality_of(self.instance)
            context["request"] = self.request
            context["public"] = workflow.needs_approval_to_edit(self.instance)
            context["pending_change"] = workflow.pending_change_for(self.instance)
            context["can_moderate"] = scope.can_moderate_municipality(self.request.user, municipality)
            return context


class CheckedInlinePanel(InlinePanel):
    """An InlinePanel whose formset class checks its rows together (e.g. overlapping hours)."""

    def __init__(self, relation_name, *args, formset=None, **kwargs):
        self.formset = formset
        super().__init__(relation_name, *args, **kwargs)

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "formset": self.formset}

    def get_form_options(self):
        options = super().get_form_options()
        if self.formset is not None:
            options["formsets"][self.relation_name]["formset"] = self.formset
        return options


STATUS = ProposalPanel(heading=gettext_lazy("Workflow"))
OFFER_NAME = ["offer__service__name_et", "offer__component__name_et", "offer__provider__name"]


class ServiceLocationViewSet(ScopedViewSet):
    model = ServiceLocation
    icon = "site"
    menu_label = gettext_lazy("Service locations")
    list_display = ["__str__", "municipality", "provider"]
    search_backend_name = None
    search_fields = ["name_et", "street_address", "settlement", "provider__name"]
    ordering = ["municipality__name", "name"]
    edit_handler = ObjectList(
        [
            STATUS,
            FieldRowPanel([FieldPanel("municipality"), FieldPanel("provider")]),
            MultiFieldPanel(_translated("name"), heading=gettext_lazy("name of the place")),
            FieldRowPanel(
                [FieldPanel("street_address"), FieldPanel("settlement"), FieldPanel("postal_code")]
            ),
            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("phone")]),
            FieldRowPanel(
                [
                    FieldPanel("step_free_entrance"),
                    FieldPanel("accessible_toilet"),
                    FieldPanel("hearing_loop"),
                    FieldPanel("accessible_parking"),
                ],
                heading=gettext_lazy("accessibility"),
            ),
            MultiFieldPanel(
                _translated("accessibility_note"), heading=gettext_lazy("accessibility of the premises")
            ),
            FieldPanel("offers"),
            CheckedInlinePanel(
                "hours",
                panels=[FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")],
                formset=forms.OpeningHoursFormSet,
                heading=gettext_lazy("opening hours"),
                label=gettext_lazy("opening hours"),
            ),
            InlinePanel(
                "exceptions",
                panels=[
                    FieldRowPanel([FieldPanel("starts"), FieldPanel("ends"), FieldPanel("closed")]),
                    FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")]),
                    *_translated("note"),
                ],
                heading=gettext_lazy("exceptions to opening hours"),
                label=gettext_lazy("exception to opening hours"),
            ),
        ],
        base_form_class=forms.ScopedForm,
    )


class EligibilityViewSet(ScopedViewSet):
    model = Eligibility
    icon = "user"
    menu_label = gettext_lazy("Eligibility")
    list_display = ["__str__", "age_min", "age_max"]
    search_backend_name = None
    search_fields = OFFER_NAME
    ordering = ["offer__municipality__name", "offer_id"]
    edit_handler = ObjectList(
        [
            STATUS,
            FieldPanel("offer"),
            MultiFieldPanel(_translated("description"), heading=gettext_lazy("who qualifies")),
            FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")]),
            FieldRowPanel([FieldPanel("needs_assessment_required"), FieldPanel("kov_decision_required")]),
            FieldRowPanel([FieldPanel("at_home"), FieldPanel("remote")]),
        ],
        base_form_class=forms.ScopedForm,
    )


class ServiceAreaViewSet(ScopedViewSet):
    model = ServiceArea
    icon = "globe"
    menu_label = gettext_lazy("Service areas")
    list_display = ["__str__"]
    search_backend_name = None
    search_fields = OFFER_NAME
    ordering = ["offer__municipality__name", "offer_id"]
    edit_handler = ObjectList(
        [STATUS, FieldPanel("offer"), FieldPanel("settlements")], base_form_class=forms.ServiceAreaForm
    )


class HowToApplyViewSet(ScopedViewSet):
    model = HowToApply
    icon = "form"
    menu_label = gettext_lazy("How to apply")
    list_display = ["__str__", "decision_days"]
    search_backend_name = None
    search_fields = ["municipality__name_et", "component__name_et", "service__name_et"]
    ordering = ["municipality__name", "id"]
    edit_handler = ObjectList(
        [
            STATUS,
            FieldRowPanel([FieldPanel("municipality"), FieldPanel("component"), FieldPanel("service")]),
            FieldRowPanel([FieldPanel("e_service_url"), FieldPanel("form_url"), FieldPanel("phone")]),
            MultiFieldPanel(_translated("in_person"), heading=gettext_lazy("where to apply in person")),
            MultiFieldPanel(_translated("documents"), heading=gettext_lazy("documents needed")),
            MultiFieldPanel(_translated("decided_by"), heading=gettext_lazy("who decides")),
            FieldPanel("decision_days"),
            MultiFieldPanel(_translated("next_steps"), heading=gettext_lazy("what happens next")),
        ],
        base_form_class=forms.ScopedForm,
    )


class AvailabilityViewSet(ScopedViewSet):
    model = Availability
    icon = "date"
    menu_label = gettext_lazy("Free places and waiting")
    list_display = ["__str__", "capacity", "free_places", "waiting_days", "as_of"]
    search_backend_name = None
    search_fields = OFFER_NAME
    ordering = ["-as_of", "offer_id"]
    edit_handler = ObjectList(
        [
            STATUS,
            FieldPanel("offer"),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("free_places"), FieldPanel("waiting_days")]),
            FieldPanel("as_of"),
        ],
        base_form_class=forms.ScopedForm,
    )


class GettingHelpGroup(SnippetViewSetGroup):
    items = (
        ServiceLocationViewSet,
        EligibilityViewSet,
        ServiceAreaViewSet,
        HowToApplyViewSet,
        AvailabilityViewSet,
    )
    menu_icon = "help"
    menu_label = gettext_lazy("Getting help")
    menu_name = "getting-help"
