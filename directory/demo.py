"""Illustrative demo data: providers, offers, price lists with history and contact persons for
every municipality. Everything it creates is flagged `is_demo`, and pages that show it say so.

Prices are calibrated to the ranges municipalities actually publish
(data/catalogue/observed-prices.csv) and vary by region and size. Randomness is seeded by the
municipality's code, so a second run creates exactly what the first did — and skips it."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from . import models as m
from .catalogue import CATALOGUE_DIR

# What each catalogue entry is usually priced in, and a fallback median (EUR per unit) where
# observed-prices.csv has no figure. Components of the person-centred model are bought by
# the hour from special-care providers (observed: 27–55 EUR/h in the SKA ESF+ project).
PRICING: dict[str, tuple[str, float]] = {
    "home-care": ("hour", 5.5),
    "general-care": ("month", 1150.0),
    "support-person": ("hour", 7.0),
    "carer-for-adult": ("month", 60.0),
    "personal-assistant": ("hour", 7.5),
    "shelter": ("day", 12.0),
    "safe-house": ("day", 40.0),
    "social-transport": ("km", 0.4),
    "housing-provision": ("month", 90.0),
    "debt-counselling": ("hour", 22.0),
    "childcare": ("hour", 8.3),
    "substitute-care": ("month", 2280.0),
    "aftercare": ("month", 250.0),
    "social-counselling": ("consultation", 15.0),
    "day-care": ("daytime", 13.0),
    "interval-care": ("day", 48.0),
    "home-adaptation": ("visit", 60.0),
    "care-coordination": ("hour", 25.0),
    "case-management": ("hour", 28.0),
    "assistive-devices": ("month", 12.0),
    "social-rehabilitation": ("hour", 29.0),
    "special-care-daily-living": ("month", 400.0),
    "special-care-employment": ("month", 269.0),
    "special-care-community-living": ("month", 1212.0),
    "special-care-supported-living": ("month", 480.0),
    "special-care-24h": ("month", 1317.0),
}
COMPONENT_PRICING = ("hour", 45.0)

# observed-prices.csv names services in Estonian; these are the ones we can map to codes.
OBSERVED_NAMES = {
    "koduteenus": "home-care",
    "üldhooldusteenus (hooldekodu kohatasu)": "general-care",
    "tugiisikuteenus": "support-person",
    "isikliku abistaja teenus": "personal-assistant",
    "sotsiaaltransporditeenus": "social-transport",
    "lapsehoiuteenus": "childcare",
    "päevahoid / päevakeskus": "day-care",
    "intervallhooldus": "interval-care",
    "võlanõustamisteenus": "debt-counselling",
    "asendushooldusteenus": "substitute-care",
    "sotsiaalne rehabilitatsioon (SKA hinnakiri)": "social-rehabilitation",
}
OBSERVED_UNITS = {
    "EUR/h": "hour",
    "EUR/month": "month",
    "EUR/day": "daytime",
    "EUR/24h": "day",
    "EUR/km": "km",
    "EUR/trip": "trip",
    "EUR/visit": "visit",
}

# Regional level relative to the national median: the capital region pays most.
COUNTY_LEVEL = {"0037": 1.15, "0079": 1.05, "0045": 0.92, "0068": 1.0}

FIRST_NAMES_ET = ["Mari", "Kadri", "Liis", "Tiina", "Kersti", "Anu", "Piret", "Jaan", "Margus", "Tiit"]
LAST_NAMES_ET = ["Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel"]
FIRST_NAMES_RU = ["Irina", "Olga", "Svetlana", "Natalja", "Jelena", "Sergei", "Aleksei", "Tatjana"]
LAST_NAMES_RU = ["Ivanova", "Smirnova", "Kuznetsova", "Petrova", "Volkova", "Sokolov", "Orlov"]

CONTACT_ROLES = ["social-worker", "case-manager", "care-coordinator", "child-protection-worker"]
RECEPTION_HOURS = {
    "et": "E, K 9–12 ja 13–16; teistel aegadel kokkuleppel",
    "ru": "Пн, Ср 9–12 и 13–16; в другое время по договорённости",
    "en": "Mon, Wed 9–12 and 13–16; other times by appointment",
}
CENT = Decimal("0.01")
PRICE_DATES = [dt.date(2023, 1, 1), dt.date(2024, 1, 1), dt.date(2025, 1, 1)]


def observed_medians() -> dict[str, dict[str, float]]:
    """Median observed price per catalogue code and unit."""
    samples: dict[tuple[str, str], list[float]] = {}
    with (CATALOGUE_DIR / "observed-prices.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = OBSERVED_NAMES.get(row["service_et"])
            unit = OBSERVED_UNITS.get(row["unit"])
            try:
                price = float(row["price_eur"])
            except ValueError:
                continue
            if code and unit and price > 0:
                samples.setdefault((code, unit), []).append(price)
    medians: dict[str, dict[str, float]] = {}
    for (code, unit), prices in samples.items():
        medians.setdefault(code, {})[unit] = statistics.median(prices)
    return medians


def _rng(*parts: str) -> random.Random:
    seed = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return random.Random(int(seed[:16], 16))  # noqa: S311 - demo data, not security


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _registry_code(rng: random.Random, first_digit: str) -> str:
    return first_digit + "".join(str(rng.randint(0, 9)) for _ in range(7))


def _phone(rng: random.Random) -> str:
    return f"+372 5{rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def _ascii(text: str) -> str:
    table = str.maketrans("õäöüšžÕÄÖÜŠŽ", "oaouszOAOUSZ")
    return text.translate(table).lower()


class DemoBuilder:
    def __init__(self):
        self.medians = observed_medians()
        self.units = {u.code: u for u in m.Unit.objects.all()}
        self.roles = {r.code: r for r in m.Role.objects.all()}
        self.groups = list(m.TargetGroup.objects.all())
        self.catalogue = list(m.Component.objects.all()) + list(m.Service.objects.all())

    def build(self, codes: list[str] | None = None) -> dict[str, int]:
        """Every municipality's demo data, or only those with the given codes."""
        counts = {"municipalities": 0, "offers": 0, "prices": 0, "contacts": 0}
        municipalities = m.Municipality.objects.select_related("county")
        if codes is not None:
            municipalities = municipalities.filter(code__in=codes)
        for municipality in municipalities:
            if m.Offer.objects.filter(municipality=municipality, is_demo=True).exists():
                continue  # already built on an earlier run
            with transaction.atomic():
                self._municipality(municipality, counts)
            counts["municipalities"] += 1
        return counts

    def _municipality(self, municipality: m.Municipality, counts: dict[str, int]) -> None:
        rng = _rng(municipality.code)
        ida_viru = municipality.county.ehak == "0045"
        is_town = municipality.kind == "linn" or municipality.code in {"tallinn", "tartu-linn"}
        level = COUNTY_LEVEL.get(municipality.county.ehak, 0.97) * rng.uniform(0.9, 1.1)
        languages = ["et", "ru"] if ida_viru else (["et", "en"] if rng.random() < 0.5 else ["et"])
        if municipality.code == "tallinn":
            languages = ["et", "ru", "en"]

        own = m.Provider.objects.create(
            name_et=f"{municipality.name_et} sotsiaalosakond",
            # the municipality's own department has a name in each language; others keep theirs
            name_ru=f"Социальный отдел ({municipality.name_ru})" if municipality.name_ru else None,
            name_en=f"{municipality.name_en} Social Welfare Department" if municipality.name_en else None,
            registry_code=_registry_code(rng, "7"),
            kind=m.offers.ProviderKind.KOV,
            email=f"sotsiaal@{municipality.code}.example",
            phone=_phone(rng),
            is_demo=True,
        )
        partners = [
            m.Provider.objects.create(
                name_et=name,
                registry_code=_registry_code(rng, digit),
                kind=kind,
                email=f"info@{_ascii(name).split()[0]}-{municipality.code}.example",
                phone=_phone(rng),
                is_demo=True,
            )
            for name, kind, digit in [
                (f"MTÜ {municipality.name_et.split()[0]} Tugi", "ngo", "8"),
                (f"SA {municipality.name_et.split()[0]} Hoolekandekeskus", "foundation", "9"),
                (f"{municipality.name_et.split()[0]} Hooldus OÜ", "company", "1"),
            ]
        ]

        coverage = 0.8 if is_town else 0.6
        for item in self.catalogue:
            if rng.random() > coverage:
                continue
            provider = own if rng.random() < 0.3 else rng.choice(partners)
            self._offer(municipality, item, provider, rng, level, languages, counts)
            # Some towns buy the same help from a second provider.
            if is_town and rng.random() < 0.15:
                self._offer(municipality, item, rng.choice(partners), rng, level, languages, counts)

        for role_code in CONTACT_ROLES:
            for _ in range(2 if (role_code == "social-worker" and is_town) else 1):
                self._contact(municipality, role_code, rng, ida_viru, languages)
                counts["contacts"] += 1

    def _offer(self, municipality, item, provider, rng, level, languages, counts) -> None:
        is_component = isinstance(item, m.Component)
        unit_code, fallback = COMPONENT_PRICING if is_component else PRICING.get(item.code, ("hour", 20.0))
        median = self.medians.get(item.code, {}).get(unit_code, fallback)
        work_forms = list(item.work_forms) if is_component else ["individual"]
        offer = m.Offer.objects.create(
            municipality=municipality,
            component=item if is_component else None,
            service=None if is_component else item,
            provider=provider,
            work_forms=work_forms,
            languages=languages,
            last_verified=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 600)),
            valid_from=dt.date(2023, 1, 1),
            is_demo=True,
        )
        offer.target_groups.set(
            item.services.first().target_groups.all()
            if is_component and item.services.exists()
            else (item.target_groups.all() if not is_component else rng.sample(self.groups, 2))
        )
        counts["offers"] += 1
        history = PRICE_DATES[rng.randint(0, 2) :]
        price = median * level * (0.85 ** (len(history) - 1))
        for valid_from in history:
            individual = _money(price)
            group = _money(price * 0.45) if "group" in work_forms else None
            share_percent = None
            share_amount = None
            if not is_component and rng.random() < 0.4:
                share_percent = Decimal(rng.choice([10, 15, 20, 25, 50]))
            elif not is_component and rng.random() < 0.2:
                share_amount = _money(min(float(individual), rng.choice([1, 2, 3.5, 5])))
            m.Price(
                offer=offer,
                unit=self.units[unit_code],
                price_individual=individual,
                price_group=group,
                client_share_amount=share_amount,
                client_share_percent=share_percent,
                valid_from=valid_from,
            ).publish()
            counts["prices"] += 1
            price *= rng.uniform(1.08, 1.2)

    def _contact(self, municipality, role_code, rng, ida_viru, languages) -> None:
        russian = ida_viru and rng.random() < 0.6
        first = rng.choice(FIRST_NAMES_RU if russian else FIRST_NAMES_ET)
        last = rng.choice(LAST_NAMES_RU if russian else LAST_NAMES_ET)
        role = self.roles[role_code]
        m.ContactPerson.objects.create(
            municipality=municipality,
            role=role,
            name=f"{first} {last}",
            job_title_et=role.name_et,
            job_title_ru=role.name_ru,
            job_title_en=role.name_en,
            phone=_phone(rng),
            email=f"{_ascii(first)}.{_ascii(last)}@{municipality.code}.example",
            reception_hours_et=RECEPTION_HOURS["et"],
            reception_hours_ru=RECEPTION_HOURS["ru"],
            reception_hours_en=RECEPTION_HOURS["en"],
            languages=(["et", "ru"] if russian or ida_viru else languages),
            contact_for_et=role.contact_for_et,
            contact_for_ru=role.contact_for_ru,
            contact_for_en=role.contact_for_en,
            direct_phone=_phone(rng),
            duty_phone=_phone(rng) if role_code in {"child-protection-worker", "care-coordinator"} else "",
            last_verified=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 600)),
            valid_from=dt.date(2023, 1, 1),
            is_demo=True,
        )


def load_demo_data(codes: list[str] | None = None) -> dict[str, int]:
    return DemoBuilder().build(codes)
