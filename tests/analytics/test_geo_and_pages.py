"""The map joins every KOV and county to its boundary (by EHAK code, by name where the code
changed after 2018); the analytics pages exist in every language; translations are complete."""

import pytest

from analytics import geo
from directory.models import County, Municipality


@pytest.mark.django_db
def test_all_79_municipalities_and_15_counties_get_a_shape(catalogue):
    municipalities = list(Municipality.objects.all())
    joined = geo.join(geo.layer("municipalities").shapes, municipalities)
    assert len(municipalities) == 79
    assert {m.code for m in joined.values()} == {m.code for m in municipalities}
    assert len(geo.join(geo.layer("counties").shapes, County.objects.all())) == 15


@pytest.mark.django_db
def test_a_changed_ehak_code_falls_back_to_the_name(catalogue):
    kiili = Municipality.objects.get(name_et="Kiili vald")
    assert kiili.ehak == "0305", "the catalogue has the current code; the 2018 shapes have 0304"
    joined = geo.join(geo.layer("municipalities").shapes, [kiili])
    assert list(joined) == ["0304"]


def test_paths_are_projected_simplified_and_cached():
    first = geo.layer("counties")
    assert geo.layer("counties") is first, "computed once per process"
    assert len(first.shapes) == 15
    assert all(shape.d.startswith("M") and shape.d.endswith("Z") for shape in first.shapes)
    assert sum(len(shape.d) for shape in first.shapes) < 120_000, "small enough to inline in a page"
    assert first.width == 640 and 400 < first.height < 500


@pytest.mark.django_db
@pytest.mark.parametrize("lang, title", [("et", "Analüüs"), ("ru", "Аналитика"), ("en", "Analytics")])
def test_the_analytics_index_links_every_page(client, lang, title):
    html = client.get(f"/{lang}/analytics/").content.decode()
    assert f"<title>{title}" in html
    for page in ("coverage", "prices", "completeness", "budget"):
        assert f'href="/{lang}/analytics/{page}/"' in html
