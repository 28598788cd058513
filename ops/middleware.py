"""Middleware for running in production; their places in settings.MIDDLEWARE matter and are
explained there."""

import gzip
import logging
import re
import time
import uuid

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import has_vary_header
from django.utils.text import compress_string

from . import cache, db_router, health, ratelimit
from .logging import request_id_var
from .views import error_response

access_log = logging.getLogger("ops.request")

# A client-supplied id is kept only if it cannot forge log lines or headers.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
HEALTH_PATHS = {"/healthz": health.healthz, "/readyz": health.readyz}


class RequestIdMiddleware:
    """Gives every request an id — the caller's X-Request-ID (a load balancer or another service
    tracing a request) or a new one — puts it on every log line written meanwhile, echoes it
    in the response and writes one access-log line. The query string is not logged: it may
    hold what a resident typed into search."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id(request.META)
        token = request_id_var.set(request.id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            log_access(request, response.status_code, response.get("X-Cache", ""), started)
            return response
        finally:
            request_id_var.reset(token)


def request_id(meta) -> str:
    """The caller's X-Request-ID if it is safe to log and echo, else a new one."""
    supplied = meta.get("HTTP_X_REQUEST_ID", "")
    return supplied if REQUEST_ID.match(supplied) else uuid.uuid4().hex


def log_access(request, status: int, cache_status: str, started: float) -> None:
    """The request's one access-log line (none for health checks)."""
    if request.path in HEALTH_PATHS:
        return
    access_log.info(
        "%s %s %s",
        request.method,
        request.path,
        status,
        extra={
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "cache": cache_status,
        },
    )


# Longer addresses get 414 from Django, in the API's JSON error body under /api/. gunicorn reads
# request lines of any length for that (gunicorn.conf.py); the load balancer in front bounds them.
MAX_URL_LENGTH = 8192


class UrlLengthMiddleware:
    """Refuses an over-long address (path and query) with 414 before any work is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) + len(request.path) > MAX_URL_LENGTH:
            return error_response(request, 414)
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before host validation and the HTTPS redirect: load
    balancers probe over plain HTTP with the server's own address as Host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = HEALTH_PATHS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)


class PrimaryDatabaseMiddleware:
    """With a read replica configured, decides per request whether reads may go to it. Writes,
    the admin, anyone with a session (editors, who must see what they just published) and
    every request shortly after a content change (the replica may not have it yet) read from
    the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not db_router.replica_configured():
            return self.get_response(request)
        with db_router.primary_only(self._needs_primary(request)):
            return self.get_response(request)

    def _needs_primary(self, request) -> bool:
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return True
        if _is_excluded(request.path):
            return True
        since = cache.seconds_since_last_change()
        return since is not None and since < settings.OPS_REPLICA_LAG_SECONDS


class LoginRateLimitMiddleware:
    """Refuses login attempts with 429 while the username or the client address is locked out
    (see ops.ratelimit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in settings.OPS_LOGIN_PATHS:
            seconds = ratelimit.locked_for(request, request.POST.get("username"))
            if seconds:
                from .views import too_many_requests

                return too_many_requests(request, seconds)
        return self.get_response(request)


def _is_excluded(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.OPS_CACHE_EXCLUDED_PREFIXES)


def _is_public(path: str) -> bool:
    return any(re.match(pattern, path) for pattern in settings.OPS_CACHE_PATHS)


# Per-view instructions that outer middleware reads from the response object rather than its
# headers (django-csp's decorators, xframe_options_exempt); a cache hit must carry them too.
RESPONSE_ATTRIBUTES = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
    "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
    "xframe_options_exempt",
)  # fmt: skip


class ResponseCacheMiddleware:
    """Serves anonymous GETs of public pages and API reads from the cache (see ops.cache).

    Innermost in MIDDLEWARE, so headers that depend on the request (CSP, CORS, security
    headers, request id, Vary) are added afresh by the outer middleware on every hit.

    Never cached: other methods; requests with an Authorization header, a session cookie (a
    logged-in editor, or an anonymous visitor with state such as an unlocked private page or a
    pending message) or a logged-in user; the admin; and responses other than 200 and 404,
    streamed ones, ones that set a cookie, carry a CSRF token or CSP nonce, or say private,
    no-store or no-cache. A response that varies by Cookie is stored only for a request
    without cookies and served only to such requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        key, entry = cache.lookup(request)  # the version is read before rendering: a change during it wins
        if entry is not None and not (entry.get("varies_by_cookie") and request.COOKIES):
            return _from_entry(entry)
        response = self.get_response(request)
        if self._cacheable_response(request, response):
            # EarlyResponseCacheMiddleware stores what it serves itself: each page is stored once.
            if not getattr(request, "_stored_early", False):
                cache.store_response(key, self._entry(response))
            response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def _cacheable_request(request) -> bool:
        if not settings.OPS_RESPONSE_CACHE or request.method != "GET":
            return False
        if "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES:
            return False
        if _is_excluded(request.path) or not _is_public(request.path):
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    @staticmethod
    def _cacheable_response(request, response) -> bool:
        # A 404 is cached too: unknown addresses (crawlers, stale links) would otherwise each cost a
        # full page-tree lookup, and the content version retires the entry once the page exists.
        if response.status_code not in (200, 404) or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
            return False
        # The key has no cookies in it: a page that reads them (e.g. the remembered municipality)
        # is stored only as rendered for a visitor without any.
        if request.COOKIES and has_vary_header(response, "Cookie"):
            return False
        if isinstance(getattr(request, "_csp_nonce", None), str):  # the page holds a CSP nonce
            return False
        cache_control = response.get("Cache-Control", "").lower()
        return not any(word in cache_control for word in ("private", "no-store", "no-cache"))

    @staticmethod
    def _entry(response) -> dict:
        skipped = {"set-cookie", "x-request-id", "x-cache"}
        headers = [(k, v) for k, v in response.items() if k.lower() not in skipped]
        attributes = {
            name: getattr(response, name) for name in RESPONSE_ATTRIBUTES if hasattr(response, name)
        }
        return {
            "status": response.status_code,
            "content": response.content,
            "headers": headers,
            "attributes": attributes,
            "varies_by_cookie": has_vary_header(response, "Cookie"),
        }


def _from_entry(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    for name, value in entry.get("attributes", {}).items():
        setattr(response, name, value)
    response["X-Cache"] = "HIT"
    return response


class EarlyResponseCacheMiddleware:
    """Serves a page from the cache before the rest of the middleware stack runs — compression
    included: the response as it left that stack (every header the middleware added: CSP,
    security headers, Vary, Content-Language) is stored once ResponseCacheMiddleware (innermost)
    has found it cacheable, with its body gzipped once, and replayed to the next visitor who asks
    the same. Only the request id (added outside) differs per request.

    The gzipped body is sent as it is to clients that accept gzip (nearly all) and unpacked for
    the rest; `Vary: Accept-Encoding` is stored with the page. BREACH: a stored page carries no
    CSRF token or other secret (ResponseCacheMiddleware refuses those), so its fixed compressed
    form reveals nothing; pages with a token are compressed afresh, with random padding, by
    GZipMiddleware below.

    Only for requests whose answer cannot depend on what this middleware skips: GETs of the
    language-prefixed public pages (the language is in the path) without any cookie, credentials
    or Origin header (CORS). Every other request goes down the stack, where
    ResponseCacheMiddleware still serves it from the cache if it may. Both caches are keyed by
    the content version, so a published change retires both at once.

    Behind a server, the WSGI front (ops.wsgi.CachedPages) answers these hits before Django's
    handler, with this class's `eligible`, ops.cache.lookup and `page_hit`; what reaches this
    middleware there is a miss, which it stores."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.eligible(request):
            return self.get_response(request)
        key, entry = cache.lookup(request, namespace="page")
        if entry is not None:
            return _unpacked(entry, request.META)
        request._stored_early = True
        response = self.get_response(request)
        # X-Cache is set only by ResponseCacheMiddleware, and only on responses it may cache.
        stored_below = response.get("X-Cache") in ("MISS", "HIT")
        if stored_below and response.status_code in (200, 404) and not response.cookies:
            cache.store_response(key, _packed(response))
        return response

    @staticmethod
    def eligible(request) -> bool:
        """Whether the request may be answered from a page entry (here or in ops.wsgi)."""
        if not settings.OPS_RESPONSE_CACHE or request.method != "GET":
            return False
        meta = request.META
        if meta.get("HTTP_COOKIE") or "HTTP_AUTHORIZATION" in meta or "HTTP_ORIGIN" in meta:
            return False
        path = request.path
        if _is_excluded(path):
            return False
        return any(re.match(pattern, path) for pattern in settings.OPS_EARLY_CACHE_PATHS)


ACCEPTS_GZIP = re.compile(r"\bgzip\b")
PER_ENCODING = {"content-encoding", "content-length"}


def _packed(response) -> dict:
    """A page's cache entry: its headers as sent without compression and its body gzipped (as
    GZipMiddleware left it, or compressed here once for a client that did not ask for gzip)."""
    entry = ResponseCacheMiddleware._entry(response)
    entry["headers"] = [(k, v) for k, v in entry["headers"] if k.lower() not in PER_ENCODING]
    if response.get("Content-Encoding") == "gzip":
        entry["gzip"] = entry.pop("content")
    elif "Content-Encoding" not in response and len(response.content) >= 200:
        padding = GZipMiddleware.max_random_bytes
        entry["gzip"] = compress_string(entry.pop("content"), max_random_bytes=padding)
    return entry


def page_hit(entry: dict, meta) -> tuple[int, list[tuple[str, str]], bytes]:
    """What to send from a page's entry: status, headers and the gzipped body as it is, or
    unpacked for a client that did not ask for gzip."""
    headers = [*entry["headers"], ("X-Cache", "HIT")]
    if "gzip" not in entry:
        body = entry["content"]
    elif ACCEPTS_GZIP.search(meta.get("HTTP_ACCEPT_ENCODING", "")):
        body = entry["gzip"]
        headers.append(("Content-Encoding", "gzip"))
    else:
        body = gzip.decompress(entry["gzip"])
    headers.append(("Content-Length", str(len(body))))
    return entry["status"], headers, body


def _unpacked(entry: dict, meta) -> HttpResponse:
    status, headers, body = page_hit(entry, meta)
    return _from_entry({**entry, "status": status, "headers": headers, "content": body})


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 outside the language-prefixed site (the API,
    the admin, documents) stays a 404. Django would redirect it to /<lang>/<path>, where
    Wagtail's catch-all page route matches everything, turning every API "not found" into a
    redirect to an HTML page."""

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(tuple(settings.OPS_UNPREFIXED_PATHS)):
            response.headers.setdefault(
                "Content-Language", translation.get_language() or settings.LANGUAGE_CODE
            )
            return response
        return super().process_response(request, response)


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware with one exception: Wagtail's editing interface (7.4) still has
    inline scripts and injects inline styles, so under OPS_CSP_ADMIN_PREFIXES script-src and
    style-src also allow 'unsafe-inline'. Everything else in the policy stays, and the public
    site — where visitors' input is shown — keeps the strict policy."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(tuple(settings.OPS_CSP_ADMIN_PREFIXES)):
            parts.update = {**(parts.update or {}), **settings.OPS_CSP_ADMIN_UPDATE}
        return parts
