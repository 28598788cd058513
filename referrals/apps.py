from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Linked systems (partner institutions) and the KOVs' referral routes."""

    name = "referrals"
    label = "referrals"
    verbose_name = _("Referral routes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Routes and cooperations belong to one KOV and go through the publishing workflow:
        an edit of a published one waits for a moderator (publishing.registry)."""
        from publishing.registry import Reviewed, register

        from .models import Cooperation, ReferralRoute

        def published(row) -> bool:
            return row.status == "published"

        register(Reviewed(ReferralRoute, published=published))
        register(Reviewed(Cooperation, published=published, locked=("municipality", "partner")))
