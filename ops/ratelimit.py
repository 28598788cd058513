"""Slow down password guessing at the admin login, without letting anyone lock an editor out.

Failed logins (Django's user_login_failed signal, sent by every login form that uses
authenticate()) are counted in the cache per (username, client address) and per client address
— never per username alone, so failures from someone else's address cannot block the owner,
who logs in from their own. Once a count reaches its limit, that key is locked: further login
attempts get 429 for OPS_LOGIN_LOCKOUT_SECONDS, doubling with each renewed lockout within a day
(backoff). The per-address limit is higher than the per-user one because a whole municipality
office may share one public address."""

import hashlib
import math
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import caches

from .client import client_ip

__all__ = ["client_ip", "connect", "is_locked_out", "locked_for"]
MAX_LOCKOUT_SECONDS = 24 * 3600


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _keys(request, username: str | None) -> list[tuple[str, int]]:
    address = client_ip(request)
    keys = [(f"ops:login-failures:ip:{_digest(address)}", settings.OPS_LOGIN_FAILURES_PER_IP)]
    if username:
        keys.append(
            (
                f"ops:login-failures:user-ip:{_digest(username.strip().lower() + '@' + address)}",
                settings.OPS_LOGIN_FAILURES_PER_USER,
            )
        )
    return keys


def locked_for(request, username: str | None) -> int:
    """Seconds until this username from this address (or this address at all) may try again;
    0 if it may now."""
    cache = caches[settings.OPS_CACHE_ALIAS]
    until = cache.get_many([f"{key}:until" for key, _ in _keys(request, username)])
    now = time.time()
    return max((math.ceil(value - now) for value in until.values() if value > now), default=0)


def is_locked_out(request, username: str | None) -> bool:
    return locked_for(request, username) > 0


def record_failure(sender, credentials=None, request=None, **kwargs) -> None:
    if request is None:
        return
    cache = caches[settings.OPS_CACHE_ALIAS]
    username = (credentials or {}).get("username")
    for key, limit in _keys(request, username):
        # add() starts the window; incr() keeps its expiry (the window does not slide).
        cache.add(key, 0, timeout=settings.OPS_LOGIN_LOCKOUT_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.OPS_LOGIN_LOCKOUT_SECONDS)
            count = 1
        if count >= limit:
            _lock(cache, key)


def _lock(cache, key: str) -> None:
    """Lock `key`, twice as long as last time if it was locked within the past day."""
    cache.add(f"{key}:level", 0, timeout=MAX_LOCKOUT_SECONDS)
    level = cache.incr(f"{key}:level")
    seconds = min(settings.OPS_LOGIN_LOCKOUT_SECONDS * 2 ** (level - 1), MAX_LOCKOUT_SECONDS)
    cache.set(f"{key}:until", time.time() + seconds, timeout=seconds)
    cache.delete(key)


def forget_failures(sender, request=None, user=None, **kwargs) -> None:
    if request is None or user is None:
        return
    keys = [key for key, _ in _keys(request, user.get_username())][1:]  # not the address's count
    caches[settings.OPS_CACHE_ALIAS].delete_many([k + suffix for k in keys for suffix in ("", ":level")])


def connect() -> None:
    user_login_failed.connect(record_failure, dispatch_uid="ops-login-failure")
    user_logged_in.connect(forget_failures, dispatch_uid="ops-login-success")
