"""Wagtail admin for KOV staff: offers, prices, contact persons and providers, each listing,
form, history and export limited to the user's municipality (publishing.scope).

Every view that loads one object checks it against the user's scope and answers 403 for
anything outside it — edit, delete, history, usage, inspect, copy, choosers; listings and
exports only contain the user's rows. (403 rather than 404: the site's LocaleMiddleware turns
an admin 404 into a redirect to a language-prefixed URL.)"""

from __future__ import annotations

import django_filters
from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from directory.models import ContactPerson, Offer, Price, PriceStatus, Provider
from referrals.models import Cooperation, PartnerInstitution, ReferralRoute

from . import forms, proposals, registry, scope, workflow
from .refusal import RefuseWith403ViewSetMixin
from .signals import outdated_for, translated_fields

# -- scoping mixins ----------------------------------------------------------------------


class ScopedObjectMixin:
    """Loads objects only from the user's scope; `needs_edit` views require the right to change."""

    needs_edit = True

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        user = self.request.user
        allowed = scope.can_edit(user, obj) if self.needs_edit else scope.can_view(user, obj)
        if not allowed:
            raise PermissionDenied
        return obj


class ScopedIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(pk__in=scope.visible_queryset(self.model, self.request.user).values("pk"))
        )


class ScopedCreateView(snippet_views.CreateView):
    """Creates a row; one that would be public at once (publishing.registry) is proposed
    instead and created when a moderator approves it (workflow.propose_addition)."""

    def get_context_data(self, **kwargs):
        entry = registry.get(self.model)
        return super().get_context_data(**kwargs, addition_reviewed=bool(entry and entry.reviews_additions))

    def form_valid(self, form):
        values = proposals.form_values(form)
        if not workflow.needs_approval_to_edit(form.instance, values):
            return super().form_valid(form)
        self.form = form
        change = workflow.propose_addition(self.model, values, self.request.user)
        messages.success(
            self.request,
            _("“%(object)s” awaits a moderator's approval; the public site shows it once it is approved.")
            % {"object": change.title},
        )
        return redirect(change.edit_url)


class ScopedEditView(ScopedObjectMixin, snippet_views.EditView):
    """Edits a draft in place; an edit of a published offer or contact becomes a change
    awaiting approval (workflow.propose) and the form shows that change until it is decided."""

    proposed = None

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        self.pending_change = workflow.pending_change_for(obj)
        if self.pending_change:
            # Only this in-memory copy shows the proposal; the live row stays as it is.
            self.pending_related = proposals.assign(obj, self.pending_change.changes)
        return obj

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.pending_change and self.pending_related:
            kwargs["initial"] = {**kwargs.get("initial", {}), **self.pending_related}
        return kwargs

    def get_success_message(self):
        if self.proposing:
            if self.proposed is None:
                return _("Nothing differs from the published version; no change awaits approval.")
            return _(
                "Your change to “%(object)s” awaits a moderator's approval; the public site shows "
                "the published version until then."
            ) % {"object": self.object}
        return super().get_success_message()

    def dispatch(self, request, *args, **kwargs):
        if isinstance(self.object, Price) and self.object.status != PriceStatus.DRAFT:
            # A published price is history; one awaiting approval is frozen until decided:
            # both open read-only, with "add a new price from a date"; a POST is refused.
            if request.method != "GET":
                raise PermissionDenied
            return redirect(reverse("wagtailsnippets_directory_price:inspect", args=[self.object.pk]))
        if request.method == "GET" and self.object.__class__ in (Offer, ContactPerson, Provider):
            outdated = list(outdated_for(self.object))
            if outdated:
                messages.warning(
                    request,
                    _("Translation outdated — the Estonian text changed after: %(fields)s. Please update it.")
                    % {"fields": ", ".join(f"{o.field_label} ({o.language})" for o in outdated)},
                )
        return super().dispatch(request, *args, **kwargs)

    proposing = False

    def save_instance(self):
        # Public now, or made public by this save (e.g. a location newly given for a published offer).
        self.proposing = workflow.needs_approval_to_edit(self.object, proposals.form_values(self.form))
        if self.proposing:
            live = type(self.object).objects.get(pk=self.object.pk)
            self.proposed = workflow.propose(live, proposals.form_values(self.form), self.request.user)
            self.has_content_changes = self.proposed is not None
            return live
        changed = {
            name: [_loggable(self.form.initial.get(name)), _loggable(self.form.cleaned_data.get(name))]
            for name in self.form.changed_data
        }
        instance = self.form.save()
        self.has_content_changes = bool(changed)
        log(
            instance=instance,
            action="publishing.edit",
            content_changed=bool(changed),
            data={"changed": changed},
        )
        return instance


def _loggable(value):
    if hasattr(value, "all"):
        value = list(value.all())
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    return None if value is None else str(value)


class ScopedDeleteView(ScopedObjectMixin, snippet_views.DeleteView):
    """Nobody has the delete permission; this only makes sure scope is checked first."""


class ScopedHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    needs_edit = False
    # County coordinators (view permission only) may read the history of their county's data.
    any_permission_required = ["add", "change", "delete", "view"]


class ScopedUsageView(ScopedObjectMixin, snippet_views.UsageView):
    needs_edit = False


class ScopedInspectView(ScopedObjectMixin, snippet_views.InspectView):
    needs_edit = False

    def get_field_label(self, field_name, field):
        return capfirst(proposals.field_label(self.model, field_name))  # not the bare "Unit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        if isinstance(obj, Price):
            context["can_add_price"] = scope.can_edit(self.request.user, obj.offer)
            workflow.annotate([obj])
            context["model_key"] = "price"
            context["can_moderate"] = scope.can_moderate_municipality(
                self.request.user, obj.offer.municipality
            )
        return context


class ScopedCopyView(ScopedObjectMixin, snippet_views.CopyView):
    pass


class ScopedChooseView(snippet_chooser.ChooseView):
    creation_form_class = None

    def get_object_list(self):
        return scope.visible_queryset(self.model, self.request.user)


class ScopedChooseResultsView(snippet_chooser.ChooseResultsView):
    creation_form_class = None

    def get_object_list(self):
        return scope.visible_queryset(self.model, self.request.user)


class ScopedChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        obj = super().get_object(pk)
        if not scope.can_view(self.request.user, obj):
            raise PermissionDenied
        return obj


class ScopedChooserViewSet(RefuseWith403ViewSetMixin, snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView


class ScopedViewSet(RefuseWith403ViewSetMixin, SnippetViewSet):
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_class = ScopedInspectView
    copy_view_class = ScopedCopyView
    chooser_viewset_class = ScopedChooserViewSet
    copy_view_enabled = False
    inspect_view_enabled = True
    # Holds the workflow buttons' own form outside Wagtail's edit form (no nested forms).
    edit_template_name = "publishing/edit.html"
    # Says before saving when a new row will wait for a moderator.
    create_template_name = "publishing/create.html"


# -- panels ------------------------------------------------------------------------------


class PriceHistoryPanel(Panel):
    """The offer's whole price history — published, scheduled, awaiting approval and drafts —
    with the actions the user may take. Read-only: a change is always a new price."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/panels/price_history.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            from directory.models.offers import today

            context = super().get_context_data(parent_context)
            context["prices"] = workflow.annotate(
                self.instance.prices.select_related("unit").order_by("-valid_from", "-pk")
            )
            context["offer"] = self.instance
            context["request"] = self.request
            context["today"] = today()
            context["can_moderate"] = scope.can_moderate_municipality(
                self.request.user, self.instance.municipality
            )
            return context


class WorkflowStatusPanel(Panel):
    """Where the entry stands in the workflow, with submit / approve / reject / verify buttons."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/panels/workflow_status.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            obj = self.instance
            workflow.annotate([obj])
            context["obj"] = obj
            context["request"] = self.request
            context["model_key"] = MODEL_KEYS[type(obj)]
            context["can_moderate"] = scope.can_moderate_municipality(
                self.request.user, scope.municipality_of(obj)
            )
            context["can_edit"] = scope.can_edit_municipality(self.request.user, scope.municipality_of(obj))
            context["outdated"] = list(outdated_for(obj))
            context["pending_change"] = workflow.pending_change_for(obj)
            context["additions"] = workflow.additions_under(obj) if isinstance(obj, Offer) else []
            return context


MODEL_KEYS = {
    Offer: "offer",
    Price: "price",
    ContactPerson: "contact",
    Provider: "provider",
    ReferralRoute: "route",
    Cooperation: "cooperation",
    PartnerInstitution: "partner",
}


def _translated(name: str) -> list[FieldPanel]:
    return [FieldPanel(f"{name}_{lang}") for lang in ("et", "ru", "en")]


# -- viewsets ----------------------------------------------------------------------------


class StatusColumn(Column):
    def get_value(self, instance):
        return instance.get_status_display()


def _visible_municipalities(request):
    return scope.visible_municipalities(request.user) if request else scope.Municipality.objects.none()


class KovFilterSet(WagtailFilterSet):
    """Filters whose municipality choices are the user's own KOVs only."""

    status = django_filters.ChoiceFilter(label=gettext_lazy("status"), choices=PriceStatus.choices)
    municipality = django_filters.ModelChoiceFilter(
        label=gettext_lazy("municipality"), queryset=_visible_municipalities
    )


class OfferFilterSet(KovFilterSet):
    class Meta:
        model = Offer
        fields = ["status", "municipality"]


class ContactFilterSet(KovFilterSet):
    class Meta:
        model = ContactPerson
        fields = ["status", "municipality"]


class PriceFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("status"), choices=PriceStatus.choices)
    municipality = django_filters.ModelChoiceFilter(
        label=gettext_lazy("municipality"), field_name="offer__municipality", queryset=_visible_municipalities
    )

    class Meta:
        model = Price
        fields = ["status", "municipality"]


LANGUAGES = ("et", "ru", "en")
OFFER_ITEM_NAMES = [f"{item}__name_{lang}" for item in ("component", "service") for lang in LANGUAGES]


class OfferViewSet(ScopedViewSet):
    model = Offer
    icon = "list-ul"
    menu_label = gettext_lazy("Offers")
    list_display = [
        "__str__",
        "municipality",
        StatusColumn("status", label=gettext_lazy("status")),
        "last_verified",
        "valid_to",
    ]
    filterset_class = OfferFilterSet
    search_backend_name = None  # not in Wagtail's search index: the database filters
    search_fields = [
        *OFFER_ITEM_NAMES,
        "provider__name",
        "municipality__name_et",
        "notes_et",
        "notes_ru",
    ]
    list_export = [
        "municipality",
        "kind",
        "code",
        "provider",
        "status",
        "last_verified",
        "valid_from",
        "valid_to",
    ]
    ordering = ["municipality__name", "id"]
    edit_handler = ObjectList(
        [
            WorkflowStatusPanel(heading=gettext_lazy("Workflow")),
            PriceHistoryPanel(heading=gettext_lazy("Price history")),
            FieldRowPanel([FieldPanel("municipality"), FieldPanel("provider", widget=django_forms.Select)]),
            FieldRowPanel([FieldPanel("component"), FieldPanel("service")]),
            FieldPanel("work_forms"),
            FieldPanel("target_groups"),
            FieldPanel("languages"),
            MultiFieldPanel(_translated("notes"), heading=gettext_lazy("notes")),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to"), FieldPanel("last_verified")]),
        ],
        base_form_class=forms.OfferForm,
    )


class PriceViewSet(ScopedViewSet):
    model = Price
    icon = "tag"
    menu_label = gettext_lazy("Prices")
    list_display = [
        "__str__",
        Column("offer", label=gettext_lazy("offer")),
        StatusColumn("status", label=gettext_lazy("status")),
        "valid_from",
        "valid_to",
    ]
    filterset_class = PriceFilterSet
    search_backend_name = None
    search_fields = [*(f"offer__{name}" for name in OFFER_ITEM_NAMES), "offer__provider__name"]
    list_export = [
        "offer",
        "unit",
        "price_individual",
        "price_group",
        "client_share_amount",
        "client_share_percent",
        "valid_from",
        "valid_to",
        "status",
        "published_at",
    ]
    ordering = ["-valid_from"]
    inspect_template_name = "publishing/price_inspect.html"
    inspect_view_fields = [
        "offer",
        "unit",
        "price_individual",
        "price_group",
        "client_share_amount",
        "client_share_percent",
        "valid_from",
        "valid_to",
        "status",
        "published_at",
        "created_by",
    ]
    edit_handler = ObjectList(
        [
            WorkflowStatusPanel(heading=gettext_lazy("Workflow")),
            FieldPanel("offer", widget=django_forms.Select),
            FieldPanel("unit"),
            FieldRowPanel([FieldPanel("price_individual"), FieldPanel("price_group")]),
            FieldRowPanel([FieldPanel("client_share_amount"), FieldPanel("client_share_percent")]),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        ],
        base_form_class=forms.PriceForm,
    )


class ContactPersonViewSet(ScopedViewSet):
    model = ContactPerson
    icon = "user"
    menu_label = gettext_lazy("Contact persons")
    list_display = [
        "name",
        "role",
        "municipality",
        StatusColumn("status", label=gettext_lazy("status")),
        "last_verified",
    ]
    filterset_class = ContactFilterSet
    search_backend_name = None
    search_fields = ["name", "phone", "email", *(f"role__name_{lang}" for lang in LANGUAGES)]
    list_export = [
        "municipality",
        "role",
        "name",
        "phone",
        "email",
        "status",
        "last_verified",
        "valid_from",
        "valid_to",
    ]
    ordering = ["municipality__name", "name"]
    edit_handler = ObjectList(
        [
            WorkflowStatusPanel(heading=gettext_lazy("Workflow")),
            FieldRowPanel([FieldPanel("municipality"), FieldPanel("role")]),
            FieldPanel("name"),
            MultiFieldPanel(_translated("job_title"), heading=gettext_lazy("job title")),
            FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
            MultiFieldPanel(_translated("reception_hours"), heading=gettext_lazy("reception hours")),
            FieldPanel("languages"),
            MultiFieldPanel(_translated("contact_for"), heading=gettext_lazy("contact for")),
            FieldRowPanel([FieldPanel("direct_phone"), FieldPanel("duty_phone")]),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to"), FieldPanel("last_verified")]),
        ],
        base_form_class=forms.ContactPersonForm,
    )


class ProviderViewSet(ScopedViewSet):
    model = Provider
    icon = "group"
    menu_label = gettext_lazy("Providers")
    list_display = ["name", "registry_code", "kind"]
    list_filter = ["kind"]
    search_backend_name = None
    search_fields = ["name", "registry_code", "phone", "email"]
    list_export = ["name", "registry_code", "kind", "phone", "email", "website", "address"]
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name_et"), FieldPanel("registry_code"), FieldPanel("kind")]),
            # ru/en names are optional (a municipal department has them): shown where present
            FieldRowPanel([FieldPanel("name_ru"), FieldPanel("name_en")]),
            MultiFieldPanel(_translated("description"), heading=gettext_lazy("description")),
            FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
            FieldRowPanel([FieldPanel("website"), FieldPanel("address")]),
        ],
        base_form_class=forms.ProviderForm,
    )


class DirectoryGroup(SnippetViewSetGroup):
    items = (OfferViewSet, PriceViewSet, ContactPersonViewSet, ProviderViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = gettext_lazy("KOV data")
    menu_name = "kov-data"


def edit_url(obj) -> str:
    meta = type(obj)._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[obj.pk])


__all__ = ["DirectoryGroup", "edit_url", "translated_fields"]
