from django import template

from referrals import reading

register = template.Library()


@register.simple_tag
def journey_routes(municipality, journey):
    """The municipality's agreed routes for a journey (for its "noticing" steps)."""
    if municipality is None:
        return []
    return reading.routes_for(municipality, reading.Situation(journey=journey))
