"""The client's address, the one way every limit in the portal reads it (the API throttle,
the admin login throttle, the report form's flood limit)."""

from __future__ import annotations

import ipaddress

from django.conf import settings


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
