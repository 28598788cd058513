from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.translation import get_language


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that addresses outside the language-prefixed site
    (/api/, /open-data/) keep their own 404s: otherwise Wagtail's catch-all page route makes
    every unknown /api/… address "valid" under /et/ and the middleware redirects a machine
    client to an HTML page."""

    unprefixed = ("/api/", "/open-data/")

    def process_response(self, request, response):
        if request.path_info.startswith(self.unprefixed):
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
