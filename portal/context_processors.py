from django.conf import settings
from django.utils.translation import gettext


def site(request):
    # The portal's name as each language writes it: "Abiportaal" (et, en), "Абипортал" (ru).
    return {"SITE_NAME": gettext(settings.WAGTAIL_SITE_NAME)}
