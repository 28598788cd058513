"""What is searchable: components, services, journeys, municipalities, contact roles and
contact persons, offers (with municipality, provider and price) and other Wagtail pages.

Each builder turns a queryset into IndexDocuments — plain data that every backend indexes in
its own way. A document's key is "<source>:<primary key>", so a deleted object's document can
be found and removed without the object."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import translation

from directory import models as m

LANGS = ("et", "ru", "en")
# The first keywords of an entry name it; the rest describe it.
PRIMARY_KEYWORDS = 3

_TAGS = re.compile(r"<[^>]+>")


def strip_html(text: str) -> str:
    return html.unescape(_TAGS.sub(" ", text or "")).strip()


def per_lang(obj, attr: str) -> dict[str, str]:
    """A modeltranslation field in each language, falling back to Estonian."""
    base = getattr(obj, f"{attr}_et", "") or ""
    return {lang: (getattr(obj, f"{attr}_{lang}", "") or base) for lang in LANGS}


def localized(func: Callable[[], str]) -> dict[str, str]:
    out = {}
    for lang in LANGS:
        with translation.override(lang):
            out[lang] = func()
    return out


@dataclass
class IndexDocument:
    """One searchable thing, in all three languages, before analysis."""

    key: str
    kind: str
    code: str
    titles: dict[str, str]
    urls: dict[str, str]
    texts: dict[str, str] = field(default_factory=dict)  # shown as the snippet
    keywords: dict[str, list[str]] = field(default_factory=dict)
    primary: dict[str, list[str]] = field(default_factory=dict)  # names of place and provider
    body: dict[str, list[str]] = field(default_factory=dict)
    situations: dict[str, list[str]] = field(default_factory=dict)  # what residents say of an entry
    item_key: str = ""
    municipality: str = ""
    county: str = ""
    target_groups: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    boost: float = 1.0
    data: dict = field(default_factory=dict)


def _keywords(obj) -> dict[str, list[str]]:
    return {
        lang: [k.strip() for k in (getattr(obj, f"keywords_{lang}", "") or "").splitlines() if k.strip()]
        for lang in LANGS
    }


def _steps_text(steps: Iterable[m.JourneyStep]) -> dict[str, list[str]]:
    """Journey steps describe situations in people's words ("when one can no longer cope at
    home"); the components and services a step names are found by those words too."""
    out: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for step in steps:
        for lang in LANGS:
            out[lang] += [per_lang(step, "title")[lang], per_lang(step, "text")[lang]]
    return out


def _merge(*parts: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for part in parts:
        for lang in LANGS:
            out[lang] += [t for t in part.get(lang, []) if t]
    return out


def per_lang_list(obj, attr: str) -> dict[str, list[str]]:
    """A translated list field (JSON) in each language, falling back to Estonian."""
    return {lang: list(getattr(obj, f"{attr}_{lang}") or getattr(obj, f"{attr}_et") or []) for lang in LANGS}


def _as_lists(texts: dict[str, str]) -> dict[str, list[str]]:
    return {lang: [texts[lang]] if texts.get(lang) else [] for lang in LANGS}


# -- catalogue ------------------------------------------------------------------------------

_STEPS = Prefetch("journey_steps", queryset=m.JourneyStep.objects.select_related("journey"))


def component_documents(qs: QuerySet[m.Component]) -> Iterator[IndexDocument]:
    qs = qs.select_related("domain").prefetch_related(
        _STEPS, "services__target_groups", "journey_steps__journey__target_groups"
    )
    for c in qs:
        summary = per_lang(c, "summary")
        groups = {g.code for s in c.services.all() for g in s.target_groups.all()}
        groups |= {g.code for st in c.journey_steps.all() for g in st.journey.target_groups.all()}
        keywords = _keywords(c)
        yield IndexDocument(
            key=f"component:{c.pk}",
            kind="component",
            code=c.code,
            titles=per_lang(c, "name"),
            urls=localized(c.get_absolute_url),
            texts=summary,
            keywords=keywords,
            body=_merge(
                _as_lists(summary),
                per_lang_list(c, "includes"),
                _steps_text(c.journey_steps.all()),
            ),
            situations=per_lang_list(c, "situations"),
            target_groups=sorted(groups),
            domains=[c.domain.code],
        )


def service_documents(qs: QuerySet[m.Service]) -> Iterator[IndexDocument]:
    qs = qs.prefetch_related(_STEPS, "target_groups", "related_components__domain")
    for s in qs:
        summary = per_lang(s, "summary")
        yield IndexDocument(
            key=f"service:{s.pk}",
            kind="service",
            code=s.code,
            titles=per_lang(s, "name"),
            urls=localized(s.get_absolute_url),
            texts=summary,
            keywords=_keywords(s),
            body=_merge(_as_lists(summary), _steps_text(s.journey_steps.all())),
            situations=per_lang_list(s, "situations"),
            target_groups=sorted(g.code for g in s.target_groups.all()),
            domains=sorted({c.domain.code for c in s.related_components.all()}),
            data={"organiser": s.organiser},
        )


def journey_documents(qs: QuerySet[m.Journey]) -> Iterator[IndexDocument]:
    qs = qs.prefetch_related("steps__components__domain", "target_groups")
    for j in qs:
        summary = per_lang(j, "summary")
        steps = list(j.steps.all())
        yield IndexDocument(
            key=f"journey:{j.pk}",
            kind="journey",
            code=j.code,
            titles=per_lang(j, "title"),
            urls=localized(j.get_absolute_url),
            texts=summary,
            body=_merge(_as_lists(summary), _as_lists(per_lang(j, "eligibility_note")), _steps_text(steps)),
            target_groups=sorted(g.code for g in j.target_groups.all()),
            domains=sorted({c.domain.code for st in steps for c in st.components.all()}),
            boost=0.85,  # a journey explains a path; the entries it names answer the need
        )


def municipality_documents(qs: QuerySet[m.Municipality]) -> Iterator[IndexDocument]:
    for muni in qs.select_related("county"):
        county = per_lang(muni.county, "name")
        kinds = localized(muni.get_kind_display)
        yield IndexDocument(
            key=f"municipality:{muni.pk}",
            kind="municipality",
            code=muni.code,
            titles=per_lang(muni, "name"),
            urls=localized(muni.get_absolute_url),
            texts={lang: f"{county[lang]} · {kinds[lang]}" for lang in LANGS},
            body={lang: [county[lang]] for lang in LANGS},
            municipality=muni.code,
            county=muni.county.code,
            data={"population": muni.population or 0, "town": muni.kind == "linn"},
        )


def role_documents(qs: QuerySet[m.Role]) -> Iterator[IndexDocument]:
    """Contact roles at the municipality (social worker, case manager …): found by what
    people call them, they lead to the municipality's contacts."""
    for role in qs.filter(kind=m.catalogue.RoleKind.KOV_STAFF):
        contact_for = per_lang(role, "contact_for")
        yield IndexDocument(
            key=f"role:{role.pk}",
            kind="contact",
            code=role.code,
            titles=per_lang(role, "name"),
            urls=localized(lambda: m.base.localized_path("kov")),
            texts=contact_for,
            body=_as_lists(contact_for),
            boost=0.9,
            data={"role": role.code},
        )


def contact_documents(qs: QuerySet[m.ContactPerson]) -> Iterator[IndexDocument]:
    for person in qs.select_related("role", "municipality__county"):
        role = per_lang(person.role, "name")
        muni = person.municipality
        contact_for = per_lang(person, "contact_for")
        yield IndexDocument(
            key=f"contact:{person.pk}",
            kind="contact",
            code=person.role.code,
            titles={lang: f"{role[lang]}: {person.name}" for lang in LANGS},
            urls=localized(lambda muni=muni: muni.get_absolute_url() + "#contacts"),
            texts=contact_for,
            primary={lang: [per_lang(muni, "name")[lang], person.name] for lang in LANGS},
            body=_merge(_as_lists(contact_for), _as_lists(per_lang(person, "job_title"))),
            municipality=muni.code,
            county=muni.county.code,
            valid_from=person.valid_from,
            valid_to=person.valid_to,
            data={
                "role": person.role.code,
                "name": person.name,
                "phone": person.phone,
                "email": person.email,
                "languages": person.languages,
                "reception_hours": per_lang(person, "reception_hours"),
                "municipality_name": per_lang(muni, "name"),
            },
        )


def _decimal(value) -> str | None:
    return None if value is None else str(value)


def _price_data(price: m.Price) -> dict:
    return {
        "valid_from": price.valid_from.isoformat(),
        "valid_to": price.valid_to.isoformat() if price.valid_to else None,
        "unit": per_lang(price.unit, "name"),
        "price_individual": str(price.price_individual) if price.price_individual is not None else None,
        "price_group": str(price.price_group) if price.price_group is not None else None,
        "client_share": price.client_share_display,
        # The numbers, so the result shows the share in the page's language ("3,50 €" in et/ru).
        "client_share_amount": _decimal(price.client_share_amount),
        "client_share_percent": _decimal(price.client_share_percent),
        "currency": price.currency,
    }


def offer_documents(qs: QuerySet[m.Offer]) -> Iterator[IndexDocument]:
    qs = qs.select_related(
        "municipality__county", "provider", "component__domain", "service"
    ).prefetch_related(
        Prefetch(
            "prices",
            queryset=m.Price.objects.published().select_related("unit").order_by("valid_from"),
            to_attr="published_prices",
        ),
        "target_groups",
        "service__related_components__domain",
    )
    for offer in qs:
        item = offer.item
        muni = offer.municipality
        muni_names = per_lang(muni, "name")
        domains = (
            [item.domain.code]
            if offer.component_id
            else sorted({c.domain.code for c in item.related_components.all()})
        )
        yield IndexDocument(
            key=f"offer:{offer.pk}",
            kind="offer",
            code=item.code,
            item_key=f"{offer.kind}:{item.pk}",
            titles=per_lang(item, "name"),
            urls=localized(offer.get_absolute_url),
            texts={lang: f"{muni_names[lang]} · {offer.provider.name}" for lang in LANGS},
            primary={lang: [muni_names[lang], offer.provider.name] for lang in LANGS},
            keywords=_keywords(item),
            body=_as_lists(per_lang(offer, "notes")),
            municipality=muni.code,
            county=muni.county.code,
            target_groups=sorted(g.code for g in offer.target_groups.all()),
            domains=domains,
            valid_from=offer.valid_from,
            valid_to=offer.valid_to,
            data={
                "provider": offer.provider.name,
                "municipality_name": muni_names,
                "languages": offer.languages,
                "prices": [_price_data(p) for p in offer.published_prices],
                "is_demo": offer.is_demo,
            },
        )


# -- pages ----------------------------------------------------------------------------------


def _indexable_pages():
    from wagtail.models import Page

    from portal.models import MunicipalityPage

    # A municipality's page is represented by its municipality document.
    return Page.objects.live().public().filter(depth__gt=1).not_type(MunicipalityPage)


def page_documents(qs) -> Iterator[IndexDocument]:
    for page in qs.specific():
        body = {lang: [] for lang in LANGS}
        for name in ("search_description", "intro", "body"):
            texts = per_lang(page, name) if hasattr(page, f"{name}_et") else None
            if texts is None and hasattr(page, name):
                texts = {lang: str(getattr(page, name) or "") for lang in LANGS}
            for lang in LANGS:
                if texts and texts[lang]:
                    body[lang].append(strip_html(texts[lang]))
        titles = per_lang(page, "title") if hasattr(page, "title_et") else dict.fromkeys(LANGS, page.title)
        urls = localized(lambda page=page: page.get_url() or "")
        if not urls["et"]:
            continue  # not routable from any site
        yield IndexDocument(
            key=f"page:{page.pk}",
            kind="page",
            code=page.slug,
            titles=titles,
            urls=urls,
            texts={lang: " ".join(body[lang])[:400] for lang in LANGS},
            body=body,
            boost=0.8,
        )


# Every source of documents: its key prefix, how to fetch objects by primary key, and builder.
SOURCES: dict[str, tuple[Callable[[], QuerySet], Callable[[QuerySet], Iterator[IndexDocument]]]] = {
    "component": (lambda: m.Component.objects.all(), component_documents),
    "service": (lambda: m.Service.objects.all(), service_documents),
    "journey": (lambda: m.Journey.objects.all(), journey_documents),
    "municipality": (lambda: m.Municipality.objects.all(), municipality_documents),
    "role": (lambda: m.Role.objects.all(), role_documents),
    "contact": (lambda: m.ContactPerson.objects.published(), contact_documents),
    "offer": (lambda: m.Offer.objects.published(), offer_documents),
    "page": (_indexable_pages, page_documents),
}


def documents_for(source: str, pks: Iterable[int] | None = None, batch: int = 500) -> Iterator[IndexDocument]:
    """Documents of one source — all of them, or those of the given primary keys — built in
    batches so a full rebuild holds only a batch of objects in memory."""
    queryset, build = SOURCES[source]
    qs = queryset().order_by("pk")
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        yield from build(queryset().filter(pk__in=ids[start : start + batch]).order_by("pk"))


def all_documents() -> Iterator[IndexDocument]:
    for source in SOURCES:
        yield from documents_for(source)
