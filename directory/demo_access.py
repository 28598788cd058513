"""Illustrative demo data for "how to get the help": a default way to apply per municipality,
service locations with opening hours and accessibility, eligibility per offer, and free
places / waiting times for the help that has places. All of it is flagged `is_demo`.

Locations lie near the municipality's representative point (a settlement centroid where
directory.Settlement exists). Randomness is seeded by the municipality's code; a municipality
that already has its demo default is skipped, so a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Case, When

from . import models as m
from .demo import _phone, _rng
from .models.access import in_estonia
from .models.offers import today

APPLY_TEXTS = {
    "in_person": {
        "et": "{name}, sotsiaalosakond (vastuvõtuaegadel)",
        "ru": "{name}, отдел социальной работы (в приёмные часы)",
        "en": "{name}, social department (during reception hours)",
    },
    "documents": {
        "et": "Taotlus (vorm veebis või kohapeal)\nIsikut tõendav dokument\n"
        "Puude või töövõime otsus, kui see on olemas",
        "ru": "Заявление (бланк на сайте или на месте)\nДокумент, удостоверяющий личность\n"
        "Решение об инвалидности или трудоспособности, если есть",
        "en": "Application (form online or on site)\nIdentity document\n"
        "Decision on disability or work ability, if you have one",
    },
    "decided_by": {
        "et": "sotsiaalosakonna spetsialist",
        "ru": "специалист отдела социальной работы",
        "en": "a specialist of the social department",
    },
    "next_steps": {
        "et": "Sotsiaaltöötaja võtab ühendust, hindab abivajadust (vajadusel kodukülastusel) ja "
        "teeb otsuse. Otsuse saate kirjalikult; sellega mittenõustumisel võib esitada vaide.",
        "ru": "Социальный работник свяжется с вами, оценит потребность в помощи (при необходимости "
        "на дому) и примет решение. Решение вы получите письменно; его можно обжаловать.",
        "en": "A social worker contacts you, assesses your needs (at home if needed) and decides. "
        "You get the decision in writing; you may contest it.",
    },
}
ELIGIBILITY_TEXTS = {
    "needs": {
        "et": "Abi saab selle KOV-i elanik, kelle abivajadus on hinnatud ja kes ei tule igapäevaeluga "
        "toime ilma selle abita.",
        "ru": "Помощь получает житель муниципалитета, чья потребность в помощи оценена и кто не "
        "справляется с повседневной жизнью без этой помощи.",
        "en": "Residents of the municipality whose needs have been assessed and who cannot manage "
        "daily life without this help.",
    },
    "open": {
        "et": "Abi saab iga selle KOV-i elanik; eelnevat otsust pole vaja.",
        "ru": "Помощь может получить любой житель муниципалитета; предварительное решение не нужно.",
        "en": "Any resident of the municipality; no prior decision is needed.",
    },
}
LOCATION_NAMES = {
    "kov": {"et": "Sotsiaalosakond", "ru": "Отдел социальной работы", "en": "Social department"},
    "ngo": {"et": "Päevakeskus", "ru": "Дневной центр", "en": "Day centre"},
    "foundation": {"et": "Hoolekandekeskus", "ru": "Центр попечения", "en": "Care centre"},
    "company": {"et": "Hoolduskeskus", "ru": "Центр ухода", "en": "Care home"},
}
ACCESSIBILITY_NOTE = {
    "et": "Sissepääs kaldtee kaudu hoovi poolt; abi saamiseks helistage ette.",
    "ru": "Вход по пандусу со стороны двора; если нужна помощь, позвоните заранее.",
    "en": "Ramp entrance from the courtyard; call ahead if you need help.",
}
HOLIDAY_NOTE = {"et": "jõulupühad", "ru": "рождественские праздники", "en": "Christmas holidays"}
SUMMER_NOTE = {"et": "suvepuhkus", "ru": "летний отпуск", "en": "summer closure"}
STREETS = ["Pikk", "Kesk", "Kooli", "Aia", "Vabaduse", "Tallinna", "Pargi", "Jaama"]

# Help given at the client's home, given remotely, and help that has places and a queue.
AT_HOME = {
    "home-care",
    "personal-assistant",
    "support-person",
    "carer-for-adult",
    "home-adaptation",
    "childcare",
}
REMOTE = {"social-counselling", "debt-counselling", "case-management", "care-coordination"}
HAS_PLACES = {
    "general-care",
    "day-care",
    "interval-care",
    "shelter",
    "safe-house",
    "home-care",
    "special-care-daily-living",
    "special-care-employment",
    "special-care-community-living",
    "special-care-supported-living",
    "special-care-24h",
    "housing-provision",
}
OPEN_TO_ALL = {"social-counselling", "debt-counselling", "social-transport"}
AGE_RANGES = {
    "childcare": (0, 17),
    "substitute-care": (0, 17),
    "aftercare": (18, 24),
    "general-care": (18, None),
}


def _translated(field: str, texts: dict[str, str], **fmt) -> dict[str, str]:
    return {f"{field}_{lang}": text.format(**fmt) for lang, text in texts.items()}


def settlement_points(municipality: m.Municipality) -> list[tuple[m.Settlement | None, float, float]]:
    """(settlement, latitude, longitude) to put locations on: the municipality's settlements'
    centroids (directory.Settlement), else the municipality's own point (no settlement)."""
    # Towns and small towns first: that is where service premises usually are.
    settlements = m.Settlement.objects.filter(municipality=municipality).order_by(
        Case(When(kind__in=["linn", "vallasisene linn", "alev", "linnaosa"], then=0), default=1), "code"
    )[:20]
    rows = [(s, s.latitude, s.longitude) for s in settlements if in_estonia(s.latitude, s.longitude)]
    if rows:
        return rows
    if in_estonia(municipality.latitude, municipality.longitude):
        return [(None, municipality.latitude, municipality.longitude)]
    return []


class AccessDemoBuilder:
    def build(self) -> dict[str, int]:
        counts = {"ways_to_apply": 0, "locations": 0, "eligibility": 0, "availability": 0}
        demo_defaults = set(
            m.HowToApply.objects.defaults().filter(is_demo=True).values_list("municipality_id", flat=True)
        )
        for municipality in m.Municipality.objects.select_related("county"):
            if municipality.pk in demo_defaults:
                continue
            with transaction.atomic():
                self._municipality(municipality, counts)
        return counts

    def _municipality(self, municipality: m.Municipality, counts: dict[str, int]) -> None:
        rng = _rng("access", municipality.code)
        name = municipality.name_et
        if not m.HowToApply.objects.defaults().filter(municipality=municipality).exists():
            m.HowToApply.objects.create(
                municipality=municipality,
                e_service_url=f"https://www.{municipality.code}.example/e-teenused/sotsiaalabi",
                form_url=f"https://www.{municipality.code}.example/dokumendid/sotsiaalabi-taotlus.pdf",
                phone=_phone(rng),
                decision_days=rng.choice([10, 14, 30]),
                is_demo=True,
                **_translated("in_person", APPLY_TEXTS["in_person"], name=name),
                **_translated("documents", APPLY_TEXTS["documents"]),
                **_translated("decided_by", APPLY_TEXTS["decided_by"]),
                **_translated("next_steps", APPLY_TEXTS["next_steps"]),
            )
            counts["ways_to_apply"] += 1

        offers = list(
            m.Offer.objects.filter(municipality=municipality, is_demo=True)
            .select_related("provider", "component", "service")
            .order_by("pk")
        )
        points = settlement_points(municipality)
        locations: dict[int, m.ServiceLocation] = {}
        for offer in offers:
            code = offer.item.code
            if offer.provider_id not in locations and points:
                locations[offer.provider_id] = self._location(municipality, offer.provider, points, rng)
                counts["locations"] += 1
            if code not in AT_HOME and offer.provider_id in locations:
                locations[offer.provider_id].offers.add(offer)
            if not hasattr_eligibility(offer):
                self._eligibility(offer, code, rng)
                counts["eligibility"] += 1
            if code in AT_HOME and points and len(points) > 3 and rng.random() < 0.3:
                self._service_area(offer, rng)
            if code in HAS_PLACES and not offer.availability.exists():
                self._availability(offer, rng)
                counts["availability"] += 1

    def _location(self, municipality, provider, points, rng) -> m.ServiceLocation:
        settlement, lat, lon = rng.choice(points)
        # A few hundred metres from the centroid, still inside the country.
        lat2, lon2 = lat + rng.uniform(-0.004, 0.004), lon + rng.uniform(-0.007, 0.007)
        if not in_estonia(lat2, lon2):
            lat2, lon2 = lat, lon
        names = LOCATION_NAMES.get(provider.kind, LOCATION_NAMES["ngo"])
        location = m.ServiceLocation.objects.create(
            provider=provider,
            municipality=municipality,
            street_address=f"{rng.choice(STREETS)} {rng.randint(1, 40)}",
            settlement=settlement,
            postal_code=f"{rng.randint(10000, 94999)}",
            latitude=round(lat2, 6),
            longitude=round(lon2, 6),
            phone=provider.phone or _phone(rng),
            step_free_entrance=rng.random() < 0.7,
            accessible_toilet=rng.random() < 0.5,
            hearing_loop=rng.random() < 0.15,
            accessible_parking=rng.random() < 0.5,
            is_demo=True,
            **_translated("name", {lang: f"{provider.name} — {text}" for lang, text in names.items()}),
            **(_translated("accessibility_note", ACCESSIBILITY_NOTE) if rng.random() < 0.5 else {}),
        )
        lunch = rng.random() < 0.5
        for weekday in range(5):
            if lunch:
                hours = [(dt.time(8, 30), dt.time(12, 0)), (dt.time(12, 30), dt.time(16, 30))]
            else:
                hours = [
                    (dt.time(8, 0), dt.time(19, 0) if weekday == 1 and rng.random() < 0.5 else dt.time(16, 0))
                ]
            for opens, closes in hours:
                m.OpeningHours.objects.create(location=location, weekday=weekday, opens=opens, closes=closes)
        if rng.random() < 0.25:
            m.OpeningHours.objects.create(
                location=location, weekday=5, opens=dt.time(10, 0), closes=dt.time(14, 0)
            )
        year = today().year
        m.OpeningException.objects.create(
            location=location,
            starts=dt.date(year, 12, 24),
            ends=dt.date(year, 12, 26),
            **_translated("note", HOLIDAY_NOTE),
        )
        if rng.random() < 0.3:
            m.OpeningException.objects.create(
                location=location,
                starts=dt.date(year + 1, 7, 6),
                ends=dt.date(year + 1, 7, 26),
                **_translated("note", SUMMER_NOTE),
            )
        return location

    def _service_area(self, offer, rng) -> None:
        """Help at home that reaches only some villages (a provider's round)."""
        settlements = list(
            m.Settlement.objects.filter(municipality_id=offer.municipality_id).order_by("code")
        )
        area, _created = m.ServiceArea.objects.get_or_create(offer=offer)
        area.settlements.set(rng.sample(settlements, min(len(settlements), rng.randint(3, 6))))

    def _eligibility(self, offer, code, rng) -> None:
        open_to_all = code in OPEN_TO_ALL
        age_min, age_max = AGE_RANGES.get(code, (None, None))
        m.Eligibility.objects.create(
            offer=offer,
            age_min=age_min,
            age_max=age_max,
            needs_assessment_required=not open_to_all,
            kov_decision_required=not open_to_all and rng.random() < 0.8,
            at_home=code in AT_HOME,
            remote=code in REMOTE,
            is_demo=True,
            **_translated("description", ELIGIBILITY_TEXTS["open" if open_to_all else "needs"]),
        )

    def _availability(self, offer, rng) -> None:
        capacity = rng.choice([8, 12, 15, 20, 30, 40, 60])
        free = max(0, int(capacity * rng.uniform(-0.3, 0.25)))
        m.Availability.objects.create(
            offer=offer,
            capacity=capacity,
            free_places=free,
            waiting_days=0 if free else rng.choice([14, 30, 45, 60, 90, 180]),
            # Some statements are older than the staleness period on purpose.
            as_of=today() - dt.timedelta(days=rng.choice([2, 5, 9, 14, 21, 45, 75])),
            is_demo=True,
        )


def hasattr_eligibility(offer: m.Offer) -> bool:
    return m.Eligibility.objects.filter(offer=offer).exists()


def load_access_demo_data() -> dict[str, int]:
    return AccessDemoBuilder().build()
