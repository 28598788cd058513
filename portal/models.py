"""The site's page tree: a home page, a municipalities index and one page per municipality.

Page texts are translated with wagtail-modeltranslation; the prices and contacts a
municipality page shows come from directory/, so they exist once whatever the language."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from directory.models import ContactPerson, Municipality, Offer


class HomePage(Page):
    """The portal's front page: choose a municipality, search, or start from a life situation."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["portal.MunicipalityIndexPage", "portal.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["municipalities"] = Municipality.objects.with_county().order_by("name")
        return context


class StandardPage(Page):
    """A plain content page (about, accessibility statement, open data …)."""

    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = _("standard page")


class MunicipalityIndexPage(Page):
    """Lists all 79 municipalities by county."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["portal.MunicipalityPage"]
    parent_page_types = ["portal.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("municipalities index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = (
            MunicipalityPage.objects.child_of(self)
            .live()
            .select_related("municipality__county")
            .order_by("municipality__county__name", "municipality__name")
        )
        context["pages"] = pages
        return context


class MunicipalityPage(Page):
    """One municipality's page: its current price list and its contact persons. The page's
    slug is the municipality's code, in every language."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="page", verbose_name=_("municipality")
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("municipality"), FieldPanel("intro")]
    parent_page_types = ["portal.MunicipalityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("municipality page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        municipality = self.municipality
        offers = list(
            Offer.objects.filter(municipality=municipality).public().for_listing()
        )
        context["municipality"] = municipality
        context["offers"] = offers
        context["contacts"] = (
            ContactPerson.objects.filter(municipality=municipality)
            .current()
            .select_related("role")
        )
        return context
