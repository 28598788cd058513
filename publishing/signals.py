"""Track when an entry's Estonian text changes after its Russian or English translation.

Estonian is the source language. When an editor changes the Estonian text of a field while the
Russian (or English) text stays as it was, that translation is flagged as outdated; changing
the translation (or confirming it) clears the flag."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver
from django.utils import timezone
from modeltranslation.translator import translator
from wagtail.log_actions import get_active_log_context

from directory.models import ContactPerson, Offer, Provider

from .models import OutdatedTranslation

SOURCE_LANGUAGE = "et"
TRANSLATION_LANGUAGES = ("ru", "en")
TRACKED_MODELS = (Offer, ContactPerson, Provider)


def translated_fields(model) -> tuple[str, ...]:
    return tuple(translator.get_options_for_model(model).fields)


def _columns(model) -> list[str]:
    return [
        f"{field}_{lang}"
        for field in translated_fields(model)
        for lang in (SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES)
    ]


@receiver(pre_save)
def remember_stored_texts(sender, instance, raw=False, **kwargs):
    if raw or sender not in TRACKED_MODELS or not instance.pk:
        return
    instance._stored_texts = sender.objects.filter(pk=instance.pk).values(*_columns(sender)).first()


@receiver(post_save)
def flag_outdated_translations(sender, instance, created=False, raw=False, **kwargs):
    stored = getattr(instance, "_stored_texts", None)
    if raw or created or sender not in TRACKED_MODELS or not stored:
        return
    instance._stored_texts = None
    content_type = ContentType.objects.get_for_model(sender)
    user = get_active_log_context().user
    for field in translated_fields(sender):
        source_changed = (getattr(instance, f"{field}_{SOURCE_LANGUAGE}") or "") != (
            stored[f"{field}_{SOURCE_LANGUAGE}"] or ""
        )
        for lang in TRANSLATION_LANGUAGES:
            column = f"{field}_{lang}"
            text = getattr(instance, column) or ""
            flags = OutdatedTranslation.objects.filter(
                content_type=content_type, object_id=str(instance.pk), field=field, language=lang
            )
            if text != (stored[column] or ""):
                flags.delete()  # the translation was revised
            elif source_changed and text:
                OutdatedTranslation.objects.update_or_create(
                    content_type=content_type,
                    object_id=str(instance.pk),
                    field=field,
                    language=lang,
                    defaults={
                        "municipality_id": getattr(instance, "municipality_id", None),
                        "source_changed_at": timezone.now(),
                        "source_changed_by": user if user and user.is_authenticated else None,
                    },
                )


def outdated_for(instance):
    return OutdatedTranslation.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    )


# -- workflow events (sent by publishing.workflow; notifications/ listens) ----------------

# Entries were submitted for approval: `entries` (Offer, Price, ContactPerson or PendingChange
# instances of one or more KOVs), `user` who submitted.
change_submitted = Signal()
# A moderator decided: `entries` as above (before a PendingChange is deleted), `user` the
# moderator, `approved` (bool), `comment` (the reason, for a rejection).
change_decided = Signal()
