"""Component and service pages: what it is, where it is offered and at what price — sortable,
filterable by county, summarised per unit — and the journeys it belongs to."""

import json
import re

import pytest

from directory.models import Journey, JourneyStep
from tests.portal.builders import grow

pytestmark = pytest.mark.django_db


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:500]
    html = response.content.decode()
    return html[html.index("<main") :]


def offers_in_order(html):
    table = html[html.index('id="offers-caption"') :]
    return re.findall(r'<th scope="row"><a href="/\w\w/kov/([a-z-]+)/">', table)


@pytest.fixture
def priced(world):
    world.offer(world.narva, world.counselling, "30.00", group="12.00")
    world.offer(world.johvi, world.counselling, "20.00")
    world.offer(world.vinni, world.counselling, "25.00")
    world.offer(world.joesuu, world.counselling, "90.00", unit=world.visit)
    return world


def test_component_page_says_what_it_is_and_what_it_includes(client, world):
    html = get(client, "/en/components/service-planning/")
    assert "Service planning" in html and "An action plan made with the person." in html
    assert "Base support" in html
    # no English "includes" yet: the Estonian list, marked as such
    assert '<ul lang="et" class="includes"><li>tegevusplaani koostamine</li></ul>' in html
    assert 'class="untranslated"' in html


def test_what_a_component_includes_is_shown_in_the_pages_language(client, world):
    html = get(client, "/ru/components/service-planning/")
    assert '<ul class="includes"><li>составление плана действий</li></ul>' in html
    assert "tegevusplaani koostamine" not in html


def test_component_page_says_when_it_may_help_in_the_pages_language(client, world):
    world.planning_component.situations_et = ["Ei tea, millist abi ma vajan."]
    world.planning_component.situations_ru = ["Не знаю, какая помощь мне нужна."]
    world.planning_component.save()
    html = get(client, "/ru/components/service-planning/")
    assert '<h2 id="situations-heading">Это может помочь, когда…</h2>' in html
    assert '<ul class="situations"><li>Не знаю, какая помощь мне нужна.</li></ul>' in html
    # no English situations yet: the Estonian ones, marked as such
    html = get(client, "/en/components/service-planning/")
    assert '<ul lang="et" class="situations"><li>Ei tea, millist abi ma vajan.</li></ul>' in html


def test_a_component_without_situations_shows_no_empty_list(client, world):
    assert 'id="situations-heading"' not in get(client, "/en/components/service-planning/")


def test_the_catalogue_lists_what_each_component_includes_in_three_languages():
    """components.yaml: every "includes" list exists in et, ru and en, line for line."""
    import yaml

    from directory.catalogue import DATA_DIR

    for entry in yaml.safe_load((DATA_DIR / "catalogue" / "components.yaml").read_text()):
        lists = entry["includes"]
        assert len(lists["et"]) == len(lists["ru"]) == len(lists["en"]) > 0, entry["code"]


def test_where_offered_table_sorts_by_price_within_each_unit(client, priced):
    cheapest_first = offers_in_order(get(client, "/et/components/family-counselling/?sort=price"))
    dearest_first = offers_in_order(get(client, "/et/components/family-counselling/?sort=-price"))
    by_name = offers_in_order(get(client, "/et/components/family-counselling/"))

    # Rows sort by unit first (külastus before tund), so a price per visit is never ranked
    # among prices per hour.
    assert cheapest_first == ["narva-joesuu-linn", "johvi-vald", "vinni-vald", "narva-linn"]
    assert dearest_first == ["narva-joesuu-linn", "narva-linn", "vinni-vald", "johvi-vald"]
    assert by_name == ["johvi-vald", "narva-linn", "narva-joesuu-linn", "vinni-vald"]


def test_price_summary_is_per_unit_and_work_form(client, priced):
    html = get(client, "/et/components/family-counselling/")
    stats = html[html.index('class="stats"') : html.index("</table>", html.index('class="stats"'))]
    rows = re.findall(r"<tr>(.*?)</tr>", stats, re.S)[1:]
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    flat = [[re.sub(r"<[^>]+>", "", c).strip() for c in row] for row in cells]
    assert flat == [
        ["külastus", "individuaalne", "1", "90,00\u00a0€", "90,00\u00a0€", "90,00\u00a0€"],
        ["tund", "individuaalne", "3", "20,00\u00a0€", "25,00\u00a0€", "30,00\u00a0€"],
        ["tund", "grupp", "1", "12,00\u00a0€", "12,00\u00a0€", "12,00\u00a0€"],
    ]


def test_county_filter_limits_the_table_and_the_summary(client, priced):
    html = get(client, "/en/components/family-counselling/?county=laane-viru")
    assert offers_in_order(html) == ["vinni-vald"]
    assert "Lääne-Viru County" in html


@pytest.mark.parametrize("query", ["sort=cheapest", "county=atlantis", "sort=%00&county=%ff", "page=abc"])
def test_bad_query_strings_get_a_clear_message_never_an_error(client, priced, query):
    response = client.get(f"/en/components/family-counselling/?{query}")
    assert response.status_code in (200, 400)
    html = response.content.decode()
    if response.status_code == 400:
        assert 'role="alert"' in html
    assert offers_in_order(html[html.index("<main") :]), "the table is still shown"


def test_unknown_component_is_not_found(client, world):
    assert client.get("/et/components/no-such-thing/").status_code == 404


def test_long_tables_are_paginated(client, world, settings, monkeypatch):
    monkeypatch.setattr("portal.views.PAGE_SIZE", 2)
    for kov in (world.narva, world.johvi, world.vinni):
        world.offer(kov, world.respite, "10.00")
    first = get(client, "/en/components/respite-for-family/")
    second = get(client, "/en/components/respite-for-family/?page=2")
    assert offers_in_order(first) == ["johvi-vald", "narva-linn"]
    assert offers_in_order(second) == ["vinni-vald"]
    assert "Page 2 of 2" in second


def test_component_page_lists_the_journeys_it_belongs_to(client, world):
    journey = Journey.objects.create(
        code="elderly-in-need", title_et="Abivajav eakas", title_en="Older person"
    )
    step = JourneyStep.objects.create(journey=journey, position=1, actor=world.social_worker, title_et="Abi")
    step.components.add(world.respite)
    html = get(client, "/en/components/respite-for-family/")
    assert 'href="/en/journeys/elderly-in-need/">Older person</a>' in html


def test_service_page_shows_organiser_target_groups_and_offers(client, world):
    from directory.models import TargetGroup

    elderly = TargetGroup.objects.create(code="elderly", name_et="Eakas", name_ru="Пожилой человек")
    world.home_care.target_groups.add(elderly)
    world.home_care.related_components.add(world.respite)
    world.offer(world.narva, world.home_care, "6.20")

    html = get(client, "/ru/services/home-care/")
    assert "Услуга помощи на дому" in html
    assert 'href="/ru/journeys/?target_group=elderly"' in html
    assert 'href="/ru/components/respite-for-family/"' in html
    assert offers_in_order(html) == ["narva-linn"]


def test_component_and_service_pages_carry_json_ld_with_unit_prices(client, priced):
    response = client.get("/en/components/family-counselling/")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Service" and data["identifier"] == "family-counselling"
    specs = [s for o in data["offers"] for s in o["priceSpecification"]]
    assert {"price": "90.00", "unitText": "visit"}.items() <= next(
        s for s in specs if s["price"] == "90.00"
    ).items()
    assert all(s["@type"] == "UnitPriceSpecification" and s["priceCurrency"] == "EUR" for s in specs)

    world = priced
    world.offer(world.narva, world.home_care, "6.20")
    data = json.loads(
        re.search(
            r'<script type="application/ld\+json">(.*?)</script>',
            client.get("/en/services/home-care/").content.decode(),
            re.S,
        ).group(1)
    )
    assert data["@type"] == "GovernmentService"


@pytest.mark.parametrize("extra", [0, 30])
def test_query_count_does_not_grow_with_offers(client, priced, django_assert_max_num_queries, extra):
    world = priced
    for kov in (world.narva, world.johvi, world.vinni):
        grow(world, kov, extra // 3)
    with django_assert_max_num_queries(12):
        html = get(client, "/et/components/family-counselling/?sort=price")
    assert len(offers_in_order(html)) >= 4
    with django_assert_max_num_queries(12):
        get(client, "/et/services/home-care/?county=ida-viru")
