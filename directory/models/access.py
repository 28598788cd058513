"""How to get the help: where, when, who qualifies, how to apply and how long the wait.

A provider has service locations (*teenuse osutamise kohad*) with an address, coordinates,
accessibility and opening hours; an offer is given at some of them, at the client's home or
remotely. Eligibility says who qualifies, HowToApply (*taotlemine*) how to ask for the help in
a municipality, and Availability (*vabad kohad / ootejärjekord*) how many places are free and
how long the wait is, as stated on a date."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from .base import Timestamped, tel_href
from .catalogue import Component, Service
from .offers import Offer, Provider, today
from .places import Municipality, Settlement

# A generous box around Estonia's land and islands (WGS84): Ruhnu, Vilsandi and Narva-Jõesuu
# are inside, Riga, Helsinki and Pskov outside.
ESTONIA_LAT = (57.50, 59.85)
ESTONIA_LON = (21.70, 28.25)

http_url = URLValidator(
    schemes=["http", "https"], message=_("Give a web address that starts with http:// or https://.")
)
postal_code_validator = RegexValidator(r"^\d{5}$", _("An Estonian postal code has five digits."))


def in_estonia(latitude: float | None, longitude: float | None) -> bool:
    if latitude is None or longitude is None:
        return False
    return ESTONIA_LAT[0] <= latitude <= ESTONIA_LAT[1] and ESTONIA_LON[0] <= longitude <= ESTONIA_LON[1]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# schema.org DayOfWeek names, for JSON-LD and HSDS.
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# "Open in the evening" means open after this time.
EVENING = dt.time(18, 0)


class ServiceLocationQuerySet(models.QuerySet):
    def with_details(self):
        return self.select_related("provider", "municipality", "settlement").prefetch_related(
            "hours", "exceptions"
        )


class ServiceLocation(Timestamped, ClusterableModel):
    """Service location — *teenuse osutamise koht*: premises where a provider gives help
    (a day centre, a care home, the KOV's social department's office).

    The address is written in the Estonian form (street and house, settlement, municipality,
    county, postal code); coordinates are WGS84 and must lie in Estonia. Accessibility
    (*ligipääsetavus*) is a few structured flags and a translated note. Opening hours
    (*lahtiolekuajad*) are rows per weekday (OpeningHours) with dated exceptions
    (OpeningException: public holidays, summer closure). A location belongs to the KOV whose
    editors maintain it. (Clusterable: the admin edits the hours and exceptions with the
    location, and a change awaiting approval holds them in memory.)"""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="locations", verbose_name=_("provider")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="locations", verbose_name=_("municipality")
    )
    name = models.CharField(_("name of the place"), max_length=200)
    street_address = models.CharField(
        _("street and house"), max_length=200, help_text=_("For example: Pikk 12 or Kivi tn 3-5")
    )
    # The settlement (*asustusüksus*) of the KOV the place is in; empty only for rows whose old
    # free-text settlement matched none (the data migration keeps those, to be chosen).
    settlement = models.ForeignKey(
        Settlement,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("settlement"),
        help_text=_("Village, small town or town, e.g. Kose alevik"),
    )
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    latitude = models.FloatField(_("latitude (WGS84)"))
    longitude = models.FloatField(_("longitude (WGS84)"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    step_free_entrance = models.BooleanField(_("step-free entrance"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessible_parking = models.BooleanField(_("accessible parking"), default=False)
    accessibility_note = models.TextField(_("accessibility of the premises"), blank=True)
    offers = models.ManyToManyField(
        Offer,
        related_name="locations",
        blank=True,
        verbose_name=_("offers given here"),
    )
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    objects = ServiceLocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("service location")
        verbose_name_plural = _("service locations")
        ordering = ["municipality", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=ESTONIA_LAT[0], latitude__lte=ESTONIA_LAT[1])
                & Q(longitude__gte=ESTONIA_LON[0], longitude__lte=ESTONIA_LON[1]),
                name="location_in_estonia",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.street_address}, {self.settlement_name}"

    def _clean_coordinates(self):
        if self.latitude is not None and self.longitude is not None:
            if not in_estonia(self.latitude, self.longitude):
                raise ValidationError(
                    {
                        "latitude": _(
                            "The point %(lat).5f, %(lon).5f is not in Estonia. Give WGS84 degrees, "
                            "latitude first (Estonia: 57.5–59.85 N, 21.7–28.25 E)."
                        )
                        % {"lat": self.latitude, "lon": self.longitude}
                    }
                )

    @property
    def address(self) -> str:
        """The address in the Estonian form: "Pikk 12, Rakvere linn, Lääne-Viru maakond, 44307"."""
        parts = [self.street_address, self.settlement_name]
        municipality = self.municipality
        if municipality.name_et and municipality.name_et not in self.settlement_name:
            parts.append(municipality.name_et)
        parts.append(municipality.county.name_et)
        if self.postal_code:
            parts.append(self.postal_code)
        return ", ".join(p for p in parts if p)

    @property
    def settlement_name(self) -> str:
        """ "Kose alevik": the settlement's EHAK name, as addresses write it."""
        return self.settlement.name if self.settlement_id else ""

    def clean(self):
        self._clean_coordinates()
        if (
            self.settlement_id
            and self.municipality_id
            and self.settlement.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {
                    "settlement": _("%(settlement)s is not in %(municipality)s.")
                    % {"settlement": self.settlement.name, "municipality": self.municipality}
                }
            )

    @property
    def accessibility_features(self) -> list[str]:
        return [
            str(label)
            for flag, label in (
                (self.step_free_entrance, _("step-free entrance")),
                (self.accessible_toilet, _("accessible toilet")),
                (self.hearing_loop, _("hearing loop")),
                (self.accessible_parking, _("accessible parking")),
            )
            if flag
        ]

    @property
    def tel_href(self) -> str:
        return tel_href(self.phone)

    def weekly_hours(self) -> list[tuple[int, str, list[OpeningHours]]]:
        """(weekday, name, hours that day) for Monday to Sunday."""
        by_day: dict[int, list[OpeningHours]] = {day: [] for day in Weekday.values}
        for row in sorted(self.hours.all(), key=lambda r: (r.weekday, r.opens)):
            by_day[row.weekday].append(row)
        return [(day, Weekday(day).label, by_day[day]) for day in Weekday.values]

    def upcoming_exceptions(self, on: dt.date | None = None) -> list[OpeningException]:
        on = on or today()
        return [row for row in self.exceptions.all() if row.ends >= on]

    @property
    def open_on_weekends(self) -> bool:
        return any(row.weekday >= Weekday.SATURDAY for row in self.hours.all())

    @property
    def open_in_evenings(self) -> bool:
        return any(row.closes > EVENING for row in self.hours.all())


def overlaps(rows) -> tuple | None:
    """The first two rows (with weekday, opens, closes) on the same day whose times overlap."""
    ordered = sorted(rows, key=lambda r: (r.weekday, r.opens))
    for first, second in zip(ordered, ordered[1:], strict=False):
        if first.weekday == second.weekday and second.opens < first.closes:
            return first, second
    return None


class OpeningHours(models.Model):
    """Opening hours — *lahtiolekuaeg*: one period a location is open on a weekday, e.g.
    Monday 9:00–13:00; a lunch break is two periods. Periods on a day must not overlap and a
    period must end after it starts (a night shift is not a reception time)."""

    location = ParentalKey(ServiceLocation, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["location", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="hours_close_after_opening"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_in_week"),
            models.UniqueConstraint(fields=["location", "weekday", "opens"], name="hours_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{Weekday(self.weekday).label} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError(
                {
                    "closes": _("Closing time %(closes)s must be after opening time %(opens)s.")
                    % {"closes": f"{self.closes:%H:%M}", "opens": f"{self.opens:%H:%M}"}
                }
            )
        # The admin's formset compares all rows of the form at once (it sets this flag): the
        # stored rows may be the very ones the editor is changing.
        checked = getattr(self, "checked_with_siblings", False)
        if self.location_id and self.opens is not None and self.closes is not None and not checked:
            others = [row for row in self.location.hours.all() if row.pk != self.pk]
            clash = overlaps([*others, self])
            if clash:
                raise ValidationError(overlap_message(*clash))


def overlap_message(first: OpeningHours, second: OpeningHours) -> str:
    return _("On %(day)s the hours %(a)s and %(b)s overlap.") % {
        "day": Weekday(first.weekday).label,
        "a": f"{first.opens:%H:%M}–{first.closes:%H:%M}",
        "b": f"{second.opens:%H:%M}–{second.closes:%H:%M}",
    }


class OpeningException(models.Model):
    """Exception to the opening hours — *erand*: a public holiday, a summer closure or a day
    with other hours, from one date to another (both inclusive), with a translated note."""

    location = ParentalKey(ServiceLocation, on_delete=models.CASCADE, related_name="exceptions")
    starts = models.DateField(_("from"))
    ends = models.DateField(_("to"))
    closed = models.BooleanField(_("closed"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("reason"), max_length=200, blank=True, help_text=_("e.g. summer closure"))

    class Meta:
        verbose_name = _("exception to opening hours")
        verbose_name_plural = _("exceptions to opening hours")
        ordering = ["location", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gte=F("starts")), name="exception_dates_ordered"),
            models.CheckConstraint(
                condition=Q(closed=True)
                | Q(opens__isnull=False, closes__isnull=False, closes__gt=F("opens")),
                name="exception_hours_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts}–{self.ends}"

    def clean(self):
        errors = {}
        if self.starts and self.ends and self.ends < self.starts:
            errors["ends"] = _("The last day cannot be before the first day.")
        if not self.closed:
            if self.opens is None or self.closes is None:
                errors["opens"] = _("Give the opening and closing time, or mark the days as closed.")
            elif self.closes <= self.opens:
                errors["closes"] = _("Closing time %(closes)s must be after opening time %(opens)s.") % {
                    "closes": f"{self.closes:%H:%M}",
                    "opens": f"{self.opens:%H:%M}",
                }
        if errors:
            raise ValidationError(errors)


class DeliveryMode(models.TextChoices):
    """Where an offer is given (besides its locations)."""

    AT_HOME = "at-home", _("at the client's home")
    REMOTE = "remote", _("remotely (phone or video)")


class Eligibility(Timestamped):
    """Eligibility — *kes saab abi*: who qualifies for an offer: a translated description, an
    age range, and whether a needs assessment (*abivajaduse hindamine*) or a KOV decision
    (*KOV otsus*) is required first. Target groups are the offer's own. The offer's delivery
    (at home, remotely) is kept here too, beside the locations."""

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="eligibility")
    description = models.TextField(_("who qualifies"), blank=True)
    age_min = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    needs_assessment_required = models.BooleanField(_("needs assessment required"), default=False)
    kov_decision_required = models.BooleanField(_("decision of the municipality required"), default=False)
    at_home = models.BooleanField(_("given at the client's home"), default=False)
    remote = models.BooleanField(_("given remotely"), default=False)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    class Meta:
        verbose_name = _("eligibility")
        verbose_name_plural = _("eligibility")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_max__gte=F("age_min")),
                name="eligibility_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.offer)

    def clean(self):
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            raise ValidationError(
                {
                    "age_max": _("The maximum age (%(max)s) is below the minimum age (%(min)s).")
                    % {"max": self.age_max, "min": self.age_min}
                }
            )

    @property
    def delivery_modes(self) -> list[str]:
        return [
            mode
            for mode, on in ((DeliveryMode.AT_HOME, self.at_home), (DeliveryMode.REMOTE, self.remote))
            if on
        ]


class ServiceArea(models.Model):
    """Service area — *teeninduspiirkond*: the settlements (*asustusüksused*) of the
    municipality whose residents the offer serves. No row, or no settlements, means the whole
    municipality; settlements must lie in the offer's municipality."""

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="service_area")
    settlements = models.ManyToManyField(
        Settlement, related_name="+", blank=True, verbose_name=_("settlements")
    )

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return str(self.offer)

    def check_settlements(self, settlements) -> None:
        """Refuse settlements outside the offer's municipality (call before settlements.set)."""
        foreign = [s for s in settlements if s.municipality_id != self.offer.municipality_id]
        if foreign:
            raise ValidationError(
                {
                    "settlements": _("These settlements are not in %(municipality)s: %(names)s.")
                    % {"names": ", ".join(s.name for s in foreign), "municipality": self.offer.municipality}
                }
            )

    @property
    def is_whole_municipality(self) -> bool:
        return not self.settlements.exists()


class HowToApplyQuerySet(models.QuerySet):
    def defaults(self):
        return self.filter(component__isnull=True, service__isnull=True)

    def for_offer(self, offer: Offer) -> HowToApply | None:
        """The offer's own instructions (for its component or service in its municipality),
        else the municipality-wide default."""
        return pick_how_to_apply(self.filter(municipality_id=offer.municipality_id), offer)


def pick_how_to_apply(rows, offer: Offer) -> HowToApply | None:
    """From one municipality's rows: the one for the offer's component or service, else the
    default (no component, no service), else None."""
    rows = list(rows)
    own = [
        r
        for r in rows
        if (r.component_id and r.component_id == offer.component_id)
        or (r.service_id and r.service_id == offer.service_id)
    ]
    return (own or [r for r in rows if r.is_default] or [None])[0]


class HowToApply(Timestamped):
    """How to apply — *taotlemine*: how a resident asks the municipality for help: the channel
    (an e-service, a form to download, in person, by phone), the documents needed (named, never
    uploaded), who decides, within how many days (*otsustamise tähtaeg*), and what happens next.

    One row without a component or service is the municipality-wide default; rows for a
    component or a service override it for that help."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="how_to_apply", verbose_name=_("municipality")
    )
    component = models.ForeignKey(
        Component,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("component"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    e_service_url = models.URLField(_("e-service address"), blank=True, validators=[http_url])
    form_url = models.URLField(_("application form (link)"), blank=True, validators=[http_url])
    in_person = models.TextField(
        _("where to apply in person"), blank=True, help_text=_("e.g. the social department, room 12")
    )
    phone = models.CharField(_("phone for applying"), max_length=40, blank=True)
    documents = models.TextField(
        _("documents needed"),
        blank=True,
        help_text=_("One document per line. Name them; do not upload personal data."),
    )
    decided_by = models.CharField(_("who decides"), max_length=200, blank=True)
    decision_days = models.PositiveSmallIntegerField(
        _("decision within (days)"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    next_steps = models.TextField(_("what happens next"), blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    objects = HowToApplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("how to apply")
        verbose_name_plural = _("how to apply")
        ordering = ["municipality", "component", "service"]
        constraints = [
            models.CheckConstraint(
                condition=Q(component__isnull=True) | Q(service__isnull=True),
                name="how_to_apply_component_or_service",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(component__isnull=True, service__isnull=True),
                name="how_to_apply_one_default",
            ),
            models.UniqueConstraint(
                fields=["municipality", "component"],
                condition=Q(component__isnull=False),
                name="how_to_apply_one_per_component",
            ),
            models.UniqueConstraint(
                fields=["municipality", "service"],
                condition=Q(service__isnull=False),
                name="how_to_apply_one_per_service",
            ),
            models.CheckConstraint(
                condition=Q(decision_days__isnull=True) | Q(decision_days__lte=365),
                name="how_to_apply_deadline_within_a_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.component or self.service or _('all help')}"

    def clean(self):
        if self.component_id and self.service_id:
            raise ValidationError(
                _("Give a component or a service, not both (neither = the municipality's default).")
            )

    @property
    def document_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.documents.splitlines() if line.strip(" -•\t")]

    @property
    def is_default(self) -> bool:
        return not (self.component_id or self.service_id)

    @property
    def tel_href(self) -> str:
        return tel_href(self.phone)


def stale_after_days() -> int:
    return getattr(settings, "AVAILABILITY_STALE_DAYS", 30)


class AvailabilityQuerySet(models.QuerySet):
    def latest_for(self, offer_ids) -> dict[int, Availability]:
        """The latest statement per offer (by as-of date)."""
        latest: dict[int, Availability] = {}
        for row in self.filter(offer_id__in=offer_ids).order_by("offer_id", "as_of", "pk"):
            latest[row.offer_id] = row
        return latest


class Availability(models.Model):
    """Availability — *vabad kohad / ootejärjekord*: the places of an offer (capacity), how
    many are free now, and/or the typical waiting time in days, as the KOV stated them on a
    date. Each statement is a new row, so the history stays; the latest one counts. After
    AVAILABILITY_STALE_DAYS (30) it is shown as out of date — unknown, never as zero."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="availability")
    capacity = models.PositiveIntegerField(_("places in total"), null=True, blank=True)
    free_places = models.PositiveIntegerField(_("free places now"), null=True, blank=True)
    waiting_days = models.PositiveIntegerField(_("typical waiting time (days)"), null=True, blank=True)
    as_of = models.DateField(_("stated on"), default=today)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    objects = AvailabilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["offer", "-as_of"]
        get_latest_by = "as_of"
        constraints = [
            models.CheckConstraint(
                condition=Q(free_places__isnull=True)
                | Q(capacity__isnull=True)
                | Q(free_places__lte=F("capacity")),
                name="availability_free_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(free_places__isnull=False) | Q(waiting_days__isnull=False),
                name="availability_says_something",
            ),
        ]
        indexes = [models.Index(fields=["offer", "as_of"])]

    def __str__(self) -> str:
        return f"{self.offer}: {self.as_of}"

    def clean(self):
        errors = {}
        if self.free_places is not None and self.capacity is not None and self.free_places > self.capacity:
            errors["free_places"] = _(
                "Free places (%(free)s) cannot be more than the places in total (%(total)s)."
            ) % {
                "free": self.free_places,
                "total": self.capacity,
            }
        if self.free_places is None and self.waiting_days is None:
            errors["free_places"] = _("Give the free places now, the waiting time, or both.")
        if self.as_of and self.as_of > today():
            errors["as_of"] = _("The date stated (%(date)s) is in the future.") % {"date": self.as_of}
        if errors:
            raise ValidationError(errors)

    @property
    def is_stale(self) -> bool:
        return (today() - self.as_of).days > stale_after_days()

    @property
    def stale_on(self) -> dt.date:
        return self.as_of + dt.timedelta(days=stale_after_days())
