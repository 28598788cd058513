"""A partner's mirror of the directory, kept by the changes feed: what tests and the feed soak
use to prove that the feed delivers every change."""

from django.utils import timezone

# The offer's `price` is the price in force today: it moves with the calendar, not with a write
# to the offer, so a mirror recomputes it from the mirrored prices.
DATE_DEPENDENT = {"offer": {"price"}}
ENDPOINTS = {"price": "/api/v1/prices/", "offer": "/api/v1/offers/", "contact": "/api/v1/contacts/"}


def comparable(kind: str, row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in DATE_DEPENDENT.get(kind, set())}


class Mirror:
    def __init__(self):
        self.rows: dict[str, dict[int, dict]] = {kind: {} for kind in ENDPOINTS}
        self.cursor: str | None = None
        self.delivered = 0

    def sync(self, get, limit: int = 100) -> int:
        """Follow the feed from the saved cursor to its end; `get(url)` returns parsed JSON.
        Returns how many changes were applied."""
        url = f"/api/v1/changes/?limit={limit}" + (f"&cursor={self.cursor}" if self.cursor else "")
        applied = 0
        while url:
            body = get(url)
            for change in body["results"]:
                table = self.rows[change["type"]]
                if change["action"] == "deleted":
                    table.pop(change["id"], None)
                else:
                    table[change["id"]] = comparable(change["type"], change["data"])
                applied += 1
            self.cursor = body["cursor"]
            url = body["next"]
        self.delivered += applied
        return applied


def directory_as_served(get) -> dict[str, dict[int, dict]]:
    """Every public row, as the list endpoints serve it (history=1: every version)."""
    tables = {}
    for kind, endpoint in ENDPOINTS.items():
        rows, url = {}, f"{endpoint}?history=1&page_size=500"
        while url:
            body = get(url)
            rows.update({row["id"]: comparable(kind, row) for row in body["results"]})
            url = body["next"]
        tables[kind] = rows
    return tables


def today() -> str:
    return timezone.localdate().isoformat()


def random_change(rng, base) -> str:
    """One change a KOV editor might make, chosen by `rng`, on the rows of `base` (a namespace
    with municipality, component, unit, role, provider). Returns what it did."""
    import datetime as dt
    from decimal import Decimal

    from directory import models as m

    offers = list(
        m.Offer.objects.filter(municipality=base.municipality, valid_to__isnull=True).values_list(
            "pk", flat=True
        )
    )
    contacts = list(
        m.ContactPerson.objects.filter(municipality=base.municipality).values_list("pk", flat=True)
    )
    choice = rng.random()
    if choice < 0.2 or not offers:
        m.Offer.objects.create(
            municipality=base.municipality, component=base.component, provider=base.provider
        )
        return "offer created"
    if choice < 0.5:
        offer = m.Offer.objects.get(pk=rng.choice(offers))
        last = offer.prices.published().order_by("-valid_from").first()
        start = (last.valid_from if last else dt.date(2024, 1, 1)) + dt.timedelta(days=rng.randint(1, 40))
        price = m.Price.objects.create(
            offer=offer, unit=base.unit, valid_from=start, price_individual=Decimal(rng.randint(1, 99))
        )
        price.publish()
        return "price published"
    if choice < 0.6:
        m.Offer.objects.get(pk=rng.choice(offers)).withdraw(dt.date(2030, 1, 1))
        return "offer withdrawn"
    if choice < 0.75 or not contacts:
        m.ContactPerson.objects.create(
            municipality=base.municipality, role=base.role, name=f"Isik {rng.randint(1, 10**6)}"
        )
        return "contact created"
    pk = rng.choice(contacts)
    if choice < 0.85:
        m.ContactPerson.objects.filter(pk=pk).update(job_title=f"ametikoht {rng.randint(1, 10**6)}")
        return "contact corrected"
    if choice < 0.92:
        m.ContactPerson.objects.filter(pk=pk).delete()
        return "contact deleted"
    contact = m.ContactPerson.objects.get(pk=pk)
    contact.status = "draft" if contact.status == "published" else "published"
    contact.save()
    return "contact (un)published"


def make_base():
    """A municipality with one offer and its price, a role, a unit: what `random_change` edits."""
    import datetime as dt
    from types import SimpleNamespace

    from tests.factories import (
        ComponentFactory,
        MunicipalityFactory,
        OfferFactory,
        ProviderFactory,
        RoleFactory,
        UnitFactory,
        published_price,
    )

    municipality = MunicipalityFactory(code="tartu-linn", ehak="0793")
    base = SimpleNamespace(
        municipality=municipality,
        component=ComponentFactory(code="respite-care"),
        unit=UnitFactory(),
        role=RoleFactory(code="social-worker"),
        provider=ProviderFactory(),
    )
    base.offer = OfferFactory(municipality=municipality, component=base.component, provider=base.provider)
    published_price(base.offer, dt.date(2024, 1, 1), "10.00")
    return base
