"""Translated fields (et is the source; ru and en fall back to it), as in directory/translation.py."""

from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.PartnerInstitution)
class PartnerInstitutionTR(TranslationOptions):
    fields = ("name",)


@register(models.ReferralRoute)
class ReferralRouteTR(TranslationOptions):
    fields = ("passes_on", "consent_note", "tell_family")
