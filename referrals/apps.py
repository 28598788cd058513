from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Linked systems (partner institutions) and the KOVs' referral routes."""

    name = "referrals"
    label = "referrals"
    verbose_name = _("Referral routes")
    default_auto_field = "django.db.models.BigAutoField"
