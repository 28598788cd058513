"""The reference catalogue: what help exists, for whom, and who does what.

Loaded from directory/data/catalogue by `manage.py load_catalogue`; codes are stable."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CatalogueEntry, localized_path


class WorkForm(models.TextChoices):
    """How a component is delivered: to one person (*individuaalne*) or to a group (*grupitöö*)."""

    INDIVIDUAL = "individual", _("individual")
    GROUP = "group", _("group")


class Unit(CatalogueEntry):
    """Unit — *ühik*: what a price is given per (hour, visit, day, month …)."""

    name = models.CharField(_("name"), max_length=60)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("unit")
        verbose_name_plural = _("units")


class Tier(CatalogueEntry):
    """Tier of support: base support (*baastoetus*, continuous case management) or additional
    support (*lisatoetus*, components in different areas of life)."""

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")


class Domain(CatalogueEntry):
    """Life domain — *eluvaldkond*: an area of life that components support (work, housing …)."""

    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="domains")
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("life domain")
        verbose_name_plural = _("life domains")
        ordering = ["position", "code"]


class TargetGroup(CatalogueEntry):
    """Target group — *sihtrühm*: whom a service, component or journey is for."""

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class RoleKind(models.TextChoices):
    KOV_STAFF = "kov-staff", _("municipal staff")
    PROVIDER = "provider", _("service provider")
    PARTNER = "partner-institution", _("partner institution")
    PERSON = "person", _("private person")


class Role(CatalogueEntry):
    """Role — *osapool*: an actor in a client journey and, for KOV staff, a contact role
    (social worker, case manager, care coordinator, child-protection worker …)."""

    kind = models.CharField(_("kind"), max_length=30, choices=RoleKind.choices)
    name = models.CharField(_("name"), max_length=150)
    contact_for = models.TextField(_("contact for"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["position", "code"]


class Component(CatalogueEntry):
    """Service component — *teenuskomponent*: one kind of help that a KOV buys by the unit
    (personal support, respite for the family, peer counselling …). Components are the
    building blocks of the person-centred model: a person's help is assembled from them.

    `situations` are what a resident or family would say when they need the entry, in their
    own words ("my father cannot get out of bed on his own any more"): shown on its page as
    "This may help when…" and searched as the entry's own passages. Services have them too."""

    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="components")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="components")
    work_forms = models.JSONField(_("work forms"), default=list, help_text=_("individual, group"))
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    includes = models.JSONField(_("includes"), default=list, blank=True)
    situations = models.JSONField(_("situations"), default=list, blank=True)
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("One per line."))
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("service component")
        verbose_name_plural = _("service components")
        ordering = ["position", "code"]

    kind = "component"

    def get_absolute_url(self) -> str:
        return localized_path("components", self.code)

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in (self.keywords or "").splitlines() if k.strip()]


class Organiser(models.TextChoices):
    KOV = "kov", _("municipality")
    STATE = "state", _("state (Social Insurance Board)")


class Service(CatalogueEntry):
    """Social service — *sotsiaalteenus*: a service defined by the Social Welfare Act (SHS),
    organised by the municipality (KOV) or by the state (Social Insurance Board, SKA). Its
    `situations` are as a component's."""

    organiser = models.CharField(_("organiser"), max_length=10, choices=Organiser.choices)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    target_groups = models.ManyToManyField(TargetGroup, related_name="services", blank=True)
    related_components = models.ManyToManyField(Component, related_name="services", blank=True)
    situations = models.JSONField(_("situations"), default=list, blank=True)
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("One per line."))
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("social service")
        verbose_name_plural = _("social services")
        ordering = ["position", "code"]

    kind = "service"

    def get_absolute_url(self) -> str:
        return localized_path("services", self.code)

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in (self.keywords or "").splitlines() if k.strip()]


class Stage(CatalogueEntry):
    """Stage of client work — *kliendritöö etapp*: noticing, assessment, planning, implementation."""

    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    responsible = models.ManyToManyField(Role, related_name="stages", blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["position"]


class Journey(CatalogueEntry):
    """Client journey — *klienditeekond*: what happens, step by step, when a person in a
    target group needs help — who notices, who assesses, who plans and who provides."""

    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    eligibility_note = models.TextField(_("eligibility note"), blank=True)
    target_groups = models.ManyToManyField(TargetGroup, related_name="journeys", blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("client journey")
        verbose_name_plural = _("client journeys")
        ordering = ["position", "code"]

    kind = "journey"

    def get_absolute_url(self) -> str:
        return localized_path("journeys", self.code)


class JourneyStep(models.Model):
    """One step of a journey: its stage, the responsible actor, the deadline in calendar days
    where the law or the model sets one (e.g. assessment within 30 days), and the components
    and services involved. Steps are identified by (journey, position)."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="steps")
    actor = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="responsible_steps")
    other_actors = models.ManyToManyField(Role, related_name="involved_steps", blank=True)
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text"), blank=True)
    deadline_days = models.PositiveSmallIntegerField(_("deadline in days"), null=True, blank=True)
    components = models.ManyToManyField(Component, related_name="journey_steps", blank=True)
    services = models.ManyToManyField(Service, related_name="journey_steps", blank=True)

    class Meta:
        verbose_name = _("journey step")
        verbose_name_plural = _("journey steps")
        ordering = ["journey", "position"]
        constraints = [models.UniqueConstraint(fields=["journey", "position"], name="unique_step_position")]

    def __str__(self) -> str:
        return f"{self.journey.code} #{self.position}: {self.title}"
