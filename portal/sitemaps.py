"""sitemap.xml: every public page in et, ru and en, each with its hreflang alternates."""

from django.contrib.sitemaps import Sitemap

from directory.models import Component, Journey, Municipality, Offer, Service
from directory.models.base import localized_path


class MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(MultilingualSitemap):
    priority = 0.8
    changefreq = "weekly"

    def items(self):
        return [(), ("kov",), ("journeys",)]

    def location(self, parts):
        return localized_path(*parts) if parts else localized_path()


class MunicipalitySitemap(MultilingualSitemap):
    priority = 0.9
    changefreq = "weekly"

    def items(self):
        return Municipality.objects.order_by("code")


class CatalogueSitemap(MultilingualSitemap):
    changefreq = "monthly"

    def __init__(self, model):
        super().__init__()
        self.model = model

    def items(self):
        return self.model.objects.order_by("code")


class OfferSitemap(MultilingualSitemap):
    """Each offer in force today (Offer.get_absolute_url), changed when its row last was."""

    priority = 0.6
    changefreq = "weekly"
    limit = 10000

    def items(self):
        return Offer.objects.public().only("pk", "updated_at").order_by("pk")

    def lastmod(self, offer):
        return offer.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "municipalities": MunicipalitySitemap,
    "components": CatalogueSitemap(Component),
    "services": CatalogueSitemap(Service),
    "journeys": CatalogueSitemap(Journey),
    "offers": OfferSitemap,
}
