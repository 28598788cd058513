"""OpenAPI description of the API: the partner-token security scheme, the JSON error shape
on every operation, and professional-only fields documented as optional."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PartnerTokenAuthentication"
    name = "partnerToken"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Partner institutions send `Authorization: Bearer <token>`. Without a token the "
                "API is public. Tokens are issued by the portal's administrators."
            ),
        }


class ApiAutoSchema(AutoSchema):
    error_codes = {
        "400": "Bad request: a bad date, an unknown code, filter value or parameter.",
        "401": "The token is invalid, expired or revoked.",
        "404": "No such object, or no such page.",
        "429": "Too many requests: retry after the number of seconds in Retry-After.",
    }

    def _get_response_bodies(self, direction="response"):
        from .serializers import ErrorSerializer

        responses = super()._get_response_bodies(direction)
        for code, description in self.error_codes.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses

    def get_auth(self):
        # Public operations: a token is optional ({} = anonymous allowed).
        auth = super().get_auth()
        if auth and {} not in auth:
            auth.append({})
        return auth

    def _map_basic_serializer(self, serializer, direction):
        from .serializers import PROFESSIONAL_FIELDS, ContactSerializer

        schema = super()._map_basic_serializer(serializer, direction)
        if isinstance(serializer, ContactSerializer) and "required" in schema:
            schema["required"] = [f for f in schema["required"] if f not in PROFESSIONAL_FIELDS]
        return schema


def public_api_only(endpoints):
    """The schema documents /api/v1/ only (not Wagtail's admin API or the HSDS view, which
    follows the Open Referral specification's own OpenAPI document)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
