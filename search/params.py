"""Reading and checking search parameters, for the API and the search page alike.

Every problem is reported in the request's language and names the parameter; nothing about a
bad request reaches the backend."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from directory.models import County, Domain, Municipality, TargetGroup

from .backends.base import KINDS, SearchFilters

MAX_QUERY_LENGTH = 200
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@dataclass
class SearchRequest:
    text: str
    language: str
    filters: SearchFilters
    limit: int


class InvalidSearch(ValueError):
    """Bad search parameters: `errors` maps each parameter to a message for the user."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def _county(value: str) -> str | None:
    """A county by code ("ida-viru-maakond") or by EHAK code ("0045")."""
    county = County.objects.filter(code=value).first() or County.objects.filter(ehak=value).first()
    return county.code if county else None


def read_search_request(params, language: str, require_text: bool = True) -> SearchRequest:
    """Check query parameters (a QueryDict or dict); raises InvalidSearch."""
    errors: dict[str, str] = {}
    # Control characters (a NUL byte in a URL) mean nothing and some databases refuse them.
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in params.get("q") or "")
    text = " ".join(text.split())
    if not text and require_text:
        errors["q"] = _("Enter what you are looking for.")
    elif len(text) > MAX_QUERY_LENGTH:
        errors["q"] = _("The search text is too long: at most %(max)d characters.") % {
            "max": MAX_QUERY_LENGTH
        }
    lang = params.get("lang") or language
    if lang not in LANGUAGE_CODES:
        errors["lang"] = _("Unknown language '%(value)s'; use one of: %(choices)s.") % {
            "value": lang,
            "choices": ", ".join(LANGUAGE_CODES),
        }
        lang = language
    raw_limit = params.get("limit") or str(DEFAULT_LIMIT)
    try:
        limit = int(raw_limit)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = _("The limit must be a whole number from 1 to %(max)d.") % {"max": MAX_LIMIT}
    codes = {}
    checks = {
        "municipality": lambda v: v if Municipality.objects.filter(code=v).exists() else None,
        "county": _county,
        "target_group": lambda v: v if TargetGroup.objects.filter(code=v).exists() else None,
        "domain": lambda v: v if Domain.objects.filter(code=v).exists() else None,
        "kind": lambda v: v if v in KINDS else None,
    }
    messages = {
        "municipality": _("Unknown municipality code '%(value)s'."),
        "county": _("Unknown county '%(value)s'; give its code or EHAK code."),
        "target_group": _("Unknown target group code '%(value)s'."),
        "domain": _("Unknown life domain code '%(value)s'."),
        "kind": _("Unknown kind '%(value)s'; use one of: %(choices)s."),
    }
    for name, check in checks.items():
        value = (params.get(name) or "").strip().replace("\x00", "")
        if not value:
            continue
        found = check(value) if len(value) <= 100 else None
        if found is None:
            errors[name] = messages[name] % {"value": value[:100], "choices": ", ".join(KINDS)}
        else:
            codes[name] = found
    if errors:
        raise InvalidSearch(errors)
    return SearchRequest(text=text, language=lang, filters=SearchFilters(**codes), limit=limit)
