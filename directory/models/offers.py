"""Who provides what, where, and at what price.

An Offer says that a municipality provides a component or a service through a provider.
Its Prices are an append-only history: publishing a new price closes the previous one's
validity, and a published price row is never edited or deleted."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import l10n
from .base import Timestamped, language_names, localized_path
from .catalogue import Component, Service, TargetGroup, Unit
from .places import Municipality


def today() -> dt.date:
    return timezone.localdate()


def valid_on(date: dt.date, prefix: str = "") -> Q:
    """Rows whose validity [valid_from, valid_to] (both inclusive, valid_to open if empty)
    covers `date`."""
    return Q(**{f"{prefix}valid_from__lte": date}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": date})
    )


class ProviderKind(models.TextChoices):
    KOV = "kov", _("the municipality itself")
    KOV_AGENCY = "kov-agency", _("municipal agency")
    NGO = "ngo", _("non-profit association (MTÜ)")
    FOUNDATION = "foundation", _("foundation (SA)")
    COMPANY = "company", _("company")
    STATE = "state", _("state agency")


class Provider(Timestamped):
    """Service provider — *teenuseosutaja*: the body that delivers a component or service for
    the KOV: the KOV itself, a municipal agency, an NGO (MTÜ), a foundation (SA) or a company.
    Identified, where it has one, by its Business Register code (*registrikood*)."""

    name = models.CharField(_("name"), max_length=200)
    registry_code = models.CharField(_("registry code"), max_length=8, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["registry_code"],
                condition=~Q(registry_code=""),
                name="unique_provider_registry_code",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PriceStatus(models.TextChoices):
    """Where an entry stands in the publishing workflow: an editor's draft, submitted and
    awaiting a KOV moderator's approval, or published (visible to the public)."""

    DRAFT = "draft", _("draft")
    PENDING = "pending", _("awaiting approval")
    PUBLISHED = "published", _("published")


# Offers and contact persons go through the same workflow as prices.
PublicationStatus = PriceStatus


class OfferQuerySet(models.QuerySet):
    def valid_on(self, date: dt.date):
        return self.filter(valid_on(date))

    def published(self):
        """Offers a KOV moderator has approved (drafts and offers awaiting approval excluded)."""
        return self.filter(status=PublicationStatus.PUBLISHED)

    def public(self, date: dt.date | None = None):
        """Offers a resident may see: approved and in force on the date (default today)."""
        return self.published().valid_on(date or today())

    def for_listing(self, date: dt.date | None = None):
        """Published offers with everything a price list shows, in a fixed number of queries."""
        date = date or today()
        return (
            self.published()
            .select_related("municipality", "provider", "component__domain", "component__tier", "service")
            .prefetch_related(
                models.Prefetch(
                    "prices",
                    queryset=Price.objects.on(date).select_related("unit"),
                    to_attr="prices_on_date",
                ),
                "target_groups",
            )
        )


class Offer(Timestamped):
    """Offer — *teenuse pakkumine*: a municipality offers one component or one service through
    a provider, in given work forms, for given target groups, in given languages.

    Withdrawing an offer ends its validity; its prices remain as history."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="offers", verbose_name=_("municipality")
    )
    component = models.ForeignKey(
        Component, on_delete=models.PROTECT, null=True, blank=True, related_name="offers"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="offers"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="offers")
    work_forms = models.JSONField(_("work forms"), default=list, blank=True)
    target_groups = models.ManyToManyField(TargetGroup, related_name="offers", blank=True)
    languages = models.JSONField(_("languages of service"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), default=today)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    # Rows created before the workflow existed (and by data loaders) are published; the admin
    # creates new offers as drafts that a KOV moderator approves.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
    )

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["municipality", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(component__isnull=False) & Q(service__isnull=True))
                | (Q(component__isnull=True) & Q(service__isnull=False)),
                name="offer_is_component_xor_service",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="offer_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} — {self.municipality} ({self.provider})"

    def get_absolute_url(self) -> str:
        """The offer's page: what, where, when, who qualifies, how to apply, price."""
        return localized_path("offers", str(self.pk))

    def get_history_url(self) -> str:
        """The offer's price history page."""
        return localized_path("offers", str(self.pk), "history")

    @property
    def item(self) -> Component | Service:
        """The catalogue entry offered: a component or a service."""
        return self.component or self.service

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def kind(self) -> str:
        return "component" if self.component_id else "service"

    @property
    def language_names(self) -> list[str]:
        return language_names(self.languages)

    def price_on(self, date: dt.date) -> "Price | None":
        if hasattr(self, "prices_on_date") and date == today():
            return self.prices_on_date[0] if self.prices_on_date else None
        return self.prices.on(date).first()

    @property
    def current_price(self) -> "Price | None":
        if hasattr(self, "prices_on_date"):
            return self.prices_on_date[0] if self.prices_on_date else None
        return self.price_on(today())

    def clean(self):
        if bool(self.component_id) == bool(self.service_id):
            raise ValidationError(_("An offer is for exactly one component or one service."))

    @transaction.atomic
    def withdraw(self, last_day: dt.date | None = None) -> None:
        """End the offer after `last_day` (default today); its open price ends with it."""
        last_day = last_day or today()
        self.valid_to = last_day
        self.save(update_fields=["valid_to", "updated_at"])
        for price in self.prices.published().filter(valid_on(last_day)):
            price.close(last_day)


class PriceError(ValidationError):
    """A price cannot be published or changed as asked."""


class PublishedPriceError(PriceError):
    """A published price row was about to be edited or deleted in place."""


class ClosedPriceError(PriceError):
    """A new price would overlap a published price that cannot be closed for it."""


class PriceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PriceStatus.PUBLISHED)

    def on(self, date: dt.date):
        """The published prices in force on `date` — "what did this cost on 2025-03-01?"."""
        return self.published().filter(valid_on(date))

    def current(self):
        return self.on(today())

    def publish(self, user=None) -> list["Price"]:
        """Publish every unpublished price here at once, with the same result as calling
        `Price.publish()` on each, offer by offer in date order — but in a fixed number of
        queries: lock the offers, read their published prices, then one UPDATE closes the
        previous prices and one publishes the new ones. All or nothing: one bad price (an
        invalid field, or a published price already starting on or after its date) raises
        and nothing is written. Sends `directory.signals.bulk_saved` once for the prices
        written, in place of a post_save each."""
        from ..signals import bulk_saved

        with transaction.atomic():
            prices = list(self.exclude(status=PriceStatus.PUBLISHED).order_by("offer_id", "valid_from", "pk"))
            if not prices:
                return []
            for price in prices:
                price.clean_fields(exclude=["offer", "unit", "created_by"])
                price.clean()
            offer_ids = sorted({price.offer_id for price in prices})
            # Locked in a fixed order, so two moderators' batches cannot deadlock.
            list(Offer.objects.select_for_update().filter(pk__in=offer_ids).order_by("pk").values_list("pk"))
            history: dict[int, list[Price]] = {pk: [] for pk in offer_ids}
            for row in Price.objects.published().filter(offer_id__in=offer_ids).order_by("valid_from"):
                history[row.offer_id].append(row)

            closed: dict[int, Price] = {}
            now = timezone.now()
            for price in prices:
                rows = history[price.offer_id]
                later = [row for row in rows if row.valid_from >= price.valid_from]
                if later:
                    raise ClosedPriceError(
                        _("A published price already starts on %(date)s; a new price must start after it.")
                        % {"date": later[0].valid_from}
                    )
                last_day = price.valid_from - dt.timedelta(days=1)
                for row in rows:
                    if row.valid_to is None or row.valid_to > last_day:
                        row.valid_to = last_day  # starts before `price` (checked above): may close
                        closed[row.pk] = row
                price.status = PriceStatus.PUBLISHED
                price.published_at = now
                if user is not None and price.created_by_id is None:
                    price.created_by = user
                rows.append(price)

            fresh = {price.pk for price in prices}
            # One UPDATE per new end date (a price list changes on a few dates), rather than
            # bulk_update's CASE per row, which costs more to build than the rows to write.
            ends: dict[dt.date | None, list[int]] = {}
            for row in closed.values():
                ends.setdefault(row.valid_to, []).append(row.pk)
            for end, pks in ends.items():
                self._write(pks, valid_to=end)
            # Attribute before publishing: once published the row is fixed (directory/guards.py).
            if user is not None:
                self._write(fresh, unattributed_only=True, created_by=user)
            self._write(fresh, status=PriceStatus.PUBLISHED, published_at=now)
            earlier = [row for row in closed.values() if row.pk not in fresh]
            bulk_saved.send(sender=Price, instances=prices + earlier)
        return prices

    def _write(self, pks, *, unattributed_only=False, **values) -> None:
        """UPDATE the rows `pks` without the guard of `update()`: only `publish()` uses it,
        to close published prices (valid_to, the one change history allows) and to publish
        new ones. In chunks that any database takes as query parameters."""
        pks = sorted(pks)
        raw = models.QuerySet(model=Price, using=self.db)
        if unattributed_only:
            raw = raw.filter(created_by__isnull=True)
        for start in range(0, len(pks), 900):
            raw.filter(pk__in=pks[start : start + 900]).update(**values)

    def update(self, **kwargs):
        if self.published().exists():
            raise PublishedPriceError(_("Published prices are history and cannot be changed."))
        return super().update(**kwargs)

    def delete(self):
        if self.published().exists():
            raise PublishedPriceError(_("Published prices are history and cannot be deleted."))
        return super().delete()


MONEY = {
    "max_digits": 10,
    "decimal_places": 2,
    "null": True,
    "blank": True,
    "validators": [MinValueValidator(Decimal("0"))],
}


class Price(models.Model):
    """Price — *hind*: what one unit of an offer costs from a date on, for individual and for
    group work (either may be absent), and the client's own share (*omaosalus*) as an amount
    or a percentage. Currency is always EUR.

    History is never overwritten. A draft may be edited; once published a row is fixed, except
    that publishing a later price closes its validity (`valid_to`)."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="prices")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="prices")
    price_individual = models.DecimalField(_("price per unit, individual (EUR)"), **MONEY)
    price_group = models.DecimalField(_("price per unit, group (EUR)"), **MONEY)
    client_share_amount = models.DecimalField(_("client's share (EUR)"), **MONEY)
    client_share_percent = models.DecimalField(
        _("client's share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", editable=False)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PriceStatus.choices, default=PriceStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PriceQuerySet.as_manager()

    # Prices are history rows that nothing links to; indexing their references on every
    # approval would only slow publishing a whole price list.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["offer", "-valid_from"]
        get_latest_by = "valid_from"
        constraints = [
            models.CheckConstraint(
                condition=Q(price_individual__isnull=False) | Q(price_group__isnull=False),
                name="price_has_an_amount",
            ),
            models.CheckConstraint(
                condition=Q(client_share_amount__isnull=True) | Q(client_share_percent__isnull=True),
                name="price_share_is_amount_or_percent",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="price_validity_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(price_individual__isnull=True) | Q(price_individual__gte=0))
                & (Q(price_group__isnull=True) | Q(price_group__gte=0)),
                name="price_not_negative",
            ),
            models.CheckConstraint(condition=Q(currency="EUR"), name="price_in_euros"),
            # One price per offer and start date awaiting approval or published: a double
            # submit or two uploads at once cannot both write one (directory/guards.py adds
            # the triggers and the overlap check this cannot express).
            models.UniqueConstraint(
                fields=["offer", "valid_from"],
                condition=Q(status__in=["pending", "published"]),
                name="price_one_per_offer_and_start",
            ),
        ]
        indexes = [models.Index(fields=["offer", "status", "valid_from"])]

    def __str__(self) -> str:
        amount = self.price_individual if self.price_individual is not None else self.price_group
        # In the reader's language: the admin's listings and buttons name a price by this.
        return gettext("%(amount)s € / %(unit)s from %(date)s") % {
            "amount": formats.localize(amount),
            "unit": self.unit,
            "date": self.valid_from or "",
        }

    # -- immutability ---------------------------------------------------------------------

    _closing = False

    def save(self, *args, **kwargs):
        if self.pk:
            stored = Price.objects.filter(pk=self.pk).values().first()
            if stored and stored["status"] == PriceStatus.PUBLISHED:
                self._check_only_closed(stored)
        return super().save(*args, **kwargs)

    def _check_only_closed(self, stored: dict) -> None:
        changed = {
            field.attname
            for field in self._meta.concrete_fields
            if getattr(self, field.attname) != stored[field.attname]
        }
        allowed = {"valid_to"} if self._closing else set()
        if changed - allowed:
            raise PublishedPriceError(
                _("A published price is history and cannot be edited; publish a new price.")
            )

    def delete(self, *args, **kwargs):
        if self.status == PriceStatus.PUBLISHED:
            raise PublishedPriceError(_("Published prices are history and cannot be deleted."))
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.price_individual is None and self.price_group is None:
            raise ValidationError(_("Give a price for individual or for group work."))
        if self.client_share_amount is not None and self.client_share_percent is not None:
            raise ValidationError(_("Give the client's share as an amount or a percentage, not both."))
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(_("A price cannot end before it starts."))

    # -- history ------------------------------------------------------------------------

    def close(self, last_day: dt.date) -> None:
        """End this published price's validity after `last_day` — the one change history allows."""
        if self.valid_to is not None and self.valid_to <= last_day:
            return
        if last_day < self.valid_from:
            raise ClosedPriceError(
                _("A price valid from %(date)s cannot be closed before it starts.")
                % {"date": self.valid_from}
            )
        self.valid_to = last_day
        self._closing = True
        try:
            self.save(update_fields=["valid_to"])
        finally:
            self._closing = False

    @transaction.atomic
    def publish(self, user=None) -> "Price":
        """Publish this price: the offer's price in force on `valid_from` is closed the day
        before, and this one takes over from that day. A price scheduled for the future is
        published now and takes effect on its date."""
        if self.status == PriceStatus.PUBLISHED:
            return self
        # Field and cross-field checks only: the database enforces the CHECK constraints, and
        # validating them here would cost a query each.
        self.clean_fields(exclude=["offer", "unit", "created_by"])
        self.clean()
        # Lock the offer so two editors publishing at once cannot both close the same price.
        Offer.objects.select_for_update().filter(pk=self.offer_id).first()
        published = self.offer.prices.published()
        later = published.filter(valid_from__gte=self.valid_from).order_by("valid_from").first()
        if later:
            raise ClosedPriceError(
                _("A published price already starts on %(date)s; a new price must start after it.")
                % {"date": later.valid_from}
            )
        for previous in published.filter(valid_on(self.valid_from)):
            previous.close(self.valid_from - dt.timedelta(days=1))
        self.status = PriceStatus.PUBLISHED
        self.published_at = timezone.now()
        if user is not None and self.created_by_id is None:
            self.created_by = user
        super().save()
        return self

    @transaction.atomic
    def correct(self, reason: str, user=None, **amounts) -> "PriceCorrection":
        """Correct what this published price said — the one way to change what a past date
        cost. `amounts` gives all four of `PriceCorrection.AMOUNTS`. The correction is recorded
        first; the database lets the row change only to what its latest correction says
        (directory/guards.py). Raises PriceError for a draft, no reason or no change."""
        from ..signals import bulk_saved

        locked = Price.objects.select_for_update().get(pk=self.pk)
        if locked.status != PriceStatus.PUBLISHED:
            raise PriceError(_("Only a published price is corrected; a draft is edited."))
        if not reason.strip():
            raise PriceError(_("Give the reason for the correction."))
        old = {name: getattr(locked, name) for name in PriceCorrection.AMOUNTS}
        new = {name: amounts.get(name) for name in PriceCorrection.AMOUNTS}
        if old == new:
            raise PriceError(_("The amounts are the same as published: nothing to correct."))
        for name, value in new.items():
            setattr(locked, name, value)
        locked.clean_fields(exclude=["offer", "unit", "created_by"])
        locked.clean()
        correction = PriceCorrection.objects.create(
            price=locked,
            reason=reason.strip(),
            corrected_by=user,
            **{f"old_{name}": value for name, value in old.items()},
            **{f"new_{name}": value for name, value in new.items()},
        )
        models.QuerySet(model=Price, using=self._state.db).filter(pk=self.pk).update(**new)
        self.refresh_from_db()
        bulk_saved.send(sender=Price, instances=[self])
        return correction

    @property
    def unit_name(self) -> str:
        return self.unit.name

    @property
    def client_share_display(self) -> str:
        """In the active language: "3,50 €" (et, ru), "20 %", or "" when not stated."""
        return l10n.client_share(self.client_share_amount, self.client_share_percent)


def _amount(label, **kwargs):
    return models.DecimalField(label, **(MONEY | kwargs))


class PriceCorrection(models.Model):
    """A moderator's correction of a published price (*hinna parandus*): what it said before,
    what it says now, why, who and when. History is corrected, never silently rewritten: the
    public price history and the API show each correction ("corrected on …, previously …").
    Append-only; the database refuses any other change to a published price's amounts
    (directory/guards.py)."""

    AMOUNTS = ("price_individual", "price_group", "client_share_amount", "client_share_percent")

    price = models.ForeignKey(Price, on_delete=models.PROTECT, related_name="corrections")
    old_price_individual = _amount(_("previous price, individual (EUR)"))
    old_price_group = _amount(_("previous price, group (EUR)"))
    old_client_share_amount = _amount(_("previous client's share (EUR)"))
    old_client_share_percent = _amount(_("previous client's share (%)"), max_digits=5)
    new_price_individual = _amount(_("price, individual (EUR)"))
    new_price_group = _amount(_("price, group (EUR)"))
    new_client_share_amount = _amount(_("client's share (EUR)"))
    new_client_share_percent = _amount(_("client's share (%)"), max_digits=5)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField(_("corrected"), default=timezone.now)

    class Meta:
        verbose_name = _("price correction")
        verbose_name_plural = _("price corrections")
        ordering = ["corrected_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="price_correction_has_a_reason")]

    def __str__(self) -> str:
        return f"{self.price_id} corrected {self.corrected_at:%Y-%m-%d}"

    @property
    def previous_share_display(self) -> str:
        return l10n.client_share(self.old_client_share_amount, self.old_client_share_percent)
