"""Admin views of the publishing workflow, price-list spreadsheets and reports. Each view
checks the user's scope (publishing.scope), calls one domain function and renders."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from directory.models import ContactPerson, Municipality, Offer, Price, PriceError, PriceStatus, Provider
from directory.models.offers import today
from referrals.models import ReferralRoute

from . import exports, finding, imports, registry, review, scope, workflow
from .forms import NewPriceForm, PriceCorrectionForm
from .models import OutdatedTranslation, PendingChange, PriceImport
from .templatetags.publishing_admin import reason_name
from .viewsets import MODEL_KEYS, edit_url

MODELS = {key: model for model, key in MODEL_KEYS.items()} | {"change": PendingChange}
STALE_AFTER = dt.timedelta(days=365)


def _next_url(request, fallback: str) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return fallback


def get_in_scope(queryset, **lookup):
    """The object from the user's scoped queryset; 404 if it does not exist at all, 403 if it
    exists outside the user's scope."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        if queryset.model._default_manager.filter(**lookup).exists():
            raise PermissionDenied
        raise Http404
    return obj


def _visible_object(request, model_key: str, pk: int):
    model = MODELS.get(model_key)
    if model is None:
        raise Http404
    return get_in_scope(scope.visible_queryset(model, request.user), pk=pk)


def _municipality(request, code: str, *, edit: bool = True) -> Municipality:
    allowed = (
        scope.editable_municipalities(request.user) if edit else scope.visible_municipalities(request.user)
    )
    return get_in_scope(allowed, code=code)


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        """Home › this page: the header names the page, not "Home"."""
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]


# -- search -------------------------------------------------------------------------------


class SearchView(AdminPage):
    """The dashboard's and sidebar's search for KOV staff: their offers, prices, contacts and
    providers, a few of each with a link to the listing that shows them all."""

    template_name = "publishing/search.html"
    page_title = gettext_lazy("Search")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not finding.can_search(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "")[:200]
        context["found"] = finding.search(self.request.user, context["query"])
        return context


# -- workflow actions ---------------------------------------------------------------------

ACTIONS = {
    "submit": (workflow.submit, gettext_lazy("Submitted for approval.")),
    "approve": (workflow.approve, gettext_lazy("Approved and published.")),
    "reject": (workflow.reject, gettext_lazy("Returned to the editors as a draft.")),
    "discard": (workflow.discard, gettext_lazy("Draft deleted.")),
    "recall": (workflow.recall, gettext_lazy("Recalled: it is your draft again.")),
    "verify": (workflow.mark_verified, gettext_lazy("Marked as verified today.")),
    "withdraw": (None, gettext_lazy("Withdrawn: it ends today and its history is kept.")),
}


@require_POST
def workflow_action(request, model_key: str, pk: int, action: str):
    """One workflow step on one entry (POST with CSRF token; scope and role are checked)."""
    if action not in ACTIONS:
        raise Http404
    obj = _visible_object(request, model_key, pk)
    if isinstance(obj, PendingChange):
        fallback = obj.edit_url  # an addition's: the offer it is added to
    else:
        fallback = reverse("publishing:review") if action == "discard" else edit_url(obj)
    step, done = ACTIONS[action]
    if action == "approve" and getattr(obj, "status", None) == PriceStatus.PUBLISHED:
        # A second click, or another moderator was quicker: say so rather than "approved".
        messages.info(request, _("This was already published; nothing was changed."))
        return HttpResponseRedirect(_next_url(request, fallback))
    try:
        if action == "reject":
            reason = request.POST.get(reason_name(model_key, pk)) or request.POST.get("comment", "")
            workflow.reject(obj, request.user, reason[:1000])
        elif action == "withdraw":
            if isinstance(obj, Offer):
                workflow.withdraw(obj, request.user)
            elif isinstance(obj, ContactPerson):
                workflow.end_contact(obj, request.user)
            else:
                raise Http404
        elif action == "verify" and not isinstance(obj, Offer | ContactPerson):
            raise Http404
        else:
            step(obj, request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    except PriceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if action == "discard" and isinstance(obj, PendingChange):
            done = (
                gettext_lazy("Your addition is withdrawn; nothing was added.")
                if obj.is_addition
                else gettext_lazy("Your change is withdrawn; the published version stays.")
            )
        messages.success(request, str(done))
    return HttpResponseRedirect(_next_url(request, fallback))


@require_POST
def confirm_translation(request, pk: int):
    """The editor checked an outdated translation and it still says the same: clear the flag."""
    flag = get_object_or_404(OutdatedTranslation, pk=pk)
    entry = flag.entry
    if entry is None or not scope.can_edit(request.user, entry):
        raise PermissionDenied
    flag.delete()
    log(
        entry,
        "publishing.translation_confirmed",
        user=request.user,
        data={"field": flag.field, "language": flag.language},
    )
    messages.success(request, _("The translation is marked as up to date."))
    return HttpResponseRedirect(_next_url(request, reverse("publishing:translations")))


# -- review queue -------------------------------------------------------------------------


class ReviewQueueView(AdminPage):
    """What awaits a moderator's decision, and the user's own drafts."""

    template_name = "publishing/review_queue.html"
    page_title = gettext_lazy("Review queue")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        moderated = scope.moderated_municipalities(user)
        editable = scope.editable_municipalities(user)
        pending = Q(status=PriceStatus.PENDING)
        context["pending_offers"] = Offer.objects.filter(pending, municipality__in=moderated).select_related(
            "municipality", "provider", "component", "service"
        )
        context["pending_contacts"] = ContactPerson.objects.filter(
            pending, municipality__in=moderated
        ).select_related("municipality", "role")
        context["pending_prices"] = review.with_previous(
            workflow.annotate(
                Price.objects.filter(pending, offer__municipality__in=moderated).select_related(
                    "unit", "offer__municipality", "offer__component", "offer__service", "offer__provider"
                )[:500]
            )
        )
        context["pending_routes"] = workflow.annotate(
            ReferralRoute.objects.filter(pending, municipality__in=moderated).select_related(
                "municipality", "partner", "journey", "target_group"
            )
        )
        workflow.annotate(context["pending_offers"])
        workflow.annotate(context["pending_contacts"])
        context["drafts"] = workflow.annotate(
            Price.objects.filter(status=PriceStatus.DRAFT, offer__municipality__in=editable).select_related(
                "unit", "offer__municipality", "offer__component", "offer__service", "offer__provider"
            )[:500]
        )
        context["draft_offers"] = workflow.annotate(
            Offer.objects.filter(status=PriceStatus.DRAFT, municipality__in=editable).select_related(
                "municipality", "provider", "component", "service"
            )
        )
        context["draft_contacts"] = workflow.annotate(
            ContactPerson.objects.filter(status=PriceStatus.DRAFT, municipality__in=editable).select_related(
                "role"
            )
        )
        context["my_pending"] = workflow.annotate(
            list(
                Price.objects.filter(pending, offer__municipality__in=editable).select_related(
                    "unit", "offer__municipality", "offer__component", "offer__service", "offer__provider"
                )[:500]
            )
            + list(Offer.objects.filter(pending, municipality__in=editable).select_related("municipality"))
            + list(ContactPerson.objects.filter(pending, municipality__in=editable).select_related("role"))
        )
        context["my_pending"] = [obj for obj in context["my_pending"] if obj.submitter_id == user.pk]
        changes = PendingChange.objects.select_related(
            "municipality", "submitted_by", "returned_by", "content_type"
        ).prefetch_related("entry")
        context["pending_changes"] = changes.awaiting().filter(municipality__in=moderated)
        context["my_changes"] = changes.filter(municipality__in=editable, submitted_by=user)
        context["is_moderator"] = moderated.exists()
        # A county moderator changes nothing herself: her links open the entries read-only.
        context["editable_ids"] = set(editable.values_list("pk", flat=True))
        context["today"] = today()
        return context


def _chosen_entries(request, tokens) -> list:
    """The ticked entries ("price:12", …), loaded a few queries per kind however many there
    are; 404 for a malformed or unknown entry, 403 for one outside the user's moderation."""
    wanted: dict[str, set[int]] = {}
    for token in tokens:
        key, _sep, pk = token.partition(":")
        if key not in ("offer", "contact", "price", "change", "route", "cooperation") or not pk.isdigit():
            raise Http404
        wanted.setdefault(key, set()).add(int(pk))
    moderated = scope.moderated_municipalities(request.user)
    objects = []
    for key, pks in wanted.items():
        model = MODELS[key]
        found = scope.visible_queryset(model, request.user).filter(pk__in=pks)
        if model is Price:
            found = found.select_related("offer__municipality", "unit")
        found = list(found)
        if len(found) < len(pks):
            exists = model._default_manager.filter(pk__in=pks).count() == len(pks)
            raise PermissionDenied if exists else Http404
        kov = "offer__municipality" if model is Price else "municipality"
        if model._default_manager.filter(pk__in=pks).exclude(**{f"{kov}__in": moderated}).exists():
            raise PermissionDenied
        objects.extend(found)
    return objects


@require_POST
def approve_selected(request):
    """Approve (or reject) the ticked entries in one transaction: all or none."""
    user = request.user
    objects = _chosen_entries(request, request.POST.getlist("entry"))
    if not objects:
        messages.warning(request, _("Nothing was selected."))
        return redirect("publishing:review")
    try:
        if request.POST.get("decision") == "reject":
            with transaction.atomic():
                for obj in objects:
                    key = "change" if isinstance(obj, PendingChange) else MODEL_KEYS[type(obj)]
                    reason = request.POST.get(reason_name(key, obj.pk)) or request.POST.get("comment", "")
                    workflow.reject(obj, user, reason[:1000])
            messages.success(
                request, _("%(count)s entries returned to the editors.") % {"count": len(objects)}
            )
        else:
            count = workflow.approve_many(objects, user)
            messages.success(request, _("%(count)s entries approved and published.") % {"count": count})
    except (workflow.WorkflowError, PriceError) as exc:
        reason = " ".join(exc.messages) if isinstance(exc, PriceError) else str(exc)  # not "['…']"
        messages.error(request, _("Nothing was changed: %(reason)s") % {"reason": reason})
    return redirect("publishing:review")


# -- a new price for an offer -------------------------------------------------------------


class NewPriceView(AdminPage):
    template_name = "publishing/new_price.html"
    page_title = gettext_lazy("New price")
    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        self.offer = get_in_scope(scope.offers_for(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.offer)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.offer.current_price
        initial = {"unit": current.unit} if current else {}
        context.setdefault("form", NewPriceForm(offer=self.offer, initial=initial))
        context["offer"] = self.offer
        context["current"] = current
        context["history"] = self.offer.prices.published().select_related("unit").order_by("-valid_from")[:5]
        return context

    def post(self, request, *args, **kwargs):
        form = NewPriceForm(request.POST, offer=self.offer)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            price = form.save(commit=False)
            price.offer = self.offer
            price.status = PriceStatus.DRAFT
            price.created_by = request.user
            price.save()
            log(price, "wagtail.create", user=request.user)
            if "submit" in request.POST:
                workflow.submit(price, request.user)
        messages.success(
            request,
            _("The new price is saved as a draft.")
            if "submit" not in request.POST
            else _("The new price is submitted for approval."),
        )
        return redirect(edit_url(self.offer))


class CorrectPriceView(AdminPage):
    """A KOV moderator corrects a published price (editors get 403): the amounts as they
    should have been and a reason, which the public sees beside the price."""

    template_name = "publishing/correct_price.html"
    page_title = gettext_lazy("Correct a published price")
    header_icon = "edit"

    def dispatch(self, request, *args, **kwargs):
        self.price = get_in_scope(
            scope.editable_queryset(Price, request.user)
            .filter(status=PriceStatus.PUBLISHED)
            .select_related("offer", "unit"),
            pk=kwargs["pk"],
        )
        if not scope.can_moderate_municipality(request.user, self.price.offer.municipality):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.price.offer)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PriceCorrectionForm(price=self.price))
        context["price"] = self.price
        context["corrections"] = self.price.corrections.select_related("corrected_by")
        return context

    def post(self, request, *args, **kwargs):
        form = PriceCorrectionForm(request.POST, price=self.price)
        if form.is_valid():
            try:
                workflow.correct_price(self.price, request.user, form.cleaned_data["reason"], form.amounts)
            except (PriceError, ValidationError) as exc:
                form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, _("The price is corrected; its history shows what it was."))
                return redirect(edit_url(self.price.offer))
        return self.render_to_response(self.get_context_data(form=form))


# -- spreadsheets -------------------------------------------------------------------------


class PriceListView(AdminPage):
    """Download the KOV's price list; upload a changed one."""

    template_name = "publishing/price_list.html"
    page_title = gettext_lazy("Price list spreadsheets")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["municipalities"] = scope.editable_municipalities(self.request.user)
        context["max_mb"] = imports.MAX_FILE_BYTES // (1024 * 1024)
        context["max_rows"] = imports.MAX_ROWS
        context["recent"] = PriceImport.objects.filter(
            municipality__in=context["municipalities"]
        ).select_related("municipality", "uploaded_by")[:20]
        return context

    def post(self, request, *args, **kwargs):
        municipality = _municipality(request, request.POST.get("municipality", ""))
        upload = request.FILES.get("file")
        errors = []
        if upload is None:
            errors.append(_("Choose a file to upload."))
        elif upload.size > imports.MAX_FILE_BYTES:
            errors.append(
                _("The file is larger than %(size)s MB; split it into smaller files.")
                % {"size": imports.MAX_FILE_BYTES // (1024 * 1024)}
            )
        else:
            data = upload.read(imports.MAX_FILE_BYTES + 1)
            try:
                table = imports.read_table(data, upload.name)
            except imports.ImportFileError as exc:
                errors.append(str(exc))
            else:
                record = PriceImport.objects.create(
                    municipality=municipality,
                    uploaded_by=request.user,
                    filename=upload.name[:255],
                    content=data,
                    table=table.to_json(),
                )
                return redirect("publishing:import_preview", pk=record.pk)
        return self.render_to_response(self.get_context_data(upload_errors=errors))


def export_price_list(request, code: str, fmt: str):
    municipality = _municipality(request, code, edit=False)
    stamp = today().isoformat()
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(municipality), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(municipality),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="hinnakiri-{municipality.code}-{stamp}.{fmt}"'
    return response


class ImportPreviewView(AdminPage):
    """What the upload would change: rows to add, prices that change, errors, large changes
    to confirm. Applying re-checks the rows read at upload against today's data and writes all
    rows or none, at most once: the upload's state changes from "previewed" to "applied" in the
    same transaction, and applies for one KOV run one at a time."""

    template_name = "publishing/import_preview.html"
    page_title = gettext_lazy("Price list upload")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.record = get_in_scope(
            PriceImport.objects.filter(municipality__in=scope.editable_municipalities(request.user)),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.record.municipality} · {self.record.filename}"

    def plan(self) -> tuple[imports.ImportPlan | None, str | None]:
        if not self.record.table:
            return None, _("The upload holds no rows; upload the file again.")
        table = imports.Table.from_json(self.record.table)
        return imports.plan_import(table, self.record.municipality), None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "plan" not in context:
            context["plan"], context["file_error"] = self.plan()
        context["record"] = self.record
        return context

    def _already_done(self, request):
        """A second submit (double click, reload, another tab) shows what the first did."""
        self.record.refresh_from_db()
        if self.record.status == PriceImport.Status.APPLIED:
            messages.info(
                request,
                _(
                    "This upload was already applied on %(when)s: %(count)s prices await a "
                    "moderator's approval."
                )
                % {
                    "when": timezone.localtime(self.record.applied_at).strftime("%d.%m.%Y %H:%M"),
                    "count": self.record.summary.get("added", 0) + self.record.summary.get("changed", 0),
                },
            )
            return redirect("publishing:review")
        messages.info(request, _("This upload was discarded; nothing was changed."))
        return redirect("publishing:price_list")

    def post(self, request, *args, **kwargs):
        previewed = PriceImport.objects.filter(pk=self.record.pk, status=PriceImport.Status.PREVIEWED)
        if "discard" in request.POST:
            if not previewed.update(status=PriceImport.Status.DISCARDED, content=b"", table=None):
                return self._already_done(request)
            messages.info(request, _("The upload was discarded; nothing was changed."))
            return redirect("publishing:price_list")
        with transaction.atomic():
            # The state change comes first: a second request for this upload waits here for
            # the first to commit, then finds nothing to change.
            now = timezone.now()
            if not previewed.update(status=PriceImport.Status.APPLIED, applied_at=now):
                return self._already_done(request)
            # One apply per KOV at a time, so two uploads for the same offer and date cannot
            # both pass the check below (the database's unique constraint is the backstop).
            Municipality.objects.select_for_update().filter(pk=self.record.municipality_id).first()
            plan, file_error = self.plan()
            problem = None
            if plan is None or not plan.can_apply:
                problem = _("Nothing was changed: the file has errors or no changes.")
            elif plan.flagged and not request.POST.get("confirm_large"):
                problem = _("Nothing was changed: confirm the large changes marked below, then apply again.")
            if problem:
                transaction.set_rollback(True)  # the upload stays "previewed"
                messages.error(request, problem)
                return self.render_to_response(self.get_context_data(plan=plan, file_error=file_error))
            count = imports.apply_plan(plan, request.user)
            self.record.status = PriceImport.Status.APPLIED
            self.record.applied_at = now
            self.record.summary = plan.summary()
            # status in update_fields: the "upload applied" e-mails (notifications.receivers)
            # are sent on this save; the update() above sends no signal.
            self.record.save(update_fields=["status", "applied_at", "summary"])
            log(self.record, "publishing.import", user=request.user, data=plan.summary())
        if count or not plan.new_statements:
            messages.success(
                request,
                _("%(count)s prices were added and await a moderator's approval.") % {"count": count},
            )
        if plan.new_statements:
            messages.success(
                request,
                ngettext(
                    "%(count)s offer's free places or waiting time were stored; on a published "
                    "offer they await a moderator's approval.",
                    "%(count)s offers' free places or waiting times were stored; on published "
                    "offers they await a moderator's approval.",
                    len(plan.new_statements),
                )
                % {"count": len(plan.new_statements)},
            )
        return redirect("publishing:review")


# -- reports ------------------------------------------------------------------------------


def _chosen_municipalities(request, allowed):
    code = request.GET.get("kov")
    return allowed.filter(code=code) if code else allowed


class StaleReportView(AdminPage):
    """Offers and contacts not verified for more than 12 months (or never)."""

    template_name = "publishing/stale_report.html"
    page_title = gettext_lazy("Stale data")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = scope.visible_municipalities(self.request.user)
        chosen = _chosen_municipalities(self.request, visible)
        cutoff = today() - STALE_AFTER
        stale = Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff)
        current = Q(valid_to__isnull=True) | Q(valid_to__gte=today())
        context["cutoff"] = cutoff
        context["municipalities"] = visible
        context["chosen"] = self.request.GET.get("kov", "")
        context["offers"] = Paginator(
            Offer.objects.filter(stale, current, municipality__in=chosen)
            .select_related("municipality", "provider", "component", "service")
            .order_by("last_verified", "municipality__name"),
            100,
        ).get_page(self.request.GET.get("p"))
        context["contacts"] = (
            ContactPerson.objects.filter(stale, current, municipality__in=chosen)
            .select_related("municipality", "role")
            .order_by("last_verified", "municipality__name")[:200]
        )
        context["editable_ids"] = set(
            scope.editable_municipalities(self.request.user).values_list("pk", flat=True)
        )
        return context


class TranslationQueueView(AdminPage):
    """Russian and English texts written before the latest change of their Estonian source."""

    template_name = "publishing/translation_queue.html"
    page_title = gettext_lazy("Outdated translations")
    header_icon = "globe"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = scope.visible_municipalities(user)
        chosen = _chosen_municipalities(self.request, visible)
        provider_type = ContentType.objects.get_for_model(Provider)
        providers = [str(pk) for pk in scope.visible_providers(user).values_list("pk", flat=True)]
        flags = OutdatedTranslation.objects.filter(
            Q(municipality__in=chosen) | Q(content_type=provider_type, object_id__in=providers)
        ).select_related("municipality", "content_type", "source_changed_by")
        context["flags"] = [(flag, flag.entry) for flag in flags[:500]]
        context["municipalities"] = visible
        context["chosen"] = self.request.GET.get("kov", "")
        return context


class ChangeLogView(AdminPage):
    """Every logged change to the user's KOV data: who, what, when."""

    template_name = "publishing/change_log.html"
    page_title = gettext_lazy("Change log")
    header_icon = "history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        condition = Q()
        for model in (*registry.models_registered(), Provider):
            ids = [str(pk) for pk in scope.visible_queryset(model, user).values_list("pk", flat=True)]
            condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
        imports_ids = [
            str(pk)
            for pk in PriceImport.objects.filter(
                municipality__in=scope.visible_municipalities(user)
            ).values_list("pk", flat=True)
        ]
        condition |= Q(content_type=ContentType.objects.get_for_model(PriceImport), object_id__in=imports_ids)
        # Additions awaiting approval have no entry yet: their steps name the municipality.
        condition |= Q(
            content_type=ContentType.objects.get_for_model(PendingChange),
            data__municipality__in=list(scope.visible_municipalities(user).values_list("pk", flat=True)),
        )
        entries = (
            ModelLogEntry.objects.filter(condition)
            .select_related("user", "content_type")
            .order_by("-timestamp")
        )
        context["entries"] = Paginator(entries, 50).get_page(self.request.GET.get("p"))
        return context


class OverviewView(AdminPage):
    """Per KOV: what is published, awaiting approval and stale — for the county coordinator."""

    template_name = "publishing/overview.html"
    page_title = gettext_lazy("Publication overview")
    header_icon = "site"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cutoff = today() - STALE_AFTER
        context["rows"] = (
            scope.visible_municipalities(self.request.user)
            .select_related("county")
            .annotate(
                published_offers=Count(
                    "offers", filter=Q(offers__status=PriceStatus.PUBLISHED), distinct=True
                ),
                pending=Count(
                    "offers__prices", filter=Q(offers__prices__status=PriceStatus.PENDING), distinct=True
                ),
                stale=Count(
                    "offers",
                    filter=Q(offers__last_verified__lt=cutoff) | Q(offers__last_verified__isnull=True),
                    distinct=True,
                ),
                last_price=Max("offers__prices__published_at"),
            )
            .order_by("county__name", "name")
        )
        return context
