"""Refusals as real HTTP 403 responses.

Wagtail answers PermissionDenied in the admin with a redirect to the dashboard; for another
KOV's data we answer with a plain 403 page instead, so the refusal is unambiguous (to people,
assistive technology and tests) and nothing of the object is rendered."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse


def forbidden(request):
    return TemplateResponse(request, "publishing/forbidden.html", status=403)


def refuse_with_403(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)
        return response

    return wrapped


class RefuseWith403ViewSetMixin:
    """Wraps every view a Wagtail viewset builds."""

    def construct_view(self, view_class, **kwargs):
        return refuse_with_403(super().construct_view(view_class, **kwargs))
