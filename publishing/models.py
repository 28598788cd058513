"""What the publishing workflow keeps besides the directory itself: uploaded price lists
awaiting confirmation, changes to published entries awaiting approval, and translations that
fell behind their Estonian source."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
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
    # The rows as read once at upload (publishing.imports.read.Table.to_json); the preview and
    # the apply step use them and never parse the file again.
    table = models.JSONField(_("rows read"), null=True, blank=True)
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

    @property
    def field_label(self) -> str:
        """The field's label in the reader's language ("reception hours", not "reception_hours")."""
        from .proposals import field_label

        return field_label(self.content_type.model_class(), self.field)


class PendingChangeQuerySet(models.QuerySet):
    def for_entry(self, entry):
        return self.filter(content_type=ContentType.objects.get_for_model(type(entry)), object_id=entry.pk)

    def awaiting(self):
        """Changes waiting for a moderator (not those returned to their editor)."""
        return self.filter(returned_at__isnull=True)

    def returned(self):
        return self.filter(returned_at__isnull=False)


class PendingChange(models.Model):
    """An editor's change to a published offer, contact person or other entry registered in
    publishing.registry, awaiting a KOV moderator.

    Why a pending-change row and not Wagtail's DraftStateMixin/RevisionMixin: Offer and
    ContactPerson already carry the workflow `status` that every public queryset filters on,
    and Wagtail's workflows and its `publish` permission are model-wide, not per KOV. Adding
    `live`/`has_unpublished_changes` beside `status` would give two truths about "is this
    public", and per-KOV approval would need a Wagtail workflow (or custom task) per
    municipality. Here the live row stays exactly what the public pages, API, search, exports
    and the response cache read; this row holds only the changed fields' proposed values
    (JSON, as a form would submit them) and their values when submitted. Approving writes
    them onto the live row with an ordinary `save()`, so the usual signals refresh the search
    index, the data version and the response cache; rejecting deletes the proposal (the audit
    log keeps it). One pending change per entry: editing again revises it.

    Without an entry (`object_id` empty) it proposes a new row that would be public at once —
    an eligibility, a service area, an availability statement under a published offer, a
    location given for one, a how-to-apply text: `changes` holds all its values (with its
    many-to-many and inline rows), `previous` nothing, and the row is created only when a
    moderator approves it, so no public reader can see it before."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    entry = GenericForeignKey("content_type", "object_id")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="pending_changes", verbose_name=_("municipality")
    )
    changes = models.JSONField(_("proposed values"), default=dict)
    previous = models.JSONField(_("published values"), default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    # A moderator's rejection returns the change to its editor with the reason: she sees it on
    # the entry's edit form, holding her text, corrects it and saves to submit it again.
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    reason = models.TextField(_("reason for returning"), blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change awaiting approval")
        verbose_name_plural = _("changes awaiting approval")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_pending_change_per_entry")
        ]

    def __str__(self) -> str:
        return f"{self.title} · {', '.join(self.changes)}"

    @property
    def is_addition(self) -> bool:
        """A new row awaiting approval, not a change to an existing one."""
        return self.object_id is None

    @property
    def proposed_entry(self):
        """The new row as it would be (in memory, never saved here)."""
        from .proposals import unsaved_row

        return unsaved_row(self.content_type.model_class(), self.changes)

    @property
    def title(self) -> str:
        """ "Eligibility: Home care — Narva" for an addition; the entry itself for a change."""
        if not self.is_addition:
            return str(self.entry)
        model = self.content_type.model_class()
        return capfirst(f"{model._meta.verbose_name}: {self.proposed_entry}")

    @property
    def edit_url(self) -> str:
        """The entry's edit page in the admin, which shows this change; for an addition, the
        edit page of the offer it is added to (which lists it), else the model's listing."""
        content_type = self.content_type
        if not self.is_addition:
            return reverse(
                f"wagtailsnippets_{content_type.app_label}_{content_type.model}:edit", args=[self.object_id]
            )
        from . import registry

        offers = registry.get(content_type.model_class()).offer_ids(self.changes)
        if offers:
            return reverse("wagtailsnippets_directory_offer:edit", args=[offers[0]])
        return reverse(f"wagtailsnippets_{content_type.app_label}_{content_type.model}:list")

    @property
    def diff(self) -> list[tuple[str, object, object]]:
        """(field, published value, proposed value) as stored."""
        return [(name, self.previous.get(name), value) for name, value in self.changes.items()]

    @property
    def is_returned(self) -> bool:
        return self.returned_at is not None

    @property
    def labelled_diff(self) -> list:
        """The diff with the fields' labels and values in the reader's language."""
        from .proposals import describe_changes

        return describe_changes(self.content_type.model_class(), self.diff)
