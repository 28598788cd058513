"""The resident's chosen municipality: remembered in a cookie so that every page can show
local contacts and prices without asking again."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from directory.models import Municipality

COOKIE_NAME = "kov"
COOKIE_MAX_AGE = 365 * 24 * 3600


def remembered_municipality(request: HttpRequest) -> Municipality | None:
    """The municipality remembered in the cookie, or None. Unknown codes are ignored."""
    code = request.COOKIES.get(COOKIE_NAME, "")
    if not code or len(code) > 80:
        return None
    return Municipality.objects.with_county().filter(code=code).first()


def remember(response: HttpResponse, municipality: Municipality) -> None:
    response.set_cookie(COOKIE_NAME, municipality.code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True)


def varies_with_choice(response: HttpResponse) -> HttpResponse:
    """A page that reads the cookie must not be served from a shared cache to someone else."""
    patch_vary_headers(response, ["Cookie"])
    return response
