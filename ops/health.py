"""Liveness and readiness for the load balancer and the orchestrator.

/healthz answers as long as the process can serve a request at all; it touches nothing else, so a
database outage does not make every app server look dead and get restarted in a loop.
/readyz answers 200 only when the database and the search backend answer ("degraded" when search
runs without its embedding model, lexically); a load balancer takes
the server out of rotation while it says 503. OPS_READYZ_CRITICAL names the checks that decide
it (READYZ_CRITICAL=database keeps serving pages while only search is down)."""

import logging
import time

from django.conf import settings
from django.db import connections
from django.http import JsonResponse

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_search() -> str:
    from search.backends import get_backend
    from search.embedding import embedding_status

    if not get_backend().ping():
        raise ConnectionError("search backend did not answer its ping")
    # Without its embedding model search still answers, lexically: ready, but degraded.
    dense = embedding_status()
    return "ok" if dense in ("ok", "off") else dense


CHECKS = {"database": check_database, "search": check_search}


def healthz(request) -> JsonResponse:
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def readyz(request) -> JsonResponse:
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            status = check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            ready = ready and name not in settings.OPS_READYZ_CRITICAL
            # The public answer names the kind of failure only; hosts and messages go to the log.
            status = f"error: {type(error).__name__}"
            logger.warning("readiness check %s failed", name, exc_info=True)
        results[name] = {"status": status, "ms": round((time.monotonic() - started) * 1000, 1)}
    degraded = any(r["status"].startswith("degraded") for r in results.values())
    return JsonResponse(
        {"status": ("degraded" if degraded else "ok") if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )
