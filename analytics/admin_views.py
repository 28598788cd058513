"""The unmet-needs report in the Wagtail admin (Reports → Unmet needs), for KOV staff.

Who sees what is decided by publishing.scope: an editor or moderator sees the searches made
for their own municipality, a county coordinator those of every KOV in the county, a
superuser all. Searches made without choosing a municipality belong to no KOV; they are shown
to superusers and county coordinators only (marked as such), never to a KOV's editors. Asking
for a municipality outside one's scope is refused with 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from directory.models import County, Municipality
from publishing import scope
from search.models import SearchLog

from . import exports
from .forms import UnmetNeedsForm
from .unmet import OUTCOME_LABELS, unmet_needs

GROUPS_PER_PAGE = 50


def may_see_unscoped(user) -> bool:
    """Superusers and county coordinators: both look beyond one KOV by their role."""
    coordinator = user.groups.filter(name__startswith=scope.COORDINATORS_PREFIX)
    return scope.is_unrestricted(user) or coordinator.exists()


def may_use_report(user) -> bool:
    return scope.visible_municipalities(user).exists()


def _form(request) -> UnmetNeedsForm:
    user = request.user
    allowed = scope.visible_municipalities(user)
    if not may_use_report(user):
        raise PermissionDenied
    code = (request.GET.get("municipality") or "").strip()
    unscoped = may_see_unscoped(user)
    if code == UnmetNeedsForm.NO_MUNICIPALITY and not unscoped:
        raise PermissionDenied
    if code and Municipality.objects.filter(code=code).exists() and not allowed.filter(code=code).exists():
        raise PermissionDenied
    counties = County.objects.filter(municipalities__in=allowed).distinct()
    return UnmetNeedsForm(request.GET, municipalities=allowed, counties=counties, allow_unscoped=unscoped)


def _report(form: UnmetNeedsForm):
    municipalities, include_unscoped = form.scope()
    data = form.cleaned_data
    return unmet_needs(
        date_from=data["date_from"],
        date_to=data["date_to"],
        municipalities=municipalities,
        include_unscoped=include_unscoped,
        lang=data.get("lang") or "",
        outcome=data.get("outcome") or "",
    )


class UnmetNeedsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "analytics/admin/unmet_needs.html"
    page_title = gettext_lazy("Unmet needs")
    header_icon = "search"

    def get(self, request, *args, **kwargs):
        self.form = _form(request)
        context = self.get_context_data(**kwargs)
        status = 200 if self.form.is_valid() else 400
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.form
        allowed = form.municipalities.select_related("county").order_by("county__name_et", "name_et")
        context.update(
            form=form,
            municipalities=allowed,
            counties=form.fields["county"].queryset,
            allow_unscoped=form.allow_unscoped,
            chosen={name: self.request.GET.get(name, "") for name in form.fields},
            languages=[code for code, _name in form.fields["lang"].choices if code],
            outcomes=UnmetNeedsForm.OUTCOME_CHOICES,
            outcome_labels=OUTCOME_LABELS,
            poor_score=SearchLog.POOR_SCORE,
            no_municipality=UnmetNeedsForm.NO_MUNICIPALITY,
        )
        cleaned = getattr(form, "cleaned_data", {})
        for name in ("date_from", "date_to"):
            raw = self.request.GET.get(name, "")
            value = cleaned.get(name) if not form.errors.get(name) else None
            context[name.replace("date_", "") + "_value"] = value.isoformat() if value and not raw else raw
        if form.is_valid():
            report = _report(form)
            params = self.request.GET.copy()
            params.pop("p", None)
            context.update(
                report=report,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
                groups=Paginator(report.groups, GROUPS_PER_PAGE).get_page(self.request.GET.get("p")),
                query_string=params.urlencode(),
            )
        return context


def unmet_needs_csv(request):
    form = _form(request)
    if not form.is_valid():
        view = UnmetNeedsView.as_view()
        return view(request)
    report = _report(form)
    name = f"unmet-needs-{report.date_from.isoformat()}-{report.date_to.isoformat()}.csv"
    return exports.csv_response(name, *exports.unmet_table(report))
