"""Texts of known gaps and problems, translated with modeltranslation (et is the source)."""

from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.KnownGap)
class KnownGapTR(TranslationOptions):
    fields = ("scope", "note", "source_title")


@register(models.KnownProblem)
class KnownProblemTR(TranslationOptions):
    fields = ("title", "text", "source_title")
