"""The municipality page: the current price list by life domain and tier, contacts by role,
what is not offered here and where it is, and the qualities every public page has."""

import datetime as dt
import json
import re

import pytest
from django.utils import translation

from tests.factories import PriceFactory, ProviderFactory, ServiceFactory
from tests.portal.builders import LAST_YEAR, THIS_YEAR, World, grow, price

pytestmark = pytest.mark.django_db


def page(client, world, lang="et", municipality=None):
    municipality = municipality or world.narva
    response = client.get(f"/{lang}/kov/{municipality.code}/")
    assert response.status_code == 200
    return response.content.decode()


def jsonld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_price_list_opens_with_the_most_asked_then_folds_other_services_and_components_by_tier(client, world):
    world.offer(world.narva, world.home_care, "6.20")
    world.offer(world.narva, ServiceFactory(code="debt-counselling", name_en="Debt counselling"), "22.00")
    world.offer(world.narva, world.respite, "30.00", group="12.50")
    world.offer(world.narva, world.planning_component, "40.00")

    html = page(client, world, "en")
    html = html[html.index('id="prices"') :]

    most_asked = html.index('<details class="price-group" data-group open>')
    services = html.index(">Social services<")
    base = html.index('<h3 class="tier-heading" data-tier>Base support</h3>')
    planning = html.index('<span class="title">Service planning')
    additional = html.index('<h3 class="tier-heading" data-tier>Additional support</h3>')
    family = html.index('<span class="title">Family support')
    assert most_asked < html.index(">Most asked<") < html.index("Home care") < services
    assert services < html.index("Debt counselling") < base < planning < additional < family
    assert html.count('class="tier-heading"') == 2, "each tier named once, above its groups"
    assert html.count('<details class="price-group" data-group open>') == 1, "only the most asked unfolded"
    assert html.count('<details class="price-group" data-group>') == 3, "the others folded, opened by a click"
    assert "30.00\u00a0€" in html and "12.50\u00a0€" in html


def test_each_offer_is_listed_once_the_most_asked_not_again_in_their_group(client, world):
    offer = world.offer(world.narva, world.home_care, "6.20")

    html = page(client, world, "en")

    assert html.count(f'href="/en/offers/{offer.pk}/"') == 1
    assert ">Social services<" not in html, "no empty group is left behind"


def test_price_list_shows_only_the_price_in_force_and_never_drafts(client, world):
    offer = world.offer(world.narva, world.respite, None)
    price(offer, "11.11", valid_from=LAST_YEAR)
    price(offer, "22.22", valid_from=THIS_YEAR)
    PriceFactory(
        offer=offer, unit=world.hour, price_individual="99.99", valid_from=THIS_YEAR + dt.timedelta(days=1)
    )  # a draft
    withdrawn = world.offer(world.narva, world.counselling, "55.55")
    withdrawn.withdraw(dt.date.today() - dt.timedelta(days=1))

    html = page(client, world, "et")

    assert "22,22\u00a0€" in html
    assert "11,11" not in html, "a superseded price is history, not the price list"
    assert "99,99" not in html, "a draft is never public"
    assert "55,55" not in html, "a withdrawn offer is not offered"


def test_each_row_leads_to_its_offer_page_which_holds_its_price_history_and_report_link(client, world):
    offer = world.offer(world.narva, world.respite, "30.00")

    html = page(client, world, "ru")
    offer_page = client.get(f"/ru/offers/{offer.pk}/").content.decode()

    row = html[html.index(f'href="/ru/offers/{offer.pk}/"') :]
    assert "30,00\u00a0€" in row[: row.index("</tr>")], "the name links to the offer page"
    assert f"/ru/offers/{offer.pk}/history/" not in html, "one link per row on the list"
    assert f'href="/ru/offers/{offer.pk}/history/"' in offer_page
    assert f'href="/ru/report-a-mistake/offer/{offer.pk}/"' in offer_page


def test_contacts_are_grouped_by_role_with_tappable_phone_and_email(client, world):
    world.contact(
        world.narva,
        "Olga Petrova",
        phone="+372 356 9999",
        email="olga@narva.example",
        reception_hours_et="E 9–12",
        reception_hours_ru="Пн 9–12",
        languages=["et", "ru"],
    )
    world.contact(world.narva, "Old Contact", valid_to=dt.date.today() - dt.timedelta(days=1))

    html = page(client, world, "ru")

    assert "Социальный работник самоуправления" in html
    assert 'href="tel:+3723569999"' in html
    assert 'href="mailto:olga@narva.example"' in html
    assert "Пн 9–12" in html
    assert "эстонский, русский" in html.lower()
    assert "Old Contact" not in html, "a contact whose validity ended is not shown"


def test_components_not_offered_name_the_nearest_municipalities_same_county_first(client, world):
    world.offer(world.narva, world.respite, "30.00")
    world.offer(world.joesuu, world.counselling, "20.00")  # same county, 17 km
    world.offer(world.johvi, world.counselling, "21.00")  # same county, 44 km
    world.offer(world.vinni, world.counselling, "19.00")  # other county
    world.offer(world.vinni, world.planning_component, "40.00")  # only across the county line

    html = page(client, world, "en")
    missing = html[html.index('id="not-offered"') :]

    assert "Respite for the family" not in missing, "offered here, so not missing"
    counselling = missing[
        missing.index("Family counselling") : missing.index("</li>", missing.index("Family counselling"))
    ]
    assert (
        counselling.index("Narva-Jõesuu")
        < counselling.index("Jõhvi Parish")
        < counselling.index("Vinni Parish")
    )
    assert re.search(r"Narva-Jõesuu</a> \(\d+ km\)", counselling)
    planning = missing[missing.index("Service planning") :]
    assert "Vinni Parish" in planning[: planning.index("</li>")]


@pytest.mark.parametrize(
    ("lang", "component", "name"),
    [
        ("ru", "Консультирование семьи", "город Нарва-Йыэсуу"),
        ("en", "Family counselling", "Narva-Jõesuu"),
        ("et", "Pere nõustamine", "Narva-Jõesuu linn"),
    ],
)
def test_the_nearest_municipalities_are_named_and_linked_in_the_pages_language(
    client, world, lang, component, name
):
    world.offer(world.joesuu, world.counselling, "20.00")

    line = missing_line(page(client, world, lang), component)

    assert f'<a href="/{lang}/kov/narva-joesuu-linn/">{name}</a>' in line


def test_text_missing_in_russian_is_shown_in_estonian_marked_and_flagged(client, world):
    world.offer(world.narva, world.respite, "30.00", notes_et="Ainult tööpäeviti.", notes_ru="")

    html = page(client, world, "ru")

    with translation.override("ru"):
        note = translation.gettext("not translated yet")
    assert note != "not translated yet", "the note itself is translated"
    assert re.search(
        r'<span lang="et">Ainult tööpäeviti\.</span> <span class="untranslated">' + re.escape(note), html
    )


def test_translated_text_is_not_flagged(client, world):
    world.offer(
        world.narva, world.respite, "30.00", notes_et="Ainult tööpäeviti.", notes_ru="Только по будням."
    )
    html = page(client, world, "ru")
    assert "Только по будням." in html
    assert 'class="untranslated"' not in html


def test_demo_rows_carry_the_demo_notice_and_real_rows_do_not(client, world):
    world.offer(world.narva, world.respite, "30.00")
    assert "demo-notice" not in page(client, world)

    world.offer(world.johvi, world.respite, "30.00", is_demo=True)
    assert "demo-notice" in page(client, world, municipality=world.johvi)


def test_page_says_when_its_data_was_last_updated_and_verified(client, world):
    world.offer(world.narva, world.respite, "30.00", last_verified=dt.date(2026, 3, 14))
    world.contact(world.narva, last_verified=dt.date(2026, 5, 2))

    html = page(client, world, "et")

    assert 'class="freshness"' in html
    assert '<time datetime="2026-05-02">02.05.2026</time>' in html
    assert '<time datetime="2026-03-14">14.03.2026</time>' in html  # in the price row


def test_json_ld_describes_the_municipality_its_contacts_and_unit_prices(client, world):
    world.offer(world.narva, world.home_care, "6.20", unit=world.hour)
    world.contact(world.narva, "Olga Petrova")

    data = jsonld(page(client, world, "en"))

    organisation, service = data["@graph"]
    assert organisation["@type"] == "GovernmentOrganization" and organisation["name"] == "Narva"
    assert organisation["contactPoint"][0]["telephone"] == "+372 5123 4567"
    assert service["@type"] == "GovernmentService" and service["name"] == "Home care"
    spec = service["offers"]["priceSpecification"][0]
    assert spec == {
        **spec,
        "@type": "UnitPriceSpecification",
        "price": "6.20",
        "priceCurrency": "EUR",
        "unitText": "hour",
    }


def test_a_published_price_change_shows_at_once(client, world):
    offer = world.offer(
        world.narva,
        world.respite,
        "30.00",
    )
    assert "30,00\u00a0€" in page(client, world)

    PriceFactory(offer=offer, unit=world.hour, price_individual="31.50", valid_from=dt.date.today()).publish()

    html = page(client, world)
    assert "31,50\u00a0€" in html and "30,00\u00a0€" not in html


def test_every_contact_and_the_page_have_a_report_link(client, world):
    """An offer's report link is on the offer's page, one tap from its row (test above)."""
    contact = world.contact(world.narva)
    html = page(client, world, "ru")
    assert f'href="/ru/report-a-mistake/contact/{contact.pk}/"' in html
    assert 'href="/ru/report-a-mistake/kov/narva-linn/"' in html


def test_the_page_has_a_print_stylesheet(client, world):
    html = page(client, world)
    assert re.search(r'<link rel="stylesheet" href="[^"]*print[^"]*\.css" media="print">', html)


@pytest.mark.parametrize("extra", [0, 24])
def test_query_count_does_not_grow_with_offers_and_contacts(
    client, world, django_assert_max_num_queries, extra
):
    world.offer(world.narva, world.respite, "30.00")
    world.contact(world.narva)
    world.offer(world.johvi, world.counselling, "21.00")
    grow(world, world.narva, extra)
    grow(world, world.johvi, extra)

    with django_assert_max_num_queries(22):
        html = page(client, world)
    assert html.count("<tr data-filter-text=") == 1 + extra


def missing_line(html: str, name: str) -> str:
    missing = html[html.index('id="not-offered"') :]
    return missing[missing.index(name) : missing.index("</li>", missing.index(name))]


# "Not offered here" is remembered between requests until a committed change moves the data
# version on; these tests commit for real, as editors do.
@pytest.mark.django_db(transaction=True)
def test_not_offered_here_is_remembered_and_follows_a_new_offer_at_once(client, wagtail_root):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = World().build_pages()
    world.offer(world.narva, world.respite, "30.00")
    with CaptureQueriesContext(connection) as first:
        html = page(client, world, "en")
    assert "not offered by any municipality yet" in missing_line(html, "Family counselling")
    with CaptureQueriesContext(connection) as again:
        page(client, world, "en")
    assert len(again) < len(first), "remembered: the other municipalities' offers are not read again"

    world.offer(world.johvi, world.counselling, "21.00")
    assert "Jõhvi Parish" in missing_line(page(client, world, "en"), "Family counselling")


@pytest.mark.django_db(transaction=True)
def test_a_withdrawn_offer_leaves_not_offered_here_at_once(client, wagtail_root):
    world = World().build_pages()
    offer = world.offer(world.johvi, world.counselling, "21.00")
    assert "Jõhvi Parish" in missing_line(page(client, world, "en"), "Family counselling")

    offer.withdraw(dt.date.today() - dt.timedelta(days=1))

    assert "Jõhvi Parish" not in missing_line(page(client, world, "en"), "Family counselling")


def test_contact_cards_escape_what_editors_typed_and_mark_untranslated_text(client, world):
    world.contact(
        world.narva,
        'Olga <b>"Petrova"</b>',
        job_title_et="Sotsiaaltöötaja & nõustaja",
        job_title_ru="",
        email="olga@narva.example",
        reception_hours_et="E 9–12\nT <i>13–16</i>",
    )

    html = page(client, world, "ru")

    assert "<strong>Olga &lt;b&gt;&quot;Petrova&quot;&lt;/b&gt;</strong>" in html
    assert '<span lang="et">Sotsiaaltöötaja &amp; nõustaja</span> <span class="untranslated">' in html
    assert "T &lt;i&gt;13–16&lt;/i&gt;" in html and "<i>" not in html
    assert '<span class="visually-hidden">: Olga &lt;b&gt;&quot;Petrova&quot;&lt;/b&gt;</span>' in html


def test_price_rows_escape_what_editors_typed_once(client, world):
    provider = ProviderFactory(name='MTÜ "Abi" & <Ko>')
    world.offer(world.narva, world.respite, "30.00", provider=provider)
    world.offer(world.narva, world.home_care, "6.20")  # two providers: each row names its own

    html = page(client, world, "en")

    escaped = "MTÜ &quot;Abi&quot; &amp; &lt;Ko&gt;"
    assert f'<td class="provider"><span>{escaped}</span></td>' in html
    assert f'data-filter-text="Respite for the family, {escaped}"' in html
    assert "<Ko>" not in html and "&amp;amp;" not in html and "&amp;quot;" not in html


def contacts_section(html):
    start = html.index('id="contacts"')
    return html[start : html.index("</section>", start)]


def test_reception_hours_and_languages_every_contact_shares_are_said_once_above_the_cards(client, world):
    for name in ("Olga Petrova", "Jelena Ivanova"):
        world.contact(world.narva, name, reception_hours_en="Mon 9–12", languages=["et", "ru"])

    contacts = contacts_section(page(client, world, "en"))

    assert contacts.count("Mon 9–12") == 1 and contacts.count("Estonian, Russian") == 1
    assert contacts.index('class="contact-common"') < contacts.index("Jelena Ivanova")


def test_a_contact_with_other_hours_keeps_them_on_their_own_card(client, world):
    world.contact(world.narva, "Olga Petrova", reception_hours_en="Mon 9–12", languages=["et", "ru"])
    world.contact(world.narva, "Jelena Ivanova", reception_hours_en="Tue 13–16", languages=["et", "ru"])

    contacts = contacts_section(page(client, world, "en"))

    jelena, olga = contacts.index("Jelena Ivanova"), contacts.index("Olga Petrova")
    assert jelena < contacts.index("Tue 13–16") < olga < contacts.index("Mon 9–12"), "by name, each their own"
    assert contacts.count("Estonian, Russian") == 1, "the languages both speak, said once"
    assert contacts.index('class="contact-common"') < jelena
