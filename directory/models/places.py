from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CatalogueEntry, localized_path


class County(CatalogueEntry):
    """County — *maakond*: one of Estonia's 15 counties, identified by its EHAK code.

    A county has no social-care budget of its own; it groups municipalities for regional
    planning (e.g. the Ida-Virumaa action plan) and for comparing prices and coverage."""

    ehak = models.CharField(_("EHAK code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]


class MunicipalityKind(models.TextChoices):
    TOWN = "linn", _("town (linn)")
    PARISH = "vald", _("parish (vald)")


def distance_km(lat1, lon1, lat2, lon2) -> float | None:
    """Great-circle distance in km between two points given in degrees; None if one is unknown."""
    from math import asin, cos, radians, sin, sqrt

    if None in (lat1, lon1, lat2, lon2):
        return None
    lat1, lon1, lat2, lon2 = map(radians, (lat1, lon1, lat2, lon2))
    a = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(a))


class MunicipalityQuerySet(models.QuerySet):
    def with_county(self):
        return self.select_related("county")


class Municipality(CatalogueEntry):
    """Municipality — *KOV, kohalik omavalitsus*: a town (*linn*) or parish (*vald*).

    The KOV organises most social services, buys service components from providers and
    employs the social workers, case managers and care coordinators residents contact."""

    ehak = models.CharField(_("EHAK code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=4, choices=MunicipalityKind.choices)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    # A representative point inside the boundary, for "nearest municipality that offers it".
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def get_absolute_url(self) -> str:
        return localized_path("kov", self.code)

    def distance_km(self, other: "Municipality") -> float | None:
        """Great-circle distance between the two municipalities' centre points."""
        return distance_km(self.latitude, self.longitude, other.latitude, other.longitude)
