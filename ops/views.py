"""Error pages in the visitor's language, with no technical detail beyond a request id to quote.

The language comes from the URL prefix (/ru/… gets Russian), else from the browser. The pages
render without the request's context processors and without database queries, so the 500
page still renders while the database is down. Under /api/ errors are JSON."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

TITLES = {
    400: gettext_noop("The request could not be understood"),
    403: gettext_noop("Access denied"),
    404: gettext_noop("Page not found"),
    414: gettext_noop("The address is too long"),
    429: gettext_noop("Too many attempts"),
    500: gettext_noop("Something went wrong on our side"),
    503: gettext_noop("The portal is briefly unavailable"),
}
# The `code` of the API's error body (api.common.exception_handler uses DRF's codes).
API_CODES = {400: "bad_request", 403: "permission_denied", 404: "not_found", 414: "uri_too_long",
             429: "throttled", 500: "error", 503: "unavailable"}  # fmt: skip


def language_for(request) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    prefix = request.path_info.lstrip("/").split("/", 1)[0]
    if prefix in codes:
        return prefix
    language = translation.get_language_from_request(request)
    return language if language in codes else settings.LANGUAGE_CODE


def error_response(
    request, status: int, headers: dict | None = None, context: dict | None = None
) -> HttpResponse:
    language = language_for(request)
    request_id = getattr(request, "id", "")
    with translation.override(language):
        if request.path_info.startswith("/api/"):
            # The same body as every other API error, with the id to quote when reporting it.
            body = {
                "status": status,
                "code": API_CODES[status],
                "message": _(TITLES[status]),
                "errors": {},
                "request_id": request_id,
            }
            return JsonResponse(body, status=status, headers=headers)
        other_languages = [(code, name) for code, name in settings.LANGUAGE_NAMES_NATIVE if code != language]
        html = render_to_string(
            f"errors/{status}.html",
            {
                "LANGUAGE_CODE": language,
                "SITE_NAME": settings.WAGTAIL_SITE_NAME,
                "request_id": request_id,
                "other_languages": other_languages,
                "title": _(TITLES[status]),
                **(context or {}),
            },
        )
    response = HttpResponse(html, status=status, headers=headers)
    response["Content-Language"] = language
    return response


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


# How long a client should wait when the database is unreachable (a restart or fail-over).
DATABASE_RETRY_AFTER = 30


def server_error(request):
    """500 — or 503 with Retry-After when the database cannot be reached: the outage is
    temporary and not the visitor's fault, and crawlers and monitors should retry, not index
    an error page."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return error_response(request, 503, headers={"Retry-After": str(DATABASE_RETRY_AFTER)})
    return error_response(request, 500)


def csrf_failure(request, reason=""):
    return error_response(request, 403)


def too_many_requests(request, seconds: int | None = None):
    seconds = seconds or settings.OPS_LOGIN_LOCKOUT_SECONDS
    return error_response(
        request, 429, headers={"Retry-After": str(seconds)}, context={"minutes": max(1, -(-seconds // 60))}
    )
