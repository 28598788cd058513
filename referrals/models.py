"""Linked systems and referral routes.

- *Sidussüsteemid* ("linked systems"): the institutions around a municipality that notice
  people in need first — hospitals, family doctors, schools, kindergartens, welfare
  institutions, the police, the Unemployment Insurance Fund (*Töötukassa*), the Social
  Insurance Board. Each is a **PartnerInstitution** (*partnerasutus*) in one shared register;
  a KOV records the ones it cooperates with as a **Cooperation**.
- *Koostöökokkulepe* / *suunamise kord* ("cooperation agreement" / "referral procedure"): what
  a KOV has agreed with a kind of partner (or one named partner) for a situation: whom at the
  KOV the partner tells, through which channel, how fast the KOV acts, what the partner passes
  on (with the person's consent) and what it tells the family. Each is a **ReferralRoute**.

The portal publishes the routes; it never carries a referral or anyone's personal data.
Routes and cooperations go through the same workflow and per-KOV scope as offers."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import (
    ContactPerson,
    County,
    Journey,
    Municipality,
    PublicationStatus,
    Role,
    TargetGroup,
)
from directory.models.access import http_url
from directory.models.base import Timestamped, tel_href
from directory.models.offers import today, valid_on


def registry_code_checksum(digits: str) -> int:
    """The check digit of an Estonian register code (*registrikood*): the same modulo-11 rule as
    the personal identification code, weights 1…7, then 3…9 when the first sum leaves 10."""
    for weights in ((1, 2, 3, 4, 5, 6, 7), (3, 4, 5, 6, 7, 8, 9)):
        remainder = sum(int(d) * w for d, w in zip(digits[:7], weights, strict=True)) % 11
        if remainder < 10:
            return remainder
    return 0


def validate_registry_code(value: str) -> None:
    if not (len(value) == 8 and value.isdigit()):
        raise ValidationError(_("A registry code is 8 digits, e.g. 70009770."), code="registry_format")
    if registry_code_checksum(value) != int(value[7]):
        raise ValidationError(
            _("%(code)s is not a valid registry code: its check digit does not match."),
            code="registry_checksum",
            params={"code": value},
        )


class PartnerKind(models.TextChoices):
    HOSPITAL = "hospital", _("hospital")
    FAMILY_DOCTOR = "family-doctor", _("family-doctor centre")
    SCHOOL = "school", _("school")
    KINDERGARTEN = "kindergarten", _("kindergarten")
    WELFARE = "welfare", _("welfare institution")
    POLICE = "police", _("police")
    UNEMPLOYMENT_FUND = "unemployment-fund", _("Töötukassa office")
    SOCIAL_INSURANCE = "social-insurance", _("Social Insurance Board")
    NGO = "ngo", _("non-profit organisation")
    OTHER = "other", _("other institution")


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    E_FORM = "e-form", _("secure e-form")
    NATIONAL_SYSTEM = "national-system", _("national information system")
    IN_PERSON = "in-person", _("in person")


class PartnerInstitution(Timestamped):
    """Partner institution — *partnerasutus*: one entry in the shared register of linked
    systems. `municipalities` are the KOVs it serves (none = the whole county)."""

    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=200)
    registry_code = models.CharField(
        _("registry code"), max_length=8, blank=True, validators=[validate_registry_code]
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="partners", verbose_name=_("county")
    )
    municipalities = models.ManyToManyField(
        Municipality, related_name="partners_serving", blank=True, verbose_name=_("municipalities served")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True, validators=[http_url])
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    class Meta:
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")
        ordering = ["county", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["registry_code"], condition=~Q(registry_code=""), name="unique_partner_registry_code"
            ),
            models.CheckConstraint(
                condition=Q(registry_code="") | Q(registry_code__regex=r"^[0-9]{8}$"),
                name="partner_registry_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CooperationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)


class Cooperation(Timestamped):
    """A KOV's link to a partner institution it cooperates with (its *sidussüsteem*)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="cooperations", verbose_name=_("municipality")
    )
    partner = models.ForeignKey(
        PartnerInstitution, on_delete=models.PROTECT, related_name="cooperations", verbose_name=_("partner")
    )
    since = models.DateField(_("cooperating since"), default=today)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED
    )

    objects = CooperationQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperating partner")
        verbose_name_plural = _("cooperating partners")
        ordering = ["municipality", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "partner"], name="unique_cooperation"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} — {self.partner}"


class ReferralRouteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def public(self, date: dt.date | None = None):
        """Routes a professional may see: approved and in force on the date (default today)."""
        return self.published().filter(valid_on(date or today()))

    def for_situation(self, journey: Journey | None = None, target_group: TargetGroup | None = None):
        """Routes for a journey or a target group: named for it, or for a group the journey
        serves (or a journey that serves the group)."""
        if journey is not None:
            return self.filter(Q(journey=journey) | Q(target_group__in=journey.target_groups.all()))
        if target_group is not None:
            return self.filter(
                Q(target_group=target_group) | Q(journey__target_groups=target_group)
            ).distinct()
        return self

    def for_partner_kind(self, kind: str):
        return self.filter(Q(partner_kind=kind) | Q(partner__kind=kind))


class ReferralRoute(Timestamped):
    """Referral route — *suunamise kord* agreed in a *koostöökokkulepe*: when a partner (a kind,
    or one named institution) notices someone in a situation (a target group and/or a client
    journey), whom at the KOV it tells (a role; the current contact person of that role comes
    from the KOV's contacts), through which channel, and how many working days the KOV
    promises to take to contact the person."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="referral_routes", verbose_name=_("municipality")
    )
    partner_kind = models.CharField(_("partner kind"), max_length=20, choices=PartnerKind.choices, blank=True)
    partner = models.ForeignKey(
        PartnerInstitution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routes",
        verbose_name=_("named partner institution"),
    )
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target group"),
    )
    journey = models.ForeignKey(
        Journey,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral_routes",
        verbose_name=_("client journey"),
    )
    kov_role = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="+", verbose_name=_("whom at the KOV")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    channel_name = models.CharField(_("name of the e-form or system"), max_length=150, blank=True)
    channel_url = models.URLField(_("link"), blank=True, validators=[http_url])
    channel_phone = models.CharField(_("phone"), max_length=40, blank=True)
    channel_email = models.EmailField(_("e-mail"), blank=True)
    response_days = models.PositiveSmallIntegerField(_("response promise in working days"))
    passes_on = models.TextField(_("what the partner passes on"), blank=True)
    consent_note = models.TextField(_("consent"), blank=True)
    tell_family = models.TextField(_("what the partner tells the family"), blank=True)
    valid_from = models.DateField(_("valid from"), default=today)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED
    )

    objects = ReferralRouteQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral route")
        verbose_name_plural = _("referral routes")
        ordering = ["municipality", "journey__position", "target_group__code", "partner_kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(response_days__gt=0), name="route_response_days_positive"),
            models.CheckConstraint(
                condition=(Q(partner_kind="") & Q(partner__isnull=False))
                | (~Q(partner_kind="") & Q(partner__isnull=True)),
                name="route_partner_kind_xor_named",
            ),
            models.CheckConstraint(
                condition=Q(journey__isnull=False) | Q(target_group__isnull=False),
                name="route_has_situation",
            ),
            models.CheckConstraint(
                condition=Q(channel_url="")
                | Q(channel_url__startswith="http://")
                | Q(channel_url__startswith="https://"),
                name="route_channel_url_http",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="route_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} — {self.partner_label} — {self.situation_label}"

    @property
    def partner_label(self) -> str:
        return str(self.partner) if self.partner_id else str(self.get_partner_kind_display())

    @property
    def effective_partner_kind(self) -> str:
        return self.partner.kind if self.partner_id else self.partner_kind

    @property
    def situation_label(self) -> str:
        return " / ".join(str(x) for x in (self.journey, self.target_group) if x is not None)

    def get_absolute_url(self) -> str:
        """The route on the professionals' page of its municipality and situation."""
        from directory.models.base import localized_path

        situation = (self.journey or self.target_group).code
        query = f"?municipality={self.municipality.code}&situation={situation}"
        return localized_path("professionals") + query + f"#route-{self.pk}"

    def get_leaflet_url(self) -> str:
        from directory.models.base import localized_path

        return localized_path("professionals", "routes", str(self.pk), "leaflet")

    def contact_on(self, date: dt.date | None = None) -> ContactPerson | None:
        """The contact person now in the route's KOV role (from the KOV's own contacts)."""
        contacts = getattr(self, "current_contacts", None)
        if contacts is None:
            contacts = list(
                ContactPerson.objects.on(date or today()).filter(
                    municipality_id=self.municipality_id, role_id=self.kov_role_id
                )
            )
        return contacts[0] if contacts else None

    @property
    def channel_href(self) -> str:
        if self.channel == Channel.PHONE and self.channel_phone:
            return tel_href(self.channel_phone)
        if self.channel == Channel.EMAIL and self.channel_email:
            return "mailto:" + self.channel_email
        return self.channel_url

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.partner_kind and self.partner_id:
            errors.setdefault("partner", []).append(
                _("Choose a partner kind or a named institution, not both.")
            )
        if not self.partner_kind and not self.partner_id:
            errors.setdefault("partner_kind", []).append(_("Choose a partner kind or a named institution."))
        if not self.journey_id and not self.target_group_id:
            errors.setdefault("journey", []).append(
                _("Choose the situation: a client journey, a target group or both.")
            )
        if self.response_days is not None and self.response_days < 1:
            errors.setdefault("response_days", []).append(
                _("The response promise is at least one working day.")
            )
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors.setdefault("valid_to", []).append(_("The route cannot end before it starts."))
        elif self.valid_to and self.valid_to < today():
            errors.setdefault("valid_to", []).append(
                _("This route would already have expired: give a date from today on.")
            )
        needed = {
            Channel.PHONE: ("channel_phone", _("Give the phone number partners call.")),
            Channel.EMAIL: ("channel_email", _("Give the e-mail address partners write to.")),
            Channel.E_FORM: ("channel_url", _("Give the link to the secure e-form.")),
            Channel.NATIONAL_SYSTEM: ("channel_url", _("Give the link to the national system.")),
        }.get(self.channel)
        if needed and not getattr(self, needed[0]):
            errors.setdefault(needed[0], []).append(needed[1])
        if self.channel == Channel.NATIONAL_SYSTEM and not self.channel_name:
            errors.setdefault("channel_name", []).append(_("Name the national system, e.g. STAR."))
        if self.kov_role_id and self.kov_role.kind != "kov-staff":
            errors.setdefault("kov_role", []).append(_("Choose a role of the municipality's own staff."))
        if self.partner_id and self.municipality_id:
            serves = self.partner.municipalities.all()
            if serves.exists() and not serves.filter(pk=self.municipality_id).exists():
                errors.setdefault("partner", []).append(
                    _("This institution does not serve %(kov)s.") % {"kov": self.municipality}
                )
        if errors:
            raise ValidationError(errors)
