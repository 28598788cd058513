"""The open dataset of referral routes (one row per published route in force today, with its
partner institution where one is named). Rows as opendata/datasets.py expects them."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from directory.models.offers import today

from .models import ReferralRoute

TITLE = _("Referral routes")
DESCRIPTION = _(
    "Per municipality: whom a hospital, family doctor, school, the police or Töötukassa tells at the "
    "municipality when they notice someone in need, through which channel, and within how many "
    "working days the municipality contacts the person."
)
KEYWORDS = (_("referral routes"), _("partner institutions"), _("linked systems"))
ROUTE_COLUMNS = (
    "route_id",
    "municipality_code",
    "municipality_ehak",
    "municipality_name",
    "county_code",
    "partner_kind",
    "partner_name",
    "partner_registry_code",
    "journey_code",
    "target_group_code",
    "kov_role_code",
    "channel",
    "channel_name",
    "channel_url",
    "channel_phone",
    "channel_email",
    "response_working_days",
    "passes_on_et",
    "consent_note_et",
    "tell_family_et",
    "tell_family_ru",
    "tell_family_en",
    "valid_from",
    "valid_to",
    "is_demo",
)


def route_rows() -> Iterator[tuple]:
    routes = (
        ReferralRoute.objects.public(today())
        .select_related("municipality__county", "partner", "journey", "target_group", "kov_role")
        .order_by("municipality__code", "pk")
    )
    for r in routes:
        yield (
            r.pk,
            r.municipality.code,
            r.municipality.ehak,
            r.municipality.name_et,
            r.municipality.county.code,
            r.effective_partner_kind,
            r.partner.name_et if r.partner else "",
            r.partner.registry_code if r.partner else "",
            r.journey.code if r.journey else "",
            r.target_group.code if r.target_group else "",
            r.kov_role.code,
            r.channel,
            r.channel_name,
            r.channel_url,
            r.channel_phone,
            r.channel_email,
            r.response_days,
            r.passes_on_et or "",
            r.consent_note_et or "",
            r.tell_family_et or "",
            r.tell_family_ru or "",
            r.tell_family_en or "",
            r.valid_from.isoformat(),
            r.valid_to.isoformat() if r.valid_to else "",
            r.is_demo,
        )
