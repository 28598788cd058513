"""Keeping spam and floods out of the report form without a third-party captcha:

- a honeypot field that people never see (hidden by the stylesheet) and bots fill in;
- a signed time stamp: a form sent back within seconds of being shown was not typed by a person;
- each time stamp counts once: a replayed form is treated as a bot's;
- a rate limit per sender, counted in the cache under a keyed hash of the client's address
  (ops.client: behind the load balancer, the resident's, not the balancer's), so the address
  itself is never stored anywhere."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from ops.client import client_ip

SIGNER_SALT = "feedback.form-started"


def rate_limit() -> tuple[int, int]:
    """(how many reports, per how many seconds) one sender may send."""
    return (getattr(settings, "FEEDBACK_RATE_LIMIT", 10), getattr(settings, "FEEDBACK_RATE_WINDOW", 3600))


def min_fill_seconds() -> float:
    return getattr(settings, "FEEDBACK_MIN_FILL_SECONDS", 3)


def sender_key(request: HttpRequest) -> str:
    address = client_ip(request)  # behind the load balancer: the resident's, not the balancer's
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"feedback:sender:{digest[:40]}"


def allow(request: HttpRequest) -> bool:
    """Count one attempt by this sender; False once they are over the limit for the window."""
    limit, window = rate_limit()
    key = sender_key(request)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def started_token() -> str:
    return signing.dumps(time.time(), salt=SIGNER_SALT)


class StaleForm(Exception):
    """The form's time stamp is missing, forged or more than a day old."""


def seconds_since_started(token: str) -> float:
    try:
        started = signing.loads(token, salt=SIGNER_SALT, max_age=24 * 3600)
    except signing.BadSignature as error:
        raise StaleForm from error
    return time.time() - float(started)


def first_use(token: str) -> bool:
    """True the first time a form's time stamp is sent back; a replayed form (a bot posting the
    same fields again and again) gets False for as long as the stamp is valid."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:40]
    return cache.add(f"feedback:used:{digest}", 1, timeout=24 * 3600)
