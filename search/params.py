"""Reading and checking search parameters, for the API and the search page alike.

Every problem is reported in the request's language and names the parameter; nothing about a
bad request reaches the backend."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from directory.models import County, Domain, Municipality, TargetGroup

from .backends.base import KINDS, SearchFilters

MAX_QUERY_LENGTH = 200
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
MAX_OFFSET = 1000
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@dataclass
class SearchRequest:
    text: str
    language: str
    filters: SearchFilters
    limit: int
    offset: int = 0


class InvalidSearch(ValueError):
    """Bad search parameters: `errors` maps each parameter to a message for the user."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


CODES_CACHE_KEY = "search:known-codes"
CODES_CACHE_SECONDS = 300


def known_codes() -> dict[str, dict[str, str]]:
    """Every valid filter value → its code (counties also by EHAK code). Cached for a few
    minutes: municipalities and catalogue codes change a few times a year."""
    codes = cache.get(CODES_CACHE_KEY)
    if codes is None:

        def same(model) -> dict[str, str]:
            return {code: code for code in model.objects.values_list("code", flat=True)}

        counties = same(County)
        counties.update(County.objects.values_list("ehak", "code"))
        codes = {
            "municipality": same(Municipality),
            "county": counties,
            "target_group": same(TargetGroup),
            "domain": same(Domain),
            "kind": {kind: kind for kind in KINDS},
        }
        cache.set(CODES_CACHE_KEY, codes, CODES_CACHE_SECONDS)
    return codes


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
    raw_offset = params.get("offset") or "0"
    try:
        offset = int(raw_offset)
    except ValueError:
        offset = -1
    if not 0 <= offset <= MAX_OFFSET:
        errors["offset"] = _("The offset must be a whole number from 0 to %(max)d.") % {"max": MAX_OFFSET}
    codes = {}
    known = known_codes()
    messages = {
        "municipality": _("Unknown municipality code '%(value)s'."),
        "county": _("Unknown county '%(value)s'; give its code or EHAK code."),
        "target_group": _("Unknown target group code '%(value)s'."),
        "domain": _("Unknown life domain code '%(value)s'."),
        "kind": _("Unknown kind '%(value)s'; use one of: %(choices)s."),
    }
    for name, valid in known.items():
        value = (params.get(name) or "").strip().replace("\x00", "")
        if not value:
            continue
        found = valid.get(value)
        if found is None:
            errors[name] = messages[name] % {"value": value[:100], "choices": ", ".join(KINDS)}
        else:
            codes[name] = found
    if errors:
        raise InvalidSearch(errors)
    return SearchRequest(text=text, language=lang, filters=SearchFilters(**codes), limit=limit, offset=offset)
