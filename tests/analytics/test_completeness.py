"""Completeness: each statutory service in each KOV is described, priced, has a contact for
its role and was verified within 12 months — and the KOV's score adds them up."""

import datetime as dt

import pytest

from analytics.completeness import completeness, contact_role
from tests.factories import ContactPersonFactory, OfferFactory, RoleFactory, published_price
from tests.html import assert_no_inline_code

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def published(world):
    social_worker = RoleFactory(code="social-worker")
    child_protection = RoleFactory(code="child-protection-worker", name_et="Lastekaitsetöötaja")
    # Kose: home care fully done; childcare described and verified long ago, no price, no
    # child-protection worker (only a social worker, which does not count for childcare).
    home = OfferFactory(
        municipality=world.kose, component=None, service=world.home_care, last_verified=D(2026, 1, 15)
    )
    published_price(home, D(2025, 1, 1), "6.00", unit=world.hour)
    OfferFactory(
        municipality=world.kose, component=None, service=world.childcare, last_verified=D(2025, 3, 1)
    )
    ContactPersonFactory(municipality=world.kose, role=social_worker)
    # Anija: a child-protection worker whose post ended, and nothing else.
    ContactPersonFactory(municipality=world.anija, role=child_protection, valid_to=D(2025, 12, 31))
    # Kohila: a child-protection worker in post, verified childcare offer.
    child = OfferFactory(
        municipality=world.kohila, component=None, service=world.childcare, last_verified=D(2025, 6, 2)
    )
    published_price(child, D(2026, 1, 1), "8.00", unit=world.hour)
    ContactPersonFactory(municipality=world.kohila, role=child_protection)
    return world


def test_only_services_the_kov_organises_are_checked(published):
    report = completeness()
    assert [s.code for s in report.services] == ["childcare", "home-care"]


def test_each_cell_says_described_priced_contact_and_verified(published):
    report = completeness()
    rows = {row.municipality.code: {c.service.code: c.as_dict() for c in row.checks} for row in report.rows}

    assert rows["kose-vald"]["home-care"] == {
        "described": True,
        "priced": True,
        "contact": True,
        "verified": True,
    }
    assert rows["kose-vald"]["childcare"] == {
        "described": True,
        "priced": False,
        "contact": False,
        "verified": False,
    }
    assert rows["anija-vald"]["childcare"] == {
        "described": False,
        "priced": False,
        "contact": False,
        "verified": False,
    }
    assert rows["kohila-vald"]["childcare"] == {
        "described": True,
        "priced": True,
        "contact": True,
        "verified": True,
    }, "verified 364 days ago"
    assert rows["kohila-vald"]["home-care"]["contact"] is False, "home care needs a social worker"


def test_the_score_is_the_share_of_checks_passed(published):
    scores = {row.municipality.code: row.score for row in completeness().rows}
    # Kose 4 + 1 of 8, Anija 0 of 8, Kohila 4 + 0 of 8.
    assert scores == {"anija-vald": 0, "kose-vald": 63, "kohila-vald": 50}


def test_sorting_by_score_puts_the_least_complete_first(published):
    assert [r.municipality.code for r in completeness(sort="score").rows] == [
        "anija-vald",
        "kohila-vald",
        "kose-vald",
    ]


def test_the_contact_role_follows_the_service():
    class S:
        def __init__(self, code):
            self.code = code

    assert contact_role(S("care-coordination")) == "care-coordinator"
    assert contact_role(S("case-management")) == "case-manager"
    assert contact_role(S("aftercare")) == "child-protection-worker"
    assert contact_role(S("home-care")) == "social-worker"


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_the_page_shows_every_kov_with_its_score(client, published, lang, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(f"/{lang}/analytics/completeness/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("63 %") == 1 and "50 %" in html
    assert "■■■■" in html and "□□□□" in html
    assert_no_inline_code(html)


def test_csv_has_a_row_per_kov_and_service(client, published):
    body = client.get("/en/analytics/completeness.csv?county=harju-maakond").content.decode("utf-8")
    lines = body.lstrip("\ufeff").strip().splitlines()
    assert len(lines) == 1 + 2 * 2
    assert "Harju County,kose-vald,Kose Parish,home-care,Home care,1,1,1,1,63" in lines[1:]
