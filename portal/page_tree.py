"""What Wagtail looks up afresh on every public page request although it only changes when an
editor changes the page tree: the site for the host (with its root page) and whether any page
carries a view restriction. Both are remembered per process (portal.memo) and forgotten once
PageTreeVersion moves on, which every committed change to pages, sites or view restrictions
does (connect_page_tree_version, called from PortalConfig.ready)."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http.request import split_domain_port
from wagtail import signals as wagtail_signals
from wagtail.models import Page, PageViewRestriction, Site

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
        # Routing starts from the root page's specific type: load it once, here.
        site.root_page = site.root_page.localized.specific
    return site


class RestrictionsRemembered:
    """Wagtail checks every ancestor of a page for view restrictions (two queries per request);
    while no page has any, there is nothing to check. Once one exists, Wagtail's check runs."""

    def get_view_restrictions(self):
        if not memo.get("any-view-restriction", PageViewRestriction.objects.exists):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def _bump() -> None:
    from .models import PageTreeVersion

    PageTreeVersion.bump()


def page_tree_changed(sender=None, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    if kwargs.get("action", "post_add") not in {"post_add", "post_remove", "post_clear"}:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _bump for entry in connection.run_on_commit):
        return  # one bump per transaction
    transaction.on_commit(_bump)


def connect_page_tree_version() -> None:
    senders = [model for model in apps.get_models() if issubclass(model, Page)]
    senders += [Site, PageViewRestriction]
    for model in senders:
        uid = f"page-tree-version:{model._meta.label_lower}"
        post_save.connect(page_tree_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(page_tree_changed, sender=model, dispatch_uid=f"{uid}:delete")
    m2m_changed.connect(
        page_tree_changed, sender=PageViewRestriction.groups.through, dispatch_uid="page-tree-version:groups"
    )
    # Moving a page rewrites paths with raw updates that send no post_save.
    for signal in ("page_published", "page_unpublished", "post_page_move"):
        getattr(wagtail_signals, signal).connect(
            page_tree_changed, dispatch_uid=f"page-tree-version:{signal}"
        )
