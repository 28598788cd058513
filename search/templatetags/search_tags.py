"""Links that change one search parameter and keep the others."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def search_url(context, name: str, value: str = "") -> str:
    """The current search with `name` set to `value` (removed when empty)."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)  # a new filter starts at the first page
    if value and not (name == "page" and str(value) == "1"):
        params[name] = str(value)
    else:
        params.pop(name, None)
    return "?" + params.urlencode()
