"""Slow down password guessing at the admin login.

Failed logins (Django's user_login_failed signal, sent by every login form that uses
authenticate()) are counted in the cache per username and per client address. Once either count
reaches its limit, LoginRateLimitMiddleware answers further login attempts with 429 until the
window has passed. The per-address limit is higher than the per-user one because a whole
municipality office may share one public address."""

import hashlib
import ipaddress

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import caches


def client_ip(request) -> str:
    """The client's address. Behind OPS_TRUSTED_PROXY_COUNT proxies (the load balancer) it is the
    address the outermost trusted proxy saw, taken from the right of X-Forwarded-For, so a
    client cannot choose its own address by sending that header."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.OPS_TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "unknown"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _keys(request, username: str | None) -> list[tuple[str, int]]:
    keys = [(f"ops:login-failures:ip:{_digest(client_ip(request))}", settings.OPS_LOGIN_FAILURES_PER_IP)]
    if username:
        keys.append(
            (
                f"ops:login-failures:user:{_digest(username.strip().lower())}",
                settings.OPS_LOGIN_FAILURES_PER_USER,
            )
        )
    return keys


def is_locked_out(request, username: str | None) -> bool:
    cache = caches[settings.OPS_CACHE_ALIAS]
    counts = cache.get_many([key for key, _ in _keys(request, username)])
    return any(counts.get(key, 0) >= limit for key, limit in _keys(request, username))


def record_failure(sender, credentials=None, request=None, **kwargs) -> None:
    if request is None:
        return
    cache = caches[settings.OPS_CACHE_ALIAS]
    username = (credentials or {}).get("username")
    for key, _ in _keys(request, username):
        # add() starts the window; incr() keeps its expiry (the window does not slide).
        cache.add(key, 0, timeout=settings.OPS_LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.OPS_LOGIN_LOCKOUT_SECONDS)


def forget_failures(sender, request=None, user=None, **kwargs) -> None:
    if request is None or user is None:
        return
    caches[settings.OPS_CACHE_ALIAS].delete_many([key for key, _ in _keys(request, user.get_username())])


def connect() -> None:
    user_login_failed.connect(record_failure, dispatch_uid="ops-login-failure")
    user_logged_in.connect(forget_failures, dispatch_uid="ops-login-success")
