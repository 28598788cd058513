"""One contract for every search backend: the database backend always, Elasticsearch when
ELASTICSEARCH_URL points at a live cluster."""

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.test import override_settings

from directory import models as m
from search.backends import SearchFilters, get_backend
from search.models import Synonym

BACKENDS = [
    "database",
    pytest.param(
        "elasticsearch",
        marks=[
            pytest.mark.elasticsearch,
            pytest.mark.skipif(
                not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL is not set"
            ),
        ],
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request, world, settings):
    settings.SEARCH_BACKEND = request.param
    settings.ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
    backend = get_backend(request.param)
    if request.param != "database":
        backend.rebuild()
    with override_settings(SEARCH_BACKEND=request.param):
        yield backend


def codes(results):
    return [hit.code for hit in results.hits]


def test_an_entrys_own_name_finds_it_first(backend):
    results = backend.query("Koduteenus", "et")
    assert results.hits[0].code == "home-care"
    assert results.hits[0].kind == "service"
    assert results.hits[0].url == "/et/services/home-care/"


def test_inflected_words_and_missing_diacritics_still_find_the_entry(backend):
    assert codes(backend.query("koduhooldust", "et"))[0] == "home-care"
    assert codes(backend.query("paevahoid", "et"))[0] == "day-care"


def test_a_typo_is_forgiven(backend):
    assert "support-person" in codes(backend.query("tugiisk", "et"))[:3]


def test_a_russian_query_finds_the_entry_by_its_translated_name(backend):
    results = backend.query("опорное лицо", "ru")
    assert results.hits[0].code == "support-person"
    assert results.hits[0].title == "Услуга опорного лица"
    assert results.hits[0].url == "/ru/services/support-person/"


def test_estonian_words_typed_in_cyrillic_are_understood(backend):
    assert codes(backend.query("тугиисик", "ru"))[0] == "support-person"


def test_a_synonym_added_by_staff_is_used(backend):
    assert "home-care" not in codes(backend.query("kodumuretseja", "et"))
    Synonym.objects.create(language="et", terms="kodumuretseja\nkoduteenus")
    backend.rebuild()  # Elasticsearch reads synonyms when it builds the index
    assert codes(backend.query("kodumuretseja", "et"))[0] == "home-care"


def test_a_municipality_filter_puts_its_own_offer_and_price_first(backend):
    results = backend.query("koduteenus", "et", SearchFilters(municipality="narva-linn"))
    first = results.hits[0]
    assert (first.kind, first.code, first.municipality) == ("offer", "home-care", "narva-linn")
    assert first.data["price"]["price_individual"] == "6.50"
    assert all(h.municipality in ("", "narva-linn") for h in results.hits if h.kind == "offer")


def test_a_published_price_appears_in_search_at_once(backend, django_capture_on_commit_callbacks):
    offer = m.Offer.objects.get(municipality__code="narva-linn", service__code="home-care")
    with django_capture_on_commit_callbacks(execute=True):
        m.Price(
            offer=offer,
            unit=m.Unit.objects.get(code="hour"),
            price_individual=Decimal("7.20"),
            valid_from=dt.date.today(),
        ).publish()
    first = backend.query("koduteenus", "et", SearchFilters(municipality="narva-linn")).hits[0]
    assert first.data["price"]["price_individual"] == "7.20"


def test_a_new_contact_appears_in_search_at_once(backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        m.ContactPerson.objects.create(
            municipality=m.Municipality.objects.get(code="narva-linn"),
            role=m.Role.objects.get(code="case-manager"),
            name="Jelena Smirnova",
            phone="+372 5555 1234",
            valid_from=dt.date(2024, 1, 1),
        )
    hits = backend.query("Smirnova", "et", SearchFilters(municipality="narva-linn")).hits
    assert hits[0].kind == "contact"
    assert hits[0].data["phone"] == "+372 5555 1234"


def test_a_withdrawn_offer_leaves_search(backend, django_capture_on_commit_callbacks):
    offer = m.Offer.objects.get(municipality__code="narva-linn", service__code="home-care")
    with django_capture_on_commit_callbacks(execute=True):
        offer.withdraw(dt.date.today() - dt.timedelta(days=1))
    hits = backend.query("koduteenus", "et", SearchFilters(municipality="narva-linn")).hits
    assert not [h for h in hits if h.kind == "offer" and h.code == "home-care"]


def test_where_an_entry_is_offered_follows_a_withdrawn_offer_at_once(
    backend, django_capture_on_commit_callbacks
):
    def places():
        return dict(backend.query("koduteenus", "et").facets["municipality"])

    assert places() == {"narva-linn": 1, "tartu-linn": 1}
    offer = m.Offer.objects.get(municipality__code="tartu-linn", service__code="home-care")
    with django_capture_on_commit_callbacks(execute=True):
        offer.withdraw(dt.date.today() - dt.timedelta(days=1))
    assert places() == {"narva-linn": 1}


def _new_home_care_offer_in_narva(valid_from: dt.date, groups: tuple[str, ...] = ()) -> m.Offer:
    """Another home-care offer in Narva, beside the one the world holds."""
    known = m.Offer.objects.filter(municipality__code="narva-linn", service__code="home-care").first()
    offer = m.Offer.objects.create(
        municipality=known.municipality, service=known.service, provider=known.provider, valid_from=valid_from
    )
    offer.target_groups.set(m.TargetGroup.objects.filter(code__in=groups))
    return offer


def _home_care_offers(results) -> set[str]:
    return {h.key for h in results.hits if h.kind == "offer" and h.code == "home-care"}


def test_a_municipalitys_offer_of_a_found_entry_is_listed_from_the_day_it_starts(
    backend, django_capture_on_commit_callbacks
):
    known = m.Offer.objects.get(municipality__code="narva-linn", service__code="home-care")
    with django_capture_on_commit_callbacks(execute=True):
        later = _new_home_care_offer_in_narva(dt.date.today() + dt.timedelta(days=1))
    results = backend.query("koduteenus", "et", SearchFilters(municipality="narva-linn"))
    assert _home_care_offers(results) == {f"offer:{known.pk}"}
    assert f"offer:{later.pk}" not in _home_care_offers(results)


def test_a_target_group_filter_keeps_a_municipalitys_offers_for_that_group_and_for_everyone(
    backend, django_capture_on_commit_callbacks
):
    known = m.Offer.objects.get(municipality__code="narva-linn", service__code="home-care")
    with django_capture_on_commit_callbacks(execute=True):
        for_children = _new_home_care_offer_in_narva(dt.date(2023, 1, 1), groups=("children",))
        for_elderly = _new_home_care_offer_in_narva(dt.date(2023, 1, 1), groups=("elderly",))

    def offers(**filters):
        filters = SearchFilters(municipality="narva-linn", **filters)
        return _home_care_offers(backend.query("koduteenus", "et", filters))

    everyone = f"offer:{known.pk}"
    assert offers() == {everyone, f"offer:{for_children.pk}", f"offer:{for_elderly.pk}"}
    assert offers(target_group="elderly") == {everyone, f"offer:{for_elderly.pk}"}


def test_kind_filter_returns_only_that_kind_and_facets_count_kinds(backend):
    results = backend.query("hooldus", "et", SearchFilters(kind="journey"))
    assert results.hits and {h.kind for h in results.hits} == {"journey"}
    assert dict(results.facets["kind"]).get("journey", 0) >= 1


def test_a_domain_filter_keeps_only_entries_of_that_domain(backend):
    results = backend.query("toetamine", "et", SearchFilters(domain="occupation"))
    assert results.hits
    assert all("occupation" in h.domains for h in results.hits)


def test_words_that_mean_nothing_find_nothing(backend):
    assert backend.query("xqzvbnmplk", "et").hits == []


def test_a_mistyped_word_gets_a_did_you_mean(backend):
    assert backend.query("hoolekodu", "et").suggestion == "hooldekodu"


def test_closest_entries_look_like_the_words_of_a_query_that_found_nothing(backend):
    hits = backend.closest("hooldekoduu", "et")
    assert "general-care" in [h.code for h in hits]
    assert {h.kind for h in hits} <= {"component", "service"}
    assert all(h.url.startswith("/et/") for h in hits)
