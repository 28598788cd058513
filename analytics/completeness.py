"""Completeness: how far each municipality has published its statutory services.

A statutory service is a social service the Social Welfare Act makes the municipality
organise (`Service.organiser == "kov"`). For each KOV and each such service four checks:

- described: an offer is in force;
- priced: one of those offers has a published price in force;
- contact: the KOV names a contact person in force for the role that handles the service
  (see CONTACT_ROLES);
- verified: one of those offers was checked (`last_verified`) within the last 12 months.

A KOV's score is the share of checks passed, over all statutory services."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from directory.models import ContactPerson, County, Municipality, Offer, Price, Service
from directory.models.catalogue import Organiser
from directory.models.offers import today

DEFAULT_CONTACT_ROLE = "social-worker"
# Who answers for a service: care coordination has its care coordinator, case management its
# case manager, and the child-welfare services the child-protection worker (*lastekaitsetöötaja*).
CONTACT_ROLES = {
    "care-coordination": "care-coordinator",
    "case-management": "case-manager",
    "childcare": "child-protection-worker",
    "substitute-care": "child-protection-worker",
    "aftercare": "child-protection-worker",
}
VERIFIED_WITHIN_DAYS = 365

CHECKS = ("described", "priced", "contact", "verified")
CHECK_LABELS = {
    "described": _("described"),
    "priced": _("priced"),
    "contact": _("contact named"),
    "verified": _("verified within 12 months"),
}


def contact_role(service: Service) -> str:
    return CONTACT_ROLES.get(service.code, DEFAULT_CONTACT_ROLE)


@dataclass
class Check:
    service: Service
    described: bool
    priced: bool
    contact: bool
    verified: bool

    @property
    def passed(self) -> int:
        return sum((self.described, self.priced, self.contact, self.verified))

    @property
    def complete(self) -> bool:
        return self.passed == len(CHECKS)

    @property
    def boxes(self) -> str:
        """Four boxes, filled where the check passes, in the order of CHECKS."""
        return "".join("■" if getattr(self, name) else "□" for name in CHECKS)

    @property
    def missing_labels(self) -> list[str]:
        return [str(CHECK_LABELS[name]) for name in CHECKS if not getattr(self, name)]

    def as_dict(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in CHECKS}


@dataclass
class KovCompleteness:
    municipality: Municipality
    checks: list[Check]

    def count(self, name: str) -> int:
        return sum(1 for c in self.checks if getattr(c, name))

    @property
    def described(self) -> int:
        return self.count("described")

    @property
    def priced(self) -> int:
        return self.count("priced")

    @property
    def contact(self) -> int:
        return self.count("contact")

    @property
    def verified(self) -> int:
        return self.count("verified")

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.checks)

    @property
    def possible(self) -> int:
        return len(self.checks) * len(CHECKS)

    @property
    def score(self) -> int:
        """Percentage of checks passed, rounded half up to a whole number."""
        return math.floor(100 * self.passed / self.possible + 0.5) if self.possible else 0


@dataclass
class CompletenessReport:
    date: dt.date
    services: list[Service]
    rows: list[KovCompleteness]

    def service_totals(self) -> list[dict]:
        totals = []
        for index, service in enumerate(self.services):
            checks = [row.checks[index] for row in self.rows]
            totals.append(
                {"service": service, **{name: sum(1 for c in checks if getattr(c, name)) for name in CHECKS}}
            )
        return totals


def completeness(
    *, county: County | None = None, sort: str = "", date: dt.date | None = None
) -> CompletenessReport:
    """The statutory services × municipalities table, in five queries."""
    date = date or today()
    services = list(Service.objects.filter(organiser=Organiser.KOV).order_by("position", "code"))
    municipalities = Municipality.objects.all()
    if county:
        municipalities = municipalities.filter(county=county)
    municipalities = municipalities.by_county_and_name()
    muni_ids = [m.pk for m in municipalities]

    offers = Offer.objects.public(date).filter(service__in=services, municipality__in=muni_ids)
    described, verified = set(), set()
    since = date - dt.timedelta(days=VERIFIED_WITHIN_DAYS)
    for muni_id, service_id, last_verified in offers.values_list(
        "municipality_id", "service_id", "last_verified"
    ):
        described.add((muni_id, service_id))
        if last_verified and since <= last_verified <= date:
            verified.add((muni_id, service_id))
    priced = set(
        Price.objects.on(date)
        .filter(offer__in=offers.values("pk"))
        .values_list("offer__municipality_id", "offer__service_id")
    )
    roles: dict[int, set[str]] = defaultdict(set)
    for muni_id, role_code in (
        ContactPerson.objects.on(date)
        .filter(municipality__in=muni_ids)
        .values_list("municipality_id", "role__code")
    ):
        roles[muni_id].add(role_code)

    rows = []
    for muni in municipalities:
        checks = [
            Check(
                service,
                described=(muni.pk, service.pk) in described,
                priced=(muni.pk, service.pk) in priced,
                contact=contact_role(service) in roles[muni.pk],
                verified=(muni.pk, service.pk) in verified,
            )
            for service in services
        ]
        rows.append(KovCompleteness(muni, checks))
    if sort == "score":
        rows.sort(key=lambda r: (r.score, r.municipality.name))
    return CompletenessReport(date, services, rows)
