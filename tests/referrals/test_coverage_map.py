"""Issue 19, analytics for the state: the coverage page shows where no referral route exists —
a dashed outline on the municipality map, a table naming those municipalities, and a column
in the CSV — counting only routes in force (the demo data has routes for Jõhvi, Narva and
Tallinn only)."""

import csv
import io
import re

import pytest

from referrals.models import ReferralRoute

pytestmark = pytest.mark.django_db


def _no_route_table(html: str) -> str:
    return re.search(r'<table id="no-routes">.*?</table>', html, re.S).group(0)


def test_the_coverage_page_names_the_municipalities_without_a_route(client, routes):
    response = client.get("/en/analytics/coverage/", {"county": "ida-viru-maakond"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Where no referral route exists" in html
    table = _no_route_table(html)
    assert "Alutaguse Parish" in table
    assert "Jõhvi" not in table and "Narva" not in table.replace("Narva-Jõesuu", "")
    assert 'href="/en/analytics/referral-routes/"' in html


def test_the_municipality_map_outlines_the_gaps_and_says_so(client, routes):
    html = client.get("/en/analytics/coverage/", {"county": "ida-viru-maakond"}).content.decode()
    outlined = re.findall(r'<path class="[^"]*no-route"[^>]*><title>([^<]*)</title>', html)
    assert any(t.startswith("Alutaguse Parish:") and t.endswith("no referral route agreed") for t in outlined)
    assert not any(t.startswith("Jõhvi") for t in outlined)
    assert "dashed outline: no referral route agreed" in html  # the legend


def test_the_section_speaks_russian_and_estonian(client, routes):
    ru = client.get("/ru/analytics/coverage/", {"county": "ida-viru-maakond"}).content.decode()
    et = client.get("/et/analytics/coverage/", {"county": "ida-viru-maakond"}).content.decode()
    assert "Где нет порядка направления" in ru
    assert "Kus suunamise kord puudub" in et


def test_a_withdrawn_route_no_longer_counts(client, routes):
    ReferralRoute.objects.filter(municipality__code="johvi-vald").delete()
    html = client.get("/en/analytics/coverage/", {"county": "ida-viru-maakond"}).content.decode()
    assert "Jõhvi" in _no_route_table(html)


def test_the_csv_carries_the_number_of_agreed_routes(client, routes):
    response = client.get("/en/analytics/coverage.csv", {"county": "ida-viru-maakond", "kind": "service"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][-1] == "agreed referral routes"
    by_code = {row[1]: int(row[-1]) for row in rows[1:]}
    narva_routes = ReferralRoute.objects.public().filter(municipality__code="narva-linn").count()
    assert by_code["narva-linn"] == narva_routes > 0
    assert by_code["alutaguse-vald"] == 0
