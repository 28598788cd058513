from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """The version of the published content (avaldatud sisu versioon): one row that every
    committed change to what the public reads moves on — the directory, the pages, their sites
    and view restrictions, the search synonyms (directory.content_version). Whatever is built
    from that content and kept (cached pages and fragments, the per-process memo, the API's
    Last-Modified, the open-data files) is keyed on it."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("content version")

    def __str__(self) -> str:
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M})"
