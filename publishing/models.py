"""What the publishing workflow keeps besides the directory itself: uploaded price lists
awaiting confirmation, and translations that fell behind their Estonian source."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Municipality


class PriceImport(models.Model):
    """An uploaded price list (*hinnakiri*): kept between the preview and the editor's
    confirmation, then as a record of what was applied, by whom and when."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed")
        APPLIED = "applied", _("applied")
        DISCARDED = "discarded", _("discarded")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="price_imports", verbose_name=_("municipality")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("price list upload")
        verbose_name_plural = _("price list uploads")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.municipality}, {self.uploaded_at:%Y-%m-%d %H:%M})"


class OutdatedTranslation(models.Model):
    """A Russian or English text that was written before the latest change of its Estonian
    source, so it may no longer say the same thing. Cleared when the translation is edited or
    an editor confirms it is still correct."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    entry = GenericForeignKey("content_type", "object_id")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    field = models.CharField(_("field"), max_length=60)
    language = models.CharField(_("language"), max_length=5)
    source_changed_at = models.DateTimeField(_("Estonian text changed"))
    source_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("outdated translation")
        verbose_name_plural = _("outdated translations")
        ordering = ["-source_changed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="unique_outdated_translation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.field} · {self.language}"
