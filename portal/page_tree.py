"""What Wagtail looks up afresh on every public page request although it only changes when an
editor changes the page tree: the site for the host (with its root page) and whether any page
carries a view restriction. Both are remembered per process (portal.memo) and forgotten once
the content version moves on, which every committed change to pages, sites or view restrictions
does (directory.content_version)."""

from __future__ import annotations

from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site

from .memo import memo


def serve(request, path):
    """Wagtail's page view, with the site found in what this process remembers."""
    from wagtail import views as wagtail_views

    hostname = split_domain_port(request._get_raw_host())[0]
    request._wagtail_site = memo.get(("site", hostname, request.get_port()), lambda: _site(request))
    return wagtail_views.serve(request, path)


def _site(request) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        # Routing starts from the root page's specific type (its route()), but needs none of
        # its own fields: those (the home page's introduction) are read when the home page
        # itself is shown, once while this site is remembered, not by every page after a change.
        site.root_page = site.root_page.localized.specific_deferred
    return site


class RestrictionsRemembered:
    """Wagtail checks every ancestor of a page for view restrictions (two queries per request);
    while no page has any, there is nothing to check. Once one exists, Wagtail's check runs."""

    def get_view_restrictions(self):
        if not memo.get("any-view-restriction", PageViewRestriction.objects.exists):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
