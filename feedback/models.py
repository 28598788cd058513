"""Reports of mistakes sent by the public about a municipality's page, an offer or a contact.

A report always belongs to one municipality, so that it reaches that KOV's editors."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import ContactPerson, Municipality, Offer


class ReportStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in-progress", _("being checked")
    FIXED = "fixed", _("corrected")
    NOT_A_MISTAKE = "not-a-mistake", _("not a mistake")


class ReportQuerySet(models.QuerySet):
    def for_municipalities(self, codes):
        return self.filter(municipality__code__in=codes)

    def open(self):
        return self.filter(status__in=[ReportStatus.NEW, ReportStatus.IN_PROGRESS])


class Report(models.Model):
    """A "report a mistake" message — *veateade* — from a resident or a partner, about the
    municipality's page as a whole, one offer (its price, provider …) or one contact person.

    No account is needed; the e-mail address is optional and only used to answer."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="reports", verbose_name=_("municipality")
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("offer"),
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("contact person"),
    )
    message = models.TextField(_("what is wrong"), max_length=2000)
    email = models.EmailField(_("sender's e-mail"), blank=True)
    language = models.CharField(_("sender's language"), max_length=5, choices=settings.LANGUAGES)
    page_url = models.CharField(_("page"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    editor_note = models.TextField(_("editor's note"), blank=True)
    reply = models.TextField(_("reply to the sender"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply_sent_at = models.DateTimeField(_("reply e-mailed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("reported mistake")
        verbose_name_plural = _("reported mistakes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "status", "created_at"])]

    def __str__(self) -> str:
        return (
            f"{self.municipality} — {self.subject} ({self.created_at:%Y-%m-%d})"
            if self.created_at
            else self.subject
        )

    @property
    def subject(self) -> str:
        """What the report is about, in words an editor recognises."""
        if self.offer_id:
            return f"{self.offer.item} / {self.offer.provider}"
        if self.contact_id:
            return f"{self.contact.name} ({self.contact.role})"
        return str(_("the municipality's page"))
