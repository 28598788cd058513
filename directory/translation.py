"""Fields shown to people, translated with modeltranslation (et is the source; ru and en fall
back to it when empty)."""

from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.County)
class CountyTR(TranslationOptions):
    fields = ("name",)


@register(models.Municipality)
class MunicipalityTR(TranslationOptions):
    fields = ("name",)


@register(models.Unit)
class UnitTR(TranslationOptions):
    fields = ("name",)


@register(models.Tier)
class TierTR(TranslationOptions):
    fields = ("name", "description")


@register(models.Domain)
class DomainTR(TranslationOptions):
    fields = ("name",)


@register(models.TargetGroup)
class TargetGroupTR(TranslationOptions):
    fields = ("name", "description")


@register(models.Role)
class RoleTR(TranslationOptions):
    fields = ("name", "contact_for")


@register(models.Component)
class ComponentTR(TranslationOptions):
    fields = ("name", "summary", "keywords", "includes", "situations")


@register(models.Service)
class ServiceTR(TranslationOptions):
    fields = ("name", "summary", "keywords", "situations")


@register(models.Stage)
class StageTR(TranslationOptions):
    fields = ("name",)


@register(models.Journey)
class JourneyTR(TranslationOptions):
    fields = ("title", "summary", "eligibility_note")


@register(models.JourneyStep)
class JourneyStepTR(TranslationOptions):
    fields = ("title", "text")


@register(models.Provider)
class ProviderTR(TranslationOptions):
    # name: a municipal department may have a Russian and English name; others keep the Estonian one
    fields = ("name", "description")


@register(models.Offer)
class OfferTR(TranslationOptions):
    fields = ("notes",)


@register(models.ContactPerson)
class ContactPersonTR(TranslationOptions):
    fields = ("job_title", "reception_hours", "contact_for")


@register(models.ServiceLocation)
class ServiceLocationTR(TranslationOptions):
    fields = ("name", "accessibility_note")


@register(models.OpeningException)
class OpeningExceptionTR(TranslationOptions):
    fields = ("note",)


@register(models.Eligibility)
class EligibilityTR(TranslationOptions):
    fields = ("description",)


@register(models.HowToApply)
class HowToApplyTR(TranslationOptions):
    fields = ("in_person", "documents", "decided_by", "next_steps")
