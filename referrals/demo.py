"""Illustrative partner institutions, cooperations and referral routes for the demo
municipalities (all flagged `is_demo`), from data/demo_routes.yaml. The institutions are real
ones of the region; the routes, channels and promises are invented for the demonstration.
Idempotent: a municipality that already has demo routes is skipped."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from directory.models import County, Journey, Municipality, Role

from .models import Channel, Cooperation, PartnerInstitution, PartnerKind, ReferralRoute

DEMO_FILE = Path(__file__).parent / "data" / "demo_routes.yaml"
LANGUAGES = ("et", "ru", "en")


def _partners(rows: list[dict]) -> dict[str, PartnerInstitution]:
    counties = {c.ehak: c for c in County.objects.all()}
    found = {}
    for row in rows:
        if row["county"] not in counties:
            continue
        partner, created = PartnerInstitution.objects.get_or_create(
            name_et=row["name"]["et"],
            defaults={
                "kind": row["kind"],
                "name_ru": row["name"]["ru"],
                "name_en": row["name"]["en"],
                "registry_code": row["registry_code"],
                "address": row["address"],
                "county": counties[row["county"]],
                "is_demo": True,
            },
        )
        if created and row["serves"]:
            partner.municipalities.set(Municipality.objects.filter(code__in=row["serves"]))
        found[partner.name_et] = partner
    return found


def _serves(partner: PartnerInstitution, municipality: Municipality) -> bool:
    served = [m.pk for m in partner.municipalities.all()]
    return municipality.pk in served if served else partner.county_id == municipality.county_id


def _channel(municipality: Municipality, channel: str, days: int) -> dict:
    site = (municipality.website or f"{municipality.code}.example").removeprefix("https://").strip("/")
    return {
        Channel.PHONE: {"channel_phone": f"+372 33{days} {1000 + len(municipality.code) * 37}"},
        Channel.EMAIL: {"channel_email": f"sotsiaal@{site}"},
        Channel.E_FORM: {"channel_name": "e-teenused", "channel_url": f"https://{site}/e-teenused"},
        Channel.NATIONAL_SYSTEM: {
            "channel_name": "STAR",
            "channel_url": "https://www.sotsiaalkindlustusamet.ee/",
        },
        Channel.IN_PERSON: {},
    }[channel]


@transaction.atomic
def load_referral_demo_data() -> dict[str, int]:
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    counts = {"partners": 0, "cooperations": 0, "routes": 0}
    partners = _partners(data["partners"])
    counts["partners"] = len(partners)
    roles = {r.code: r for r in Role.objects.all()}
    journeys = {j.code: j for j in Journey.objects.all()}
    texts = data["texts"]
    for municipality in Municipality.objects.filter(code__in=data["routes"]):
        if ReferralRoute.objects.filter(municipality=municipality, is_demo=True).exists():
            continue
        for partner in partners.values():
            if _serves(partner, municipality):
                Cooperation.objects.get_or_create(
                    municipality=municipality, partner=partner, defaults={"is_demo": True}
                )
                counts["cooperations"] += 1
        for row in data["routes"][municipality.code]:
            if row["journey"] not in journeys or row["role"] not in roles:
                continue
            named = partners.get(row["partner"]) if row["partner"] not in PartnerKind.values else None
            route = ReferralRoute(
                municipality=municipality,
                partner=named,
                partner_kind="" if named else row["partner"],
                journey=journeys[row["journey"]],
                kov_role=roles[row["role"]],
                channel=row["channel"],
                response_days=row["days"],
                is_demo=True,
                **_channel(municipality, row["channel"], row["days"]),
            )
            for field, values in (*texts[row["journey"]].items(), ("consent_note", texts["consent_note"])):
                for lang in LANGUAGES:
                    setattr(route, f"{field}_{lang}", values[lang])
            route.save()
            counts["routes"] += 1
    return counts
