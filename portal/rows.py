"""Rows of the long price tables, their cells formatted once in Python (amounts, dates, names
in the active language); the templates lay them out (components/price_list.html,
components/offer_table.html), and the municipality page keeps its list as a cached fragment."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import linebreaks
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from directory import l10n
from directory.models import Price
from directory.models.base import language_names, tel_href

from .templatetags.portal_tags import marked, tr


def escape(value) -> str:
    """django.utils.html.conditional_escape without its lazy-string wrapper, which costs more
    than the escaping itself when a table formats thousands of cells."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def escaped(value) -> SafeString:
    """A cell's text escaped once, here: the template shows it as it is, instead of escaping it
    on every render (`{{ }}` escapes a plain string through Django's lazy-string wrapper; ~500
    cells on a price list)."""
    return SafeString(escape(value))


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

    def html(self, row: dict, field: str, multiline: bool = False) -> SafeString:
        """What the {% tr %} tag shows for a model instance: escaped (in paragraphs when
        `multiline`), marked when untranslated."""
        text = self.text(row, field)
        if multiline:
            text = SafeString(linebreaks(text, autoescape=True))
        if self.is_fallback(row, field):
            return marked(text, True, multiline)
        return SafeString(escape(text))


class TemplateRow:
    """A row a template reads field by field. Django's `{{ row.name }}` tries `row["name"]`
    before `row.name`, and for an object that cannot be subscripted raises and catches an
    exception on each lookup: answering the subscript with the field skips that (a price list of
    56 offers does about a thousand lookups; measured 21 % of its rendering, bench/README.md)."""

    __slots__ = ()

    def __getitem__(self, name: str):
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None


@dataclass(frozen=True)
class Day(TemplateRow):
    iso: SafeString  # escaped once (rows.escaped), as the formatted days are shared
    text: SafeString


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
        return l10n.euros(amount, self.decimal_separator)

    def day(self, value) -> Day | None:
        if value is None:
            return None
        key = (self.short_date, value)
        day = self._days.get(key)
        if day is None:
            day = self._days[key] = Day(
                escaped(value.isoformat()), escaped(dateformat.format(value, self.short_date))
            )
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
class ListedPrice(TemplateRow):
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
            client_share_display=l10n.client_share(
                row[f"{prefix}client_share_amount"], row[f"{prefix}client_share_percent"]
            ),
            currency=row[f"{prefix}currency"],
            valid_from=row[f"{prefix}valid_from"],
            valid_to=row[f"{prefix}valid_to"],
            published_at=row[f"{prefix}published_at"],
        )


@dataclass(slots=True)
class ListedOffer(TemplateRow):
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
    last_verified: dt.date | None
    updated_at: dt.datetime
    is_demo: bool
    is_government_service: bool
    current_price: ListedPrice | None = None
    # Paths in the active language (as localized_path), set once: the row, its JSON-LD node and
    # its links read them several times each.
    item_url: str = ""
    history_url: str = ""
    offer_url: str = ""
    report_url: str = ""

    def __post_init__(self):
        prefix = f"/{get_language() or settings.LANGUAGE_CODE}/"
        self.item_url = f"{prefix}{self.kind}s/{self.code}/"
        self.history_url = f"{prefix}offers/{self.pk}/history/"
        self.offer_url = f"{prefix}offers/{self.pk}/"
        self.report_url = f"{prefix}report-a-mistake/offer/{self.pk}/"

    def get_absolute_url(self) -> str:
        """The offer's page, as Offer.get_absolute_url."""
        return self.offer_url


@dataclass(slots=True)
class PriceListRow(TemplateRow):
    """One offer on a municipality's price list, its cells formatted once: the template
    (components/price_list.html) reads about a dozen plain values per row and looks nothing up.
    `since` is None when the whole group shares it (its caption says it). The texts are escaped
    once, here (`escaped`)."""

    offer: ListedOffer
    offer_url: SafeString
    name: str
    name_html: SafeString  # the name, marked when shown untranslated
    notes: SafeString | str
    provider: SafeString
    individual: SafeString
    unit: SafeString | str
    group_price: SafeString | str  # "" when there is none
    share: SafeString | str  # "" when the client pays nothing stated
    since: Day | None
    verified: Day | None
    filter_text: SafeString  # "name, provider": what the filter box matches

    @classmethod
    def of(cls, offer: ListedOffer, formats: Formats) -> PriceListRow:
        price = PriceCells.of(offer.current_price, formats)
        return cls(
            offer=offer,
            offer_url=escaped(offer.offer_url),
            name=offer.name,
            name_html=offer.name_html,
            notes=offer.notes_html,
            provider=escaped(offer.provider_name),
            individual=escaped(price.individual),
            unit="" if offer.current_price is None else price.unit,
            group_price="" if price.group == "—" else escaped(price.group),
            share="" if price.client_share == "—" else escaped(price.client_share),
            since=price.valid_from,
            verified=formats.day(offer.last_verified),
            filter_text=escaped(f"{offer.name}, {offer.provider_name}"),
        )


@dataclass(slots=True)
class ContactCard(TemplateRow):
    """A contact person on a municipality page (components/contacts.html) and in its JSON-LD,
    read as a plain row with its texts in the active language: what the card shows, formatted
    once, with no model instance and no translation lookups per card."""

    pk: int
    role_id: int
    role_name: str
    role_html: SafeString  # the role's name, marked when shown untranslated
    name: str
    title_html: SafeString | str  # the job title, "" when there is none or it repeats the role
    phone: str
    tel_href: str
    email: str
    reception_hours: str
    reception_hours_html: SafeString | str
    languages: list[str]
    language_names: list[str]
    contact_for_html: SafeString | str
    verified: Day | None
    last_verified: dt.date | None
    updated_at: dt.datetime
    is_demo: bool

    # The columns to read; the translated ones are added by Translated.columns().
    COLUMNS = (
        "id", "role_id", "name", "phone", "email", "languages", "last_verified", "updated_at", "is_demo",
    )  # fmt: skip
    TRANSLATED = ("role__name", "job_title", "reception_hours", "contact_for")

    @classmethod
    def of(cls, row: dict, names: Translated, formats: Formats) -> ContactCard:
        role_name = names.text(row, "role__name")
        job_title = names.text(row, "job_title")
        reception_hours = names.text(row, "reception_hours")
        contact_for = names.text(row, "contact_for")
        phone = row["phone"]
        return cls(
            pk=row["id"],
            role_id=row["role_id"],
            role_name=role_name,
            role_html=names.html(row, "role__name"),
            name=row["name"],
            title_html=names.html(row, "job_title") if job_title and job_title != role_name else "",
            phone=phone,
            tel_href=tel_href(phone),
            email=row["email"],
            reception_hours=reception_hours,
            reception_hours_html=reception_hours and names.html(row, "reception_hours", multiline=True),
            languages=row["languages"],
            language_names=language_names(row["languages"]),
            contact_for_html=contact_for and names.html(row, "contact_for", multiline=True),
            verified=formats.day(row["last_verified"]),
            last_verified=row["last_verified"],
            updated_at=row["updated_at"],
            is_demo=row["is_demo"],
        )
