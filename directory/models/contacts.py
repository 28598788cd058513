import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Timestamped, language_names, tel_href
from .catalogue import Role
from .offers import PublicationStatus, today, valid_on
from .places import Municipality


class ContactPersonQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def on(self, date: dt.date):
        """Published contacts in force on `date` (drafts and unapproved entries excluded)."""
        return self.published().filter(valid_on(date))

    def current(self):
        return self.on(today())

    def for_role(self, code: str):
        return self.filter(role__code=code)


class ContactPerson(Timestamped):
    """Contact person — *kontaktisik*: someone at the KOV whom residents and partners contact
    in a role (social worker, case manager, care coordinator, child-protection worker …),
    with phone, e-mail, reception hours (*vastuvõtuajad*) and languages spoken.

    `direct_phone` and `duty_phone` are for professionals only: the API shows them to partner
    institutions with a valid token and never on public pages or in open data."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="contacts")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    reception_hours = models.TextField(_("reception hours"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    contact_for = models.TextField(_("contact for"), blank=True)
    direct_phone = models.CharField(_("direct line (professionals only)"), max_length=40, blank=True)
    duty_phone = models.CharField(_("duty phone (professionals only)"), max_length=40, blank=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), default=today)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
    )

    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["municipality", "role__position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="contact_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    @property
    def language_names(self) -> list[str]:
        return language_names(self.languages)

    @property
    def tel_href(self) -> str:
        return tel_href(self.phone)
