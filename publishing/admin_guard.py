"""Wagtail's site-wide history report lists every municipality's changes to anyone with a
model permission; KOV staff must only see their own (Publishing → Change log). These routes
shadow the report's URLs (included before the Wagtail admin in portal/urls.py) and let only
superusers through to it."""

from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from .refusal import forbidden


def superusers_only(view):
    @require_admin_access
    def guarded(request, *args, **kwargs):
        if not request.user.is_superuser:
            return forbidden(request)
        return view(request, *args, **kwargs)

    return guarded


urlpatterns = [
    path("", superusers_only(LogEntriesView.as_view())),
    path("results/", superusers_only(LogEntriesView.as_view(results_only=True))),
]
