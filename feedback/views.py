"""The public "report a mistake" form: no account, a confirmation in the sender's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from directory.models import ContactPerson, Municipality, Offer
from portal.errors import error_summary

from . import protection
from .forms import ReportForm


@dataclass
class Target:
    """What the report is about, and the page to return to."""

    kind: str
    municipality: Municipality
    offer: Offer | None = None
    contact: ContactPerson | None = None

    @property
    def back_url(self) -> str:
        if self.offer is not None:
            return self.offer.get_absolute_url()
        suffix = "#contacts" if self.contact is not None else ""
        return self.municipality.get_absolute_url() + suffix


def _target(kind: str, ref: str) -> Target:
    if kind == "kov":
        return Target(kind, get_object_or_404(Municipality.objects.with_county(), code=ref))
    if not ref.isdigit():
        raise Http404
    if kind == "offer":
        offer = get_object_or_404(
            Offer.objects.published().select_related("municipality", "provider", "component", "service"),
            pk=ref,
        )
        return Target(kind, offer.municipality, offer=offer)
    if kind == "contact":
        contact = get_object_or_404(
            ContactPerson.objects.published().select_related("municipality", "role"), pk=ref
        )
        return Target(kind, contact.municipality, contact=contact)
    raise Http404


@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, kind: str, ref: str) -> HttpResponse:
    target = _target(kind, ref)
    if request.method == "POST":
        if not protection.allow(request):
            return render(request, "feedback/rate_limited.html", {"target": target}, status=429)
        form = ReportForm(request.POST)
        if form.is_valid():
            if not form.is_spam:  # bots get the same answer as people, and nothing is stored
                report = form.save(commit=False)
                report.municipality = target.municipality
                report.offer = target.offer
                report.contact = target.contact
                report.language = get_language()
                report.page_url = target.back_url[:300]
                report.save()
            return redirect("feedback:thanks", kind=kind, ref=ref)
        status = 400
    else:
        form = ReportForm()
        status = 200
    context = {"form": form, "target": target, "error_summary": error_summary(form)}
    return render(request, "feedback/report_form.html", context, status=status)


@require_http_methods(["GET"])
def thanks(request: HttpRequest, kind: str, ref: str) -> HttpResponse:
    return render(request, "feedback/thanks.html", {"target": _target(kind, ref)})
