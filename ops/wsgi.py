"""The WSGI application the server runs: Django's, with cached public pages answered in front of
its request handler.

A cached page (ops.middleware.EarlyResponseCacheMiddleware's entry) costs little to find, but
Django's handler around it — the request_started/finished signals, which check every database
connection twice, the middleware chain, building an HttpResponse header by header — cost more
than finding and sending it: 0.27 ms of CPU per gzip hit through the handler, 0.10 ms here
(bench/cache_hit.py; bench/README.md, "the WSGI front, gunicorn or granian"). Here the same
entry is found with the same functions — one store, one key (ops.cache.lookup), one eligibility
rule (EarlyResponseCacheMiddleware.eligible), one way to unpack it (ops.middleware.page_hit) —
and sent as it is. Only what the middleware outside the early cache does for a hit is repeated:
the request id (echoed and on the access-log line) and that access-log line.

Anything else goes to Django unchanged: misses (Django renders the page and the middleware
stores it), other requests, a Host not in ALLOWED_HOSTS (Django answers 400) and a failing
content-version read (Django checks its database connections and answers 503 if it must). A
published change still shows at once: the content version is read on every request here too.
"""

from __future__ import annotations

import http
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError

from . import cache, release
from .logging import request_id_var
from .middleware import EarlyResponseCacheMiddleware, log_access, page_hit, request_id

STATUS_LINES = {status: f"{status} {status.phrase}" for status in http.HTTPStatus}


class CachedPages:
    """WSGI middleware: `application = CachedPages(get_wsgi_application())`."""

    def __init__(self, application):
        self.application = application
        release.current()  # the project's files are read as the server starts, not in a first request

    def __call__(self, environ, start_response):
        if settings.OPS_RESPONSE_CACHE and environ.get("REQUEST_METHOD") == "GET":
            started = time.monotonic()
            request = WSGIRequest(environ)
            if EarlyResponseCacheMiddleware.eligible(request):
                try:
                    _key, entry = cache.lookup(request, namespace="page")
                except (DisallowedHost, DatabaseError):
                    entry = None
                if entry is not None:
                    return self._send(request, entry, started, start_response)
        return self.application(environ, start_response)

    @staticmethod
    def _send(request, entry: dict, started: float, start_response) -> list[bytes]:
        status, headers, body = page_hit(entry, request.META)
        request.id = request_id(request.META)
        headers.append(("X-Request-ID", request.id))
        start_response(STATUS_LINES[status], headers)
        token = request_id_var.set(request.id)
        try:
            log_access(request, status, "HIT", started)
        finally:
            request_id_var.reset(token)
        return [body]
