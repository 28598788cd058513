from django import template

register = template.Library()


@register.filter
def percent(share: float) -> int:
    """0.4567 → 46 (a share shown as a whole percentage)."""
    return round(100 * (share or 0))
