"""Template tags for "how to get the help" boxes that a page includes without its view
knowing about them (the municipality page's "how to apply" box)."""

from django import template

from directory.models import HowToApply, Municipality

register = template.Library()


@register.simple_tag
def default_how_to_apply(municipality: Municipality | None) -> HowToApply | None:
    """The municipality-wide way to apply (taotlemine), or None."""
    if municipality is None:
        return None
    # At most one default per municipality (a unique constraint): ordered by pk, not by
    # HowToApply's Meta.ordering, which joins the municipality, component and service tables.
    return HowToApply.objects.defaults().filter(municipality=municipality).order_by("pk").first()
