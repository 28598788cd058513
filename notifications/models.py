"""What KOV staff are told by e-mail, what each of them chose to be told, and what was sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The kinds of e-mail the portal sends its staff; each can be switched off on its own."""

    REPORT = "report", _("A resident reported a mistake in my municipality's data")
    SUBMITTED = "submitted", _("Changes await my approval")
    DECIDED = "decided", _("My changes were approved or rejected")
    AGEING = "ageing", _("Monthly: data not verified for a year")
    IMPORT = "import", _("My price list upload was applied")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("at once")
    DAILY = "daily", _("in a daily digest")
    OFF = "off", _("never")


class PreferenceQuerySet(models.QuerySet):
    def frequency(self, user, kind: str) -> str:
        """The user's choice for this kind; at once unless they chose otherwise."""
        chosen = self.filter(user=user, kind=kind).values_list("frequency", flat=True).first()
        return chosen or Frequency.IMMEDIATE


class Preference(models.Model):
    """A staff member's choice for one kind of e-mail (*teavitus*): at once, in the daily
    digest or never. Edited in the admin (Account → E-mail notifications) or switched off by
    the one-click unsubscribe link in every message. No row means "at once"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("e-mail"), max_length=20, choices=Kind.choices)
    frequency = models.CharField(
        _("send"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.frequency}"


class Delivery(models.Model):
    """One piece of news for one recipient, keyed by the event it comes from, so that each
    event reaches each recipient once however often its job runs. `item` holds what the
    message says about it (texts the recipient's staff entered, ids, admin links); a digest
    item waits with `sent_at` empty until the daily digest goes out."""

    key = models.CharField(_("event"), max_length=200)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("e-mail"), max_length=20, choices=Kind.choices)
    digest = models.BooleanField(_("for the daily digest"), default=False)
    item = models.JSONField(_("content"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        constraints = [models.UniqueConstraint(fields=["key", "recipient"], name="one_delivery_per_event")]
        indexes = [models.Index(fields=["recipient", "digest", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient}"
