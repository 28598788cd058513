"""Rows of the long price tables, formatted once in Python.

A municipality's price list and a component's "where is it offered" table have dozens of rows;
laid out with a template tag or filter per cell, formatting was most of the page's cost. Here
each cell's text is computed once, in the active language, and the templates only place it."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from directory.models import Offer, Price
from directory.models.base import localized_path
from directory.models.offers import client_share_text

from .templatetags.portal_tags import marked, tr


def escape(value) -> str:
    """django.utils.html.conditional_escape without its lazy-string wrapper, which costs more
    than the escaping itself when a table formats thousands of cells."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class Translated:
    """Reads modeltranslation's columns from plain rows (QuerySet.values()): the active
    language's text, falling back to Estonian as the models do."""

    def __init__(self, language: str):
        self.language = language
        self.is_source = language == settings.LANGUAGE_CODE

    def columns(self, *fields: str) -> list[str]:
        """The columns to select for these translated fields (e.g. "component__name")."""
        suffixes = [settings.LANGUAGE_CODE] if self.is_source else [settings.LANGUAGE_CODE, self.language]
        return [f"{field}_{suffix}" for field in fields for suffix in suffixes]

    def text(self, row: dict, field: str) -> str:
        own = row[f"{field}_{self.language}"]
        return own or row[f"{field}_{settings.LANGUAGE_CODE}"] or ""

    def is_fallback(self, row: dict, field: str) -> bool:
        return (
            not self.is_source
            and not row[f"{field}_{self.language}"]
            and bool(row[f"{field}_{settings.LANGUAGE_CODE}"])
        )

    def html(self, row: dict, field: str) -> SafeString:
        """What the {% tr %} tag shows for a model instance: escaped, marked when untranslated."""
        if self.is_fallback(row, field):
            return marked(self.text(row, field), True)
        return SafeString(escape(self.text(row, field)))


@dataclass(frozen=True)
class Day:
    iso: str
    text: str


class Formats:
    """The active language's number and date formats, looked up once per table."""

    # Formatted dates, shared by every table in the process: the same few hundred dates recur
    # on every page, and Django's date formatting is slow. Keyed by the format, which the language sets.
    _shared_days: dict[tuple, Day] = {}

    def __init__(self):
        self.decimal_separator = get_format("DECIMAL_SEPARATOR")
        self.short_date = get_format("SHORT_DATE_FORMAT")
        if len(self._shared_days) > 20_000:
            self._shared_days.clear()
        self._days = self._shared_days

    def euros(self, amount) -> str:
        """Same text as the `euros` filter: "12,50 €" (et, ru), "12.50 €" (en), "—" if absent."""
        if amount is None:
            return "—"
        return f"{amount:.2f}".replace(".", self.decimal_separator) + "\u00a0€"

    def day(self, value) -> Day | None:
        if value is None:
            return None
        key = (self.short_date, value)
        day = self._days.get(key)
        if day is None:
            day = self._days[key] = Day(value.isoformat(), dateformat.format(value, self.short_date))
        return day


@dataclass
class PriceCells:
    """The cells every price table shows for one offer's current price."""

    unit: str = "—"
    individual: str = "—"
    group: str = "—"
    client_share: str = "—"
    valid_from: Day | None = None

    @classmethod
    def of(cls, price: Price | None, formats: Formats) -> PriceCells:
        if price is None:
            return cls()
        return cls(
            unit=price.unit_html if isinstance(price, ListedPrice) else tr(price.unit, "name"),
            individual=formats.euros(price.price_individual),
            group=formats.euros(price.price_group),
            client_share=price.client_share_display or "—",
            valid_from=formats.day(price.valid_from),
        )


@dataclass(slots=True)
class ListedPrice:
    """The price in force of a listed offer, read as a plain row."""

    unit_name: str
    unit_html: SafeString  # the unit's name, marked when shown untranslated
    price_individual: Decimal | None
    price_group: Decimal | None
    client_share_display: str
    currency: str
    valid_from: dt.date
    valid_to: dt.date | None
    published_at: dt.datetime | None

    @classmethod
    def of(cls, row: dict, names: Translated, prefix: str = "") -> ListedPrice:
        """From a row with the price's columns, their names starting with `prefix`."""
        return cls(
            unit_name=names.text(row, f"{prefix}unit__name"),
            unit_html=names.html(row, f"{prefix}unit__name"),
            price_individual=row[f"{prefix}price_individual"],
            price_group=row[f"{prefix}price_group"],
            client_share_display=client_share_text(
                row[f"{prefix}client_share_amount"], row[f"{prefix}client_share_percent"]
            ),
            currency=row[f"{prefix}currency"],
            valid_from=row[f"{prefix}valid_from"],
            valid_to=row[f"{prefix}valid_to"],
            published_at=row[f"{prefix}published_at"],
        )


@dataclass(slots=True)
class ListedOffer:
    """An offer on a price list, read as a plain row with the names it shows in the active
    language: a price list of dozens of offers then costs no model instances."""

    pk: int
    kind: str  # "component" or "service"
    item_id: int
    code: str
    name: str
    name_html: SafeString
    provider_name: str
    notes_html: SafeString | str
    languages: list[str]
    last_verified: dt.date | None
    updated_at: dt.datetime
    is_demo: bool
    is_government_service: bool
    current_price: ListedPrice | None = None
    # Paths in the active language (as localized_path), set once: the row, its JSON-LD node and
    # its links read them several times each.
    item_url: str = ""
    history_url: str = ""
    report_url: str = ""

    def __post_init__(self):
        prefix = f"/{get_language() or settings.LANGUAGE_CODE}/"
        self.item_url = f"{prefix}{self.kind}s/{self.code}/"
        self.history_url = f"{prefix}offers/{self.pk}/history/"
        self.report_url = f"{prefix}report-a-mistake/offer/{self.pk}/"

    def get_absolute_url(self) -> str:
        """The offer's price history page, as Offer.get_absolute_url."""
        return self.history_url


def _time(day: Day | None) -> str:
    return f'<time datetime="{day.iso}">{escape(day.text)}</time>' if day else "—"


class PriceListLabels(dict):
    """The price list's column labels in the active language, escaped once: every row repeats
    them (as data-label, for the stacked phone layout) and its link texts."""

    def __init__(self):
        texts = {
            "provider_label": gettext("Provider"),
            "unit_label": gettext("Unit"),
            "individual_label": gettext("Price, individual"),
            "group_label": gettext("Price, group"),
            "share_label": gettext("Client's share"),
            "since_label": gettext("Valid since"),
            "verified_label": gettext("Last verified"),
            "history_label": gettext("Price history"),
            "report_label": gettext("Report a mistake"),
        }
        super().__init__({name: escape(text) for name, text in texts.items()})


# One row of pages/municipality_page.html's price list. A page lists dozens of offers, and
# laid out by the template engine the rows cost more than everything else on the page.
PRICE_LIST_ROW = """
          <tr>
            <th scope="row"><a href="{item_url}">{name}</a>{notes}</th>
            <td data-label="{provider_label}">{provider}</td>
            <td data-label="{unit_label}">{unit}</td>
            <td class="num" data-label="{individual_label}">{individual}</td>
            <td class="num" data-label="{group_label}">{group}</td>
            <td data-label="{share_label}">{client_share}</td>
            <td data-label="{since_label}">{since}</td>
            <td data-label="{verified_label}">{verified}</td>
            <td class="no-print actions">
              <a href="{history_url}">{history_label}<span class="visually-hidden">: {about}</span></a>
              <a class="report-link" href="{report_url}" rel="nofollow">{report_label}<span class="visually-hidden">: {about}</span></a>
            </td>
          </tr>
        """  # noqa: E501 — laid out as the template around it


# One row of components/offer_table.html ("where is it offered and at what price").
OFFER_TABLE_ROW = """
    <tr>
      <th scope="row"><a href="{municipality_url}">{municipality}</a></th>
      <td>{county}</td>
      <td>{provider}</td>
      <td>{unit}</td>
      <td class="num">{individual}</td>
      <td class="num">{group}</td>
      <td>{client_share}</td>
      <td>{since}</td>
      <td class="actions"><a href="{history_url}">{history_label}<span class="visually-hidden">: {municipality}, {provider}</span></a>
        <a class="report-link" href="{report_url}" rel="nofollow">{report_label}<span class="visually-hidden">: {municipality}</span></a></td>
    </tr>
  """  # noqa: E501 — laid out as the template around it


def offer_table_row(offer: Offer, cells: PriceCells, labels: PriceListLabels) -> SafeString:
    municipality = offer.municipality
    values = {
        "municipality_url": municipality.get_absolute_url(),
        "municipality": municipality.name,
        "county": municipality.county.name,
        "provider": offer.provider.name,
        "unit": cells.unit,
        "individual": cells.individual,
        "group": cells.group,
        "client_share": cells.client_share,
        "history_url": offer.get_absolute_url(),
        "report_url": localized_path("report-a-mistake", "offer", str(offer.pk)),
    }
    return SafeString(
        OFFER_TABLE_ROW.format(
            history_label=labels["history_label"],
            report_label=labels["report_label"],
            since=_time(cells.valid_from),
            **{name: escape(value) for name, value in values.items()},
        )
    )


@dataclass
class PriceListRow:
    """One offer on a municipality's price list."""

    offer: ListedOffer
    item_url: str
    name: str  # safe HTML: the name, marked when shown untranslated
    notes: str  # safe HTML or ""
    provider: str
    about: str  # "<item>, <provider>": completes the row's link texts for screen readers
    price: PriceCells
    last_verified: Day | None
    history_url: str

    @classmethod
    def of(cls, offer: ListedOffer, formats: Formats) -> PriceListRow:
        return cls(
            offer=offer,
            item_url=offer.item_url,
            name=offer.name_html,
            notes=offer.notes_html,
            provider=offer.provider_name,
            about=f"{offer.name}, {offer.provider_name}",
            price=PriceCells.of(offer.current_price, formats),
            last_verified=formats.day(offer.last_verified),
            history_url=offer.history_url,
        )

    def html(self, labels: PriceListLabels) -> SafeString:
        price = self.price
        cells = {
            "item_url": self.item_url,
            "name": self.name,
            "provider": self.provider,
            "unit": price.unit,
            "individual": price.individual,
            "group": price.group,
            "client_share": price.client_share,
            "history_url": self.history_url,
            "about": self.about,
            "report_url": self.offer.report_url,
        }
        return SafeString(
            PRICE_LIST_ROW.format(
                **labels,
                **{name: escape(value) for name, value in cells.items()},
                notes=f'<div class="note">{escape(self.notes)}</div>' if self.notes else "",
                since=_time(price.valid_from),
                verified=_time(self.last_verified),
            )
        )


class ContactCardLabels(dict):
    """The contact cards' labels in the active language, escaped once for all cards."""

    def __init__(self):
        texts = {
            "phone_label": gettext("Phone"),
            "email_label": gettext("E-mail"),
            "hours_label": gettext("Reception hours"),
            "languages_label": gettext("Languages spoken"),
            "contact_for_label": gettext("Contact for"),
            "verified_label": gettext("Last verified"),
            "report_label": gettext("Report a mistake"),
        }
        super().__init__({name: escape(text) for name, text in texts.items()})
        self["language"] = escape(get_language() or settings.LANGUAGE_CODE)


def contact_card(contact, labels: ContactCardLabels, formats: Formats) -> SafeString:
    """One contact person's card on the municipality page (pages/municipality_page.html), laid
    out here for the same reason as the price list's rows."""
    name = escape(contact.name)
    job = f", {tr(contact, 'job_title')}" if contact.job_title else ""
    items = []
    if contact.phone:
        phone = f'<a href="{escape(contact.tel_href)}">{escape(contact.phone)}</a>'
        items.append(f"<dt>{labels['phone_label']}</dt><dd>{phone}</dd>")
    if contact.email:
        email = escape(contact.email)
        items.append(f'<dt>{labels["email_label"]}</dt><dd><a href="mailto:{email}">{email}</a></dd>')
    if contact.reception_hours:
        items.append(f"<dt>{labels['hours_label']}</dt><dd>{tr(contact, 'reception_hours', True)}</dd>")
    if contact.languages:
        spoken = escape(", ".join(contact.language_names))
        items.append(f"<dt>{labels['languages_label']}</dt><dd>{spoken}</dd>")
    if contact.contact_for:
        items.append(f"<dt>{labels['contact_for_label']}</dt><dd>{tr(contact, 'contact_for')}</dd>")
    if contact.last_verified:
        items.append(
            f"<dt>{labels['verified_label']}</dt><dd>{_time(formats.day(contact.last_verified))}</dd>"
        )
    details = "\n              ".join(items)
    return SafeString(
        f"""
          <li class="contact-card" id="contact-{contact.pk}">
            <p class="contact-name"><strong>{name}</strong>{job}</p>
            <dl>
              {details}
            </dl>
            <p class="no-print"><a class="report-link" href="/{labels["language"]}/report-a-mistake/contact/{contact.pk}/" rel="nofollow">{labels["report_label"]}<span class="visually-hidden">: {name}</span></a></p>
          </li>"""  # noqa: E501 — laid out as the template around it
    )
