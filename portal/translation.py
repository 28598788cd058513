from modeltranslation.translator import TranslationOptions, register

from .models import HomePage, MunicipalityIndexPage, MunicipalityPage, StandardPage


@register(HomePage)
class HomePageTR(TranslationOptions):
    fields = ("intro",)


@register(StandardPage)
class StandardPageTR(TranslationOptions):
    fields = ("body",)


@register(MunicipalityIndexPage)
class MunicipalityIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(MunicipalityPage)
class MunicipalityPageTR(TranslationOptions):
    fields = ("intro",)
