from django.core.validators import RegexValidator
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


# Russian names put the kind first ("волость Алутагузе", "город Нарва"); lists sort by the name.
KIND_PREFIXES = ("волость ", "город ")


def sort_name(name: str) -> str:
    """The key lists of municipalities sort by: the name without a leading kind word."""
    key = (name or "").casefold().replace("ё", "е")
    for prefix in KIND_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


class MunicipalityQuerySet(models.QuerySet):
    def with_county(self):
        return self.select_related("county")

    def by_name(self) -> list["Municipality"]:
        """By name in the active language (Russian ones not by their "волость"/"город")."""
        return sorted(self, key=lambda m: m.sort_key)

    def by_county_and_name(self) -> list["Municipality"]:
        return sorted(self.with_county(), key=lambda m: (m.county.name, m.sort_key))


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

    @property
    def sort_key(self) -> str:
        return sort_name(self.name)

    def distance_km(self, other: "Municipality") -> float | None:
        """Great-circle distance between the two municipalities' centre points."""
        return distance_km(self.latitude, self.longitude, other.latitude, other.longitude)


class SettlementKind(models.TextChoices):
    """The kinds of settlement unit in EHAK; the values are the EHAK terms themselves."""

    TOWN = "linn", _("town (linn)")
    TOWN_IN_PARISH = "vallasisene linn", _("town in a parish (vallasisene linn)")
    DISTRICT = "linnaosa", _("city district (linnaosa)")
    SMALL_TOWN = "alev", _("small town (alev)")
    SMALL_BOROUGH = "alevik", _("small borough (alevik)")
    VILLAGE = "küla", _("village (küla)")


class Settlement(models.Model):
    """Settlement unit — *asustusüksus*: a village (*küla*), small borough (*alevik*), small
    town (*alev*), town (*linn*, also a town inside a parish, *vallasisene linn*) or a city
    district (*linnaosa*: Tallinn's 8, Kohtla-Järve's 5), as the EHAK classification lists them.

    Every settlement lies in exactly one municipality (KOV); residents know the place they live
    in by this name ("Ahtme", "Kiviõli"), not always by their municipality's. Names repeat
    across municipalities (there are 12 villages called Vanamõisa), so a settlement is
    identified by its EHAK code and always shown with its municipality. Loaded from
    directory/data/geo/asustusyksus.csv by `manage.py load_catalogue`; the codes are stable."""

    code = models.CharField(
        _("EHAK code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("An EHAK code is four digits, e.g. 1004."))],
    )
    # The official Estonian name with its kind word, as in EHAK: "Kiviõli linn", "Aa küla",
    # "Ahtme linnaosa". EHAK has no Russian or English names, so it is not translated.
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=SettlementKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="settlements",
        verbose_name=_("municipality"),
    )
    # The area-weighted centroid of the settlement's polygon (WGS84): for distances, not drawing.
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["name", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__range=(57.4, 59.9), longitude__range=(21.5, 28.3)),
                name="settlement_in_estonia",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bare_name(self) -> str:
        """The name without its kind word: "Kiviõli" for "Kiviõli linn", "Alaküla" as it is."""
        return bare_settlement_name(self.name, self.kind)

    def distance_km(self, latitude: float | None, longitude: float | None) -> float | None:
        return distance_km(self.latitude, self.longitude, latitude, longitude)


def bare_settlement_name(name: str, kind: str) -> str:
    """The settlement's name without the kind word EHAK appends, and without its second
    (Swedish) name: "Aulepa küla / Dirslätt" → "Aulepa"; "Ahtme linnaosa" → "Ahtme"."""
    first = name.split(" / ")[0].strip()
    for word in (" " + kind.split()[-1], " linn"):
        if first.endswith(word):
            return first[: -len(word)].strip()
    return first
