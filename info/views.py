from django.conf import settings
from django.views.generic import TemplateView


class InfoPage(TemplateView):
    """A fixed page; the few values it states (contact address, how long reports are kept)
    come from settings so the text never disagrees with what the portal does."""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "contact_email": settings.PORTAL_CONTACT_EMAIL,
            "retention_days": settings.FEEDBACK_RETENTION_DAYS,
        }
