"""Rate limits per client: anonymous callers by IP address, partners by token.

Rates come from settings.API_THROTTLE_RATES ({"anonymous": "120/minute", "partner": …}),
read on every request so deployments and tests can change them without restarting."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from ops.client import client_ip

from .authentication import partner_token

DEFAULT_RATES = {"anonymous": "120/minute", "partner": "1200/minute"}


class ApiRateThrottle(SimpleRateThrottle):
    def __init__(self):
        # The rate depends on who is calling, so it is chosen in allow_request.
        pass

    def allow_request(self, request, view) -> bool:
        self.scope = "partner" if partner_token(request) else "anonymous"
        rates = {**DEFAULT_RATES, **getattr(settings, "API_THROTTLE_RATES", {})}
        self.rate = rates.get(self.scope)
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        token = partner_token(request)
        # Not DRF's get_ident: without NUM_PROXIES it keys on the whole X-Forwarded-For header,
        # which a client writes itself — a new made-up address per request escaped the limit.
        ident = f"token-{token.pk}" if token else client_ip(request)
        return f"api-throttle:{self.scope}:{ident}"
