"""Language links: the same page in each of the portal's languages."""

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory import l10n

register = template.Library()


def _with_prefix(path: str, code: str) -> str:
    """Wagtail's catch-all route is not translated by translate_url; swap the prefix by hand."""
    parts = path.split("/", 2)
    codes = {c for c, _ in settings.LANGUAGES}
    if len(parts) > 1 and parts[1] in codes:
        parts[1] = code
        return "/".join(parts)
    return f"/{code}{path}"


@register.simple_tag(takes_context=True)
def alternate_links(context):
    request = context.get("request")
    if request is None:
        return ""
    base = request.build_absolute_uri("/")[:-1]
    rows = [(code, base + _with_prefix(request.path, code)) for code, _ in settings.LANGUAGES]
    rows.append(("x-default", base + _with_prefix(request.path, settings.LANGUAGE_CODE)))
    return format_html_join("\n", '<link rel="alternate" hreflang="{}" href="{}">', rows)


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    current = get_language()
    path = request.path if request else "/"
    # The same page in another language keeps what was asked of it (a search and its filters).
    query = f"?{request.GET.urlencode()}" if request and request.GET else ""
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": _with_prefix(path, code) + query,
                "current": code == current,
            }
            for code, name in settings.LANGUAGE_NAMES_NATIVE
        ]
    }


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, *trail):
    """Where the page sits: home, then `trail` — the label and URL of each page above this
    one, then this page's label (its URL is the request's). No BreadcrumbList in JSON-LD: a
    page carries one JSON-LD graph, written in <head> before the breadcrumbs are known."""
    *above, current = trail
    crumbs = [(_("Home"), f"/{get_language()}/"), *zip(above[::2], above[1::2], strict=True)]
    crumbs.append((current, context["request"].get_full_path()))
    return {"crumbs": crumbs}


# -- translated text that may fall back to Estonian --------------------------------------


def _is_fallback(obj, field: str) -> bool:
    """True when the active language is not Estonian and the object's own column for it is
    empty, so modeltranslation shows the Estonian text instead."""
    language = get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or obj is None:
        return False
    if not hasattr(obj, f"{field}_{language}"):
        return False
    return not getattr(obj, f"{field}_{language}") and bool(getattr(obj, field, ""))


def _untranslated_note():
    from django.utils.translation import gettext

    return format_html('<span class="untranslated">{}</span>', gettext("not translated yet"))


@register.simple_tag
def tr(obj, field: str, multiline: bool = False):
    """A translated field's text. Text shown in Estonian on a Russian or English page is
    marked lang="et" and followed by a visible "not translated yet" note."""
    from django.utils.html import linebreaks

    value = getattr(obj, field, "") or ""
    # linebreaks() escapes only when asked to: editors' text must never become markup.
    text = mark_safe(linebreaks(value, autoescape=True)) if multiline else value  # noqa: S308
    return marked(text, _is_fallback(obj, field), multiline)


def marked(text: str, is_fallback: bool, block: bool = False):
    """Escaped text (or already safe HTML); Estonian text standing in for a missing translation
    is marked lang="et" and followed by the visible "not translated yet" note."""
    body = conditional_escape(text)
    if not is_fallback:
        return body
    tag = "div" if block else "span"
    note = _untranslated_note()
    return format_html('<{} lang="{}">{}</{}> {}', tag, settings.LANGUAGE_CODE, body, tag, note)


@register.simple_tag
def fragment_cache():
    """(timeout, key part) for `{% cache %}` fragments of published content: keyed on the content
    version and the day (portal.memo.fragment_cache)."""
    from portal.memo import fragment_cache as arguments

    return arguments()


@register.simple_tag
def tr_list(obj, field: str) -> dict:
    """A translated list (a component's "what it includes"): {"lines": the active language's
    lines, or the Estonian ones when it has none, "lang": ' lang="et"' for those, "note": the
    visible "not translated yet" note for those}."""
    language = get_language() or settings.LANGUAGE_CODE
    own = getattr(obj, f"{field}_{language}", None) or []
    if own or language == settings.LANGUAGE_CODE:
        return {"lines": own, "lang": "", "note": ""}
    source = getattr(obj, f"{field}_{settings.LANGUAGE_CODE}", None) or []
    return {
        "lines": source,
        "lang": format_html(' lang="{}"', settings.LANGUAGE_CODE) if source else "",
        "note": _untranslated_note() if source else "",
    }


@register.simple_tag
def settlement_name(settlement):
    """A village's or town's name in the page's language: Cyrillic on Russian pages, else the
    Estonian name (EHAK's), marked lang="et" on English ones."""
    from directory.places_lookup import settlement_name as name_of

    text, lang = name_of(settlement, get_language() or settings.LANGUAGE_CODE)
    return format_html('<span lang="{}">{}</span>', lang, text) if lang else text


# -- structured data, money, sorting ---------------------------------------------------------


@register.simple_tag
def jsonld(data):
    """A JSON-LD block from a dict, or one already made (structured_data.to_script)."""
    from portal.structured_data import to_script

    if isinstance(data, SafeString):
        return data
    return to_script(data) if data else ""


@register.filter
def euros(amount):
    """12.5 → "12,50 €" in Estonian and Russian, "12.50 €" in English, "—" without an amount."""
    return l10n.euros(amount)


@register.filter
def number(value, places=2):
    """12.5 → "12,50" (et, ru) / "12.50" (en); `|number:0` rounds, `|number:""` keeps the digits."""
    return l10n.number(value, None if places == "" else int(places))


@register.filter
def percent(value):
    """12.5 → "12,5 %" (et, ru)."""
    return l10n.percent(value)


@register.simple_tag
def sort_link(current: str, key: str, query: str) -> str:
    """?sort= link of a column: ascending first, the other way when already sorted by it."""
    target = key
    if key == "price" and current == "price":
        target = "-price"
    return "?" + "&".join(part for part in (query, f"sort={target}") if part)


@register.simple_tag
def aria_sort(current: str, key: str) -> str:
    if key == "price":
        if current == "price":
            return format_html(' aria-sort="{}"', "ascending")
        if current == "-price":
            return format_html(' aria-sort="{}"', "descending")
        return ""
    return format_html(' aria-sort="{}"', "ascending") if current == key else ""
