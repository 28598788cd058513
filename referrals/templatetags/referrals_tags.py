from django import template

from referrals import reading

register = template.Library()


@register.simple_tag
def journey_routes(municipality, journey):
    """The municipality's agreed routes for a journey (for its "noticing" steps)."""
    if municipality is None:
        return []
    return reading.routes_for(municipality, reading.Situation(journey=journey))


@register.simple_tag
def first_noticing_step(step_views) -> int | None:
    """The first "noticing" step of a journey: where its routes are shown (once)."""
    return next(
        (view.step.pk for view in step_views if view.step.stage and view.step.stage.code == "noticing"), None
    )
