"""Known gaps in social care, as stated by regional analyses.

Loaded from directory/data/catalogue/gaps.yaml by `manage.py load_gaps`. The coverage page
shows them next to what municipalities publish, each with its source, so that a county's
social-welfare coordinator mapping bottlenecks (*kitsaskohtade kaardistus*) can tell a stated
finding from what the data shows today."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Component, County, Role, Service


class GapStatus(models.TextChoices):
    """How bad a gap is: no provider at all (*puuduvad teenuseosutajad*) or too few places
    or providers (*teenuskohti ei ole piisavalt*)."""

    MISSING = "missing", _("missing")
    SCARCE = "scarce", _("too few places or providers")


class GapKind(models.TextChoices):
    SERVICE = "service", _("social service")
    COMPONENT = "component", _("service component")
    EDUCATION = "education", _("education")


class KnownGap(models.Model):
    """A known gap — *kitsaskoht*: a service or component that a county's analysis found
    missing or scarce. `service`/`component` is empty where the catalogue has no code for
    what is missing (e.g. "some Töötukassa services", a special kindergarten).

    `key` is derived from the file (county, kind, code or scope, status) and identifies the
    gap across loads, so loading again updates in place and never duplicates."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="known_gaps", verbose_name=_("county")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GapKind.choices)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="known_gaps"
    )
    component = models.ForeignKey(
        Component, on_delete=models.CASCADE, null=True, blank=True, related_name="known_gaps"
    )
    status = models.CharField(_("status"), max_length=10, choices=GapStatus.choices)
    scope = models.TextField(_("scope"), blank=True)
    note = models.TextField(_("note"), blank=True)
    provider_role = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    related_components = models.ManyToManyField(Component, related_name="+", blank=True)
    related_services = models.ManyToManyField(Service, related_name="+", blank=True)
    as_of = models.CharField(_("as of"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=300)  # file and section, for the record
    source_title = models.CharField(_("source title"), max_length=300, blank=True)  # for readers
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("known gap")
        verbose_name_plural = _("known gaps")
        ordering = ["county__name", "position"]

    def __str__(self) -> str:
        return f"{self.county}: {self.item or self.scope} ({self.get_status_display()})"

    @property
    def item(self) -> Component | Service | None:
        return self.service or self.component

    @property
    def item_code(self) -> str | None:
        item = self.item
        return item.code if item else None


class KnownProblem(models.Model):
    """A general problem named by the same regional analysis (fragmented information flow,
    staff shortage …): text, with the roles and services it concerns and its source."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="known_problems", verbose_name=_("county")
    )
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text"), blank=True)
    related_roles = models.ManyToManyField(Role, related_name="+", blank=True)
    related_services = models.ManyToManyField(Service, related_name="+", blank=True)
    source = models.CharField(_("source"), max_length=300)  # file and section, for the record
    source_title = models.CharField(_("source title"), max_length=300, blank=True)  # for readers
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("known problem")
        verbose_name_plural = _("known problems")
        ordering = ["county__name", "position"]

    def __str__(self) -> str:
        return self.title
