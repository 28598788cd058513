"""What every Abiportaal API view shares: language, strict query parameters, JSON errors,
conditional GET, cache headers and rate limits."""

import datetime as dt
import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.encoding import iri_to_uri
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from directory import content_version

from .authentication import PartnerTokenAuthentication, partner_token
from .throttling import ApiRateThrottle

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# Parameters any endpoint accepts besides its own filters.
COMMON_PARAMS = {"lang", "format"}
PAGE_PARAMS = {"page", "page_size"}

LANG_PARAM = OpenApiParameter(
    "lang",
    str,
    enum=["et", "ru", "en"],
    description="Language of translated fields (default: Accept-Language, then et).",
)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def request_language(request) -> str:
    """`lang=` wins, then the first Accept-Language we speak, then Estonian."""
    lang = request.GET.get("lang")
    if lang in LANGUAGE_CODES:
        return lang
    for accepted, _q in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        code = accepted.split("-")[0].lower()
        if code in LANGUAGE_CODES:
            return code
    return settings.LANGUAGE_CODE


def parse_date_param(request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    try:
        if not DATE_RE.match(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise exceptions.ValidationError(
            {name: [_("“%(value)s” is not a date; use YYYY-MM-DD, e.g. 2025-03-01.") % {"value": value}]}
        ) from None


def parse_flag(request, name: str) -> bool:
    value = request.query_params.get(name)
    if value is None:
        return False
    if value.lower() in {"1", "true", "yes"}:
        return True
    if value.lower() in {"", "0", "false", "no"}:
        return False
    raise exceptions.ValidationError({name: [_("Use %(name)s=1 or %(name)s=0.") % {"name": name}]})


def as_uri(value: str) -> str:
    """An IRI as a URI that `format: uri` validators and every HTTP client accept: the host in
    punycode (https://jõgeva.ee → https://xn--jgeva-dua.ee), the rest percent-encoded."""
    if not value or value.isascii():
        return value
    parts = urlsplit(value)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return iri_to_uri(value)
    netloc = host + (f":{parts.port}" if parts.port else "")
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    return iri_to_uri(urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)))


def data_last_modified() -> dt.datetime:
    """When the answer last may have changed: the last data change, or midnight today in
    Estonia (prices and contacts take effect on dates without any write happening)."""
    changed = content_version.current().changed_at
    midnight = timezone.make_aware(
        dt.datetime.combine(timezone.localdate(), dt.time.min), timezone.get_default_timezone()
    )
    return max(changed, midnight).replace(microsecond=0)


def exception_handler(exc, context):
    """Every error is JSON: {"status", "code", "message", "errors", "request_id"}; message is in
    the request's language and says what was wrong (ops.views.error_response answers the same
    way for errors outside the API's views)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    errors = {}
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(detail, dict):
            errors = {
                key: [str(m) for m in (value if isinstance(value, list) else [value])]
                for key, value in detail.items()
            }
        else:
            errors = {"non_field_errors": [str(m) for m in detail]}
        message = " ".join(
            f"{key}: {' '.join(messages)}" if key != "non_field_errors" else " ".join(messages)
            for key, messages in errors.items()
        )
        code = "invalid"
    else:
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        code = getattr(getattr(exc, "detail", None), "code", None) or exc.default_code
    response.data = {
        "status": response.status_code,
        "code": code,
        "message": message,
        "errors": errors,
        "request_id": getattr(context["request"], "id", ""),
    }
    return response


class ApiViewMixin:
    """Mixed into every view of /api/v1/ and /api/hsds/."""

    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = []
    throttle_classes = [ApiRateThrottle]
    renderer_classes = [JSONRenderer]
    # Query parameters the view understands besides filters, `lang`, `format` and paging.
    extra_params: set[str] = set()

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)
        self.check_query_params(request)

    def allowed_params(self) -> set[str]:
        allowed = COMMON_PARAMS | self.extra_params
        if getattr(self, "pagination_class", None) is not None:
            allowed |= PAGE_PARAMS
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None and getattr(self, "action", None) in {"list", None}:
            allowed |= set(filterset_class.base_filters)
        return allowed

    def check_query_params(self, request) -> None:
        for key, values in request.query_params.lists():
            if any("\x00" in v for v in [key, *values]):
                raise exceptions.ValidationError({key: [_("Null characters are not allowed.")]})
        lang = request.query_params.get("lang")
        if lang is not None and lang not in LANGUAGE_CODES:
            raise exceptions.ValidationError(
                {
                    "lang": [
                        _("Unknown language “%(value)s”; use one of: %(choices)s.")
                        % {"value": lang, "choices": ", ".join(LANGUAGE_CODES)}
                    ]
                }
            )
        allowed = self.allowed_params()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise exceptions.ValidationError(
                {
                    key: [
                        _("Unknown parameter. This endpoint accepts: %(allowed)s.")
                        % {"allowed": ", ".join(sorted(allowed))}
                    ]
                    for key in unknown
                }
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        private = partner_token(request) is not None or "HTTP_AUTHORIZATION" in request.META
        patch_vary_headers(response, ["Accept-Language", "Authorization"])
        response["Content-Language"] = translation.get_language()
        if private:
            # Professional-only fields must never reach a shared or browser cache.
            response["Cache-Control"] = "private, no-store"
        elif response.status_code < 400:
            response["Cache-Control"] = f"public, max-age={getattr(settings, 'API_CACHE_SECONDS', 60)}"
        else:
            response["Cache-Control"] = "no-cache"
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == status.HTTP_200_OK
            and not response.streaming
        ):
            response = self.conditional(request, response)
        return response

    def conditional(self, request, response):
        """ETag is a hash of the body; Last-Modified is the content version's time."""
        if isinstance(response, Response):
            response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        last_modified = data_last_modified()
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified.timestamp())
        return get_conditional_response(
            request._request if hasattr(request, "_request") else request,
            etag=etag,
            last_modified=last_modified.timestamp(),
            response=response,
        )
