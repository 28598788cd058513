"""The site's page tree: a home page, a municipalities index and one page per municipality.

Page texts are translated with wagtail-modeltranslation; the prices and contacts a
municipality page shows come from directory/, so they exist once whatever the language."""

from django.db import models
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from directory.models import Journey, Municipality, TargetGroup

from .choice import remembered_municipality, varies_with_choice
from .memo import fragment_cache, memo
from .page_tree import RestrictionsRemembered


class HomePage(RestrictionsRemembered, Page):
    """The portal's front page: choose a municipality, search, or start from a life situation."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["portal.MunicipalityIndexPage", "portal.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .forms import municipality_choices
        from .listings import Freshness, all_municipalities

        context = super().get_context(request, *args, **kwargs)
        municipalities = all_municipalities()
        context["county_groups"] = municipality_choices(municipalities)
        context["chosen"] = remembered_municipality(request)
        context["target_groups"] = TargetGroup.objects.order_by("code")
        context["journeys"] = Journey.objects.order_by("position", "code")
        context["freshness"] = Freshness.of_directory()
        return context

    def route(self, request, path_components):
        # Wagtail walks the tree one level (and two queries) at a time: a municipality page, the
        # most visited, is found by its full path in one query, with the municipality it shows.
        if len(path_components) == 2:
            url_path = f"{self.url_path}{path_components[0]}/{path_components[1]}/"
            # Kept per process until the page tree or the directory changes (portal.memo).
            page = memo.get(
                ("municipality-page", url_path),
                lambda: (
                    MunicipalityPage.objects.filter(url_path=url_path)
                    .select_related("municipality__county")
                    .first()
                ),
                keep_none=False,
            )
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        # The remembered municipality is preselected, so the page differs per cookie.
        return varies_with_choice(super().serve(request, *args, **kwargs))


class StandardPage(RestrictionsRemembered, Page):
    """A plain content page (about, accessibility statement, open data …)."""

    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]

    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")


class MunicipalityIndexPage(RestrictionsRemembered, Page):
    """Lists all 79 municipalities by county."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["portal.MunicipalityPage"]
    parent_page_types = ["portal.HomePage"]
    max_count = 1

    template = "pages/municipality_index_page.html"

    class Meta:
        verbose_name = _("municipalities index")

    def get_context(self, request, *args, **kwargs):
        from .listings import Freshness

        context = super().get_context(request, *args, **kwargs)
        context["freshness"] = Freshness.of_directory()
        pages = MunicipalityPage.objects.child_of(self).live().select_related("municipality__county")
        context["pages"] = sorted(pages, key=lambda p: (p.municipality.county.name, p.municipality.sort_key))
        return context

    def route(self, request, path_components):
        # Wagtail finds a child by slug and then loads its specific type in a second query; a
        # municipality page, with the municipality it shows, takes one here.
        if len(path_components) != 1:
            return super().route(request, path_components)
        child = (
            MunicipalityPage.objects.child_of(self)
            .filter(slug=path_components[0])
            .select_related("municipality__county")
            .first()
        )
        if child is None:
            raise Http404
        child._cached_parent_obj = self
        return child.route(request, [])


class MunicipalityPage(RestrictionsRemembered, Page):
    """One municipality's page: its current price list and its contact persons. The page's
    slug is the municipality's code, in every language."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="page", verbose_name=_("municipality")
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("municipality"), FieldPanel("intro")]
    parent_page_types = ["portal.MunicipalityIndexPage"]
    subpage_types = []

    template = "pages/municipality_page.html"

    class Meta:
        verbose_name = _("municipality page")

    def get_context(self, request, *args, **kwargs):
        from .listings import municipality_listing
        from .structured_data import municipality_graph, to_script

        context = super().get_context(request, *args, **kwargs)
        municipality = self.municipality  # loaded with its county when routed (see the index page)
        listing = municipality_listing(municipality)
        context["fragment_seconds"], context["fragment_stamp"] = fragment_cache()
        context["municipality"] = municipality
        context["listing"] = listing
        context["offers"] = listing.offers
        context["contacts"] = listing.contacts
        context["freshness"] = listing.freshness
        base_url = request.build_absolute_uri("/")[:-1]
        context["jsonld"] = memo.get(
            ("municipality-jsonld", municipality.pk, get_language(), base_url),
            lambda: to_script(municipality_graph(municipality, listing.offers, listing.contacts, base_url)),
        )
        return context
