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


# Query parameters that name catalogue rows by code: the schema lists the codes that exist, so a
# client (and schemathesis) knows which values the server accepts; "" means "no filter".
CODE_PARAMS = {
    "municipality": ("Municipality", ("code", "ehak")),
    "county": ("County", ("code", "ehak")),
    "component": ("Component", ("code",)),
    "service": ("Service", ("code",)),
    "domain": ("Domain", ("code",)),
    "tier": ("Tier", ("code",)),
    "target_group": ("TargetGroup", ("code",)),
    "role": ("Role", ("code",)),
    "journey": ("Journey", ("code",)),
}
ID_PARAMS = {"provider", "offer"}
FREE_TEXT_ENUMS = {"kind": ["", "component", "service"], "outcome": ["", "zero", "poor"]}
HEADERS = {
    "ETag": "Hash of the body; send it back in If-None-Match for a 304.",
    "Last-Modified": "When the data last changed (or midnight today, when dated rows take effect).",
    "Cache-Control": "public, max-age=60 — or private, no-store with a partner token.",
    "Content-Language": "The language of translated fields.",
    "Link": "On the open-data files: the licence (rel=license).",
}
EXTRA_RESPONSES = {
    "304": "Not modified: the ETag (If-None-Match) or date (If-Modified-Since) you sent is current.",
    "405": "Only GET, HEAD and OPTIONS are allowed (see the Allow header).",
    "406": "The Accept header asks for something other than JSON.",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}


def precise_parameters(result, generator, request, public):
    """Postprocessing hook: say exactly what the server accepts and answers — the codes that
    exist, integer ids and page sizes with their bounds, dates as dates — and document the
    headers (ETag, Last-Modified, Retry-After …) and the 304, 405 and 406 answers."""
    from django.conf import settings

    from directory import models as m
    from directory.models.base import LANGUAGE_CHOICES
    from search.params import MAX_OFFSET

    codes = {}
    for name, (model, fields) in CODE_PARAMS.items():
        values = set()
        for row in getattr(m, model).objects.values_list(*fields):
            values.update(v for v in row if v)
        codes[name] = ["", *sorted(values)]
        if "ehak" in fields:
            codes[f"{name}:code"] = sorted(getattr(m, model).objects.values_list("code", flat=True))
    # `near` also takes a point "lat,lon" in Estonia (its description says so); the schema lists
    # the settlement codes, the values a generated request can hit without knowing the map.
    settlements = ["", *sorted(m.Settlement.objects.values_list("code", flat=True))]
    languages = ["", *[code for code, _name in LANGUAGE_CHOICES]]
    for path, item in result.get("paths", {}).items():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                schema = parameter.setdefault("schema", {})
                name = parameter["name"]
                if name in CODE_PARAMS:
                    values = codes[name]
                    # codes only, no EHAK codes (search takes a municipality's code only)
                    if name == "county" or "/analytics/" in path or path.endswith("/search/"):
                        values = ["", *codes[f"{name}:code"]] if f"{name}:code" in codes else values
                    extra = ["-"] if path.endswith("/unmet-needs/") and name == "municipality" else []
                    parameter["schema"] = {"type": "string", "enum": values + extra}
                elif name == "near" and path.endswith("/locations/"):
                    parameter["schema"] = {"type": "string", "enum": settlements}
                elif name == "language":
                    parameter["schema"] = {"type": "string", "enum": languages}
                elif name == "lang":
                    parameter["schema"] = {"type": "string", "enum": [c for c, _n in settings.LANGUAGES]}
                elif name in ID_PARAMS:
                    parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
                elif name == "page":
                    schema.update({"type": "integer", "minimum": 1})
                elif name == "page_size":
                    schema.update({"type": "integer", "minimum": 1, "maximum": 500})
                elif name == "q" and parameter.get("required"):
                    schema.update({"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"\S"})
                elif name == "limit" and path.endswith("/search/"):
                    schema.update({"type": "integer", "minimum": 1, "maximum": 50})
                elif name == "offset" and path.endswith("/search/"):
                    schema.update({"type": "integer", "minimum": 0, "maximum": MAX_OFFSET})
                elif name in FREE_TEXT_ENUMS and "enum" not in schema:
                    schema["enum"] = FREE_TEXT_ENUMS[name]
                elif name in {"date_from", "date_to"}:
                    parameter["schema"] = {"type": "string", "format": "date"}
                elif "enum" in schema and "" not in schema["enum"] and not parameter.get("required"):
                    schema["enum"] = ["", *schema["enum"]]
            responses = operation.get("responses", {})
            ok = responses.get("200")
            if ok is not None:
                ok["headers"] = {
                    name: {"description": text, "schema": {"type": "string"}}
                    for name, text in HEADERS.items()
                }
            if "429" in responses:
                responses["429"]["headers"] = RETRY_AFTER
            for code, description in EXTRA_RESPONSES.items():
                responses.setdefault(code, {"description": description})
    return result
