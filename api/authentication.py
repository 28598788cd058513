"""Partner tokens: `Authorization: Bearer abi_…`. No header means the public API."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import PartnerToken

KEYWORDS = ("bearer", "token")


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    """A request with a token acts for the partner (request.auth is the PartnerToken); a
    wrong, expired or revoked token is refused with 401 rather than silently made public,
    so a partner notices at once that its access has ended."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header:
            return None
        if header[0].lower() not in KEYWORDS or len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        token = PartnerToken.objects.authenticate(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is invalid, expired or revoked."))
        token.touch()
        return AnonymousUser(), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="abiportaal"'


def partner_token(request) -> PartnerToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, PartnerToken) else None


def has_scope(request, scope: str) -> bool:
    token = partner_token(request)
    return bool(token and token.has_scope(scope))
