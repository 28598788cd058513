"""Language links: the same page in each of the portal's languages."""

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.translation import get_language

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
    return format_html_join("\n", '<link rel="alternate" hreflang="{}" href="{}">', rows)


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    current = get_language()
    path = request.path if request else "/"
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": _with_prefix(path, code),
                "current": code == current,
            }
            for code, name in settings.LANGUAGE_NAMES_NATIVE
        ]
    }
