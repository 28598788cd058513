"""Unmet needs: searches that found nothing or nothing good, grouped by meaning, per
municipality — for KOV staff in the admin (each sees only their own KOV), and aggregated
(k-anonymous) in the public API. Today is 2026-06-01 (tests/analytics/conftest.py)."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from analytics.unmet import group_key, public_groups, unmet_needs
from publishing.permissions import setup_kov_permissions
from publishing.scope import coordinator_group_name, editor_group_name
from search.backends import get_backend
from search.models import SearchLog
from tests import factories as f

from .conftest import TODAY

REPORT = "/admin/reports/unmet-needs/"
REPORT_CSV = "/admin/reports/unmet-needs.csv"
API = "/api/v1/analytics/unmet-needs/"


def log(query, municipality="", lang="et", results=0, score=None, day=TODAY):
    return SearchLog.objects.create(
        query=query,
        lang=lang,
        municipality=municipality,
        result_count=results,
        top_score=score,
        created_on=day,
    )


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def kovs(db):
    ida = f.CountyFactory(code="ida-viru-maakond", ehak="0045", name_et="Ida-Viru maakond")
    harju = f.CountyFactory(code="harju-maakond", ehak="0037", name_et="Harju maakond")
    narva = f.MunicipalityFactory(code="narva-linn", ehak="0511", name_et="Narva linn", county=ida)
    sillamae = f.MunicipalityFactory(code="sillamae-linn", ehak="0735", name_et="Sillamäe linn", county=ida)
    tallinn = f.MunicipalityFactory(code="tallinn", ehak="0784", name_et="Tallinn", county=harju)
    setup_kov_permissions()
    return {"narva": narva, "sillamae": sillamae, "tallinn": tallinn}


def make_user(username, *groups, language="en", superuser=False):
    """A staff member whose admin speaks `language` (the portal's default is Estonian)."""
    from wagtail.users.models import UserProfile

    create = get_user_model().objects.create_superuser if superuser else get_user_model().objects.create_user
    user = create(username, f"{username}@kov.example", "pw-" + username)
    user.groups.set(Group.objects.filter(name__in=groups))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def login(client, username):
    """A real login through the admin's login form."""
    response = client.post("/admin/login/", {"username": username, "password": "pw-" + username})
    assert response.status_code == 302, "login failed"
    return client


@pytest.fixture
def searches(kovs):
    """Narva: a need typed three ways (one a poor result), a Russian need, a met search.
    Tallinn: its own need. No municipality chosen: a nationwide need."""
    log("hooldekodu", "narva-linn", day=days_ago(10))
    log("Hooldekodusse", "narva-linn", day=days_ago(3))
    log("hooldekodud", "narva-linn", results=4, score=0.2, day=days_ago(1))
    log("сиделка для мамы", "narva-linn", lang="ru", day=days_ago(2))
    log("сиделку мамы", "narva-linn", lang="ru", day=days_ago(2))
    log("koduteenus", "narva-linn", results=5, score=0.9)
    log("tallinna lumekoristus", "tallinn", day=days_ago(5))
    log("invatakso", "", day=days_ago(7))


# -- grouping -------------------------------------------------------------------------------


def test_queries_that_differ_only_in_inflection_case_or_diacritics_are_one_need():
    assert group_key("hooldekodu", "et") == group_key("Hooldekodusse", "et") == group_key("hooldekodud", "et")
    assert group_key("päevahoid", "et") == group_key("paevahoid", "et")
    assert group_key("сиделка для мамы", "ru") == group_key("сиделку мамы", "ru")
    assert group_key("respite for carers", "en") == group_key("carers respite", "en")
    assert group_key("hooldekodu", "et") != group_key("koduteenus", "et")


def test_a_query_of_stop_words_only_keeps_its_text_as_the_group():
    assert group_key("ja", "et") == "ja"


def test_unmet_searches_are_grouped_with_counts_language_days_and_municipalities(searches, kovs):
    report = unmet_needs()
    assert report.searches == 8
    assert report.unmet == 7  # "koduteenus" found what it looked for
    top = report.groups[0]
    assert (top.label, top.lang, top.count, top.zero, top.poor) == ("hooldekodu", "et", 3, 2, 1)
    assert sorted(v.query for v in top.variants) == ["Hooldekodusse", "hooldekodu", "hooldekodud"]
    assert (top.first_day, top.last_day) == (days_ago(10), days_ago(1))
    assert [(p.code, p.count) for p in top.places] == [("narva-linn", 3)]
    russian = next(g for g in report.groups if g.lang == "ru")
    assert (russian.count, russian.first_day, russian.last_day) == (2, days_ago(2), days_ago(2))
    by_code = {s.code: s for s in report.by_municipality}
    assert (by_code["narva-linn"].searches, by_code["narva-linn"].unmet, by_code["narva-linn"].zero) == (
        6,
        5,
        4,
    )
    assert by_code["narva-linn"].groups == 2
    assert (by_code[""].searches, by_code[""].unmet) == (1, 1)
    assert by_code["narva-linn"].share == pytest.approx(5 / 6)


def test_the_period_defaults_to_the_last_90_days(kovs):
    log("vana otsing", "narva-linn", day=days_ago(90))
    log("uus otsing", "narva-linn", day=days_ago(89))
    report = unmet_needs()
    assert report.date_from == days_ago(89) and report.date_to == TODAY
    assert [g.label for g in report.groups] == ["uus otsing"]
    older = unmet_needs(date_from=days_ago(200), date_to=days_ago(90))
    assert [g.label for g in older.groups] == ["vana otsing"]


def test_filters_by_municipality_county_language_and_outcome(searches, kovs):
    from directory.models import Municipality

    narva = unmet_needs(municipalities=Municipality.objects.filter(code="narva-linn"), include_unscoped=False)
    # Of two texts typed equally often, the shorter names the group.
    assert {g.label for g in narva.groups} == {"hooldekodu", "сиделку мамы"}
    ida = unmet_needs(
        municipalities=Municipality.objects.filter(county__code="ida-viru-maakond"), include_unscoped=False
    )
    assert "tallinna lumekoristus" not in {g.label for g in ida.groups}
    assert {g.label for g in unmet_needs(lang="ru").groups} == {"сиделку мамы"}
    poor_only = unmet_needs(outcome="poor")
    assert [(g.label, g.count) for g in poor_only.groups] == [("hooldekodud", 1)]
    zero_only = unmet_needs(outcome="zero")
    assert (
        next(g for g in zero_only.groups if g.lang == "et" and g.key == group_key("hooldekodu", "et")).count
        == 2
    )
    only_unscoped = unmet_needs(municipalities=Municipality.objects.none(), include_unscoped=True)
    assert [g.label for g in only_unscoped.groups] == ["invatakso"]


# -- real searches produce the rows -----------------------------------------------------------


def test_real_searches_through_the_api_feed_the_report(kovs, client):
    service = f.ServiceFactory(
        code="home-care", name_et="Koduteenus", name_ru="Услуга на дому", name_en="Home care"
    )
    f.OfferFactory(municipality=kovs["narva"], service=service, component=None)
    get_backend("database").rebuild()

    for q in ("koduteenus", "lumelükkamine", "lumelükkamise"):
        assert client.get("/api/v1/search/", {"q": q, "municipality": "narva-linn"}).status_code == 200
    assert client.get("/api/v1/search/", {"q": "снегоуборка", "lang": "ru"}).status_code == 200

    assert SearchLog.objects.count() == 4
    report = unmet_needs()
    labels = {(g.lang, g.label): g for g in report.groups}
    snow = labels[("et", "lumelükkamine")]
    assert snow.count == 2 and [(p.code, p.count) for p in snow.places] == [("narva-linn", 2)]
    assert ("ru", "снегоуборка") in labels
    assert ("et", "koduteenus") not in labels
    narva = next(s for s in report.by_municipality if s.code == "narva-linn")
    assert (narva.searches, narva.unmet) == (3, 2)


# -- the admin report: scope by login -----------------------------------------------------------


def test_a_narva_editor_sees_narvas_searches_and_not_tallinns(searches, client):
    make_user("narva-editor", editor_group_name("narva-linn"))
    login(client, "narva-editor")
    response = client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "hooldekodu" in html and "сиделка для мамы" in html
    assert "lumekoristus" not in html
    assert "invatakso" not in html  # no municipality chosen: not a KOV editor's data
    assert "Tallinn" not in html


def test_a_narva_editor_is_refused_tallinns_searches_and_the_unscoped_ones(searches, client):
    make_user("narva-editor", editor_group_name("narva-linn"))
    login(client, "narva-editor")
    for params in ({"municipality": "tallinn"}, {"municipality": "-"}):
        for url in (REPORT, REPORT_CSV):
            response = client.get(url, params)
            assert response.status_code == 403
            assert "lumekoristus" not in response.content.decode()
    csv_text = client.get(REPORT_CSV).content.decode("utf-8")
    assert "hooldekodu" in csv_text and "lumekoristus" not in csv_text and "invatakso" not in csv_text


def test_the_tallinn_editor_sees_only_tallinn(searches, client):
    make_user("tallinn-editor", editor_group_name("tallinn"))
    html = login(client, "tallinn-editor").get(REPORT).content.decode()
    assert "lumekoristus" in html and "hooldekodu" not in html and "invatakso" not in html


def test_a_county_coordinator_sees_the_county_and_searches_without_a_municipality_marked(searches, client):
    make_user("ida-coordinator", coordinator_group_name("ida-viru-maakond"))
    login(client, "ida-coordinator")
    html = client.get(REPORT).content.decode()
    assert "hooldekodu" in html and "invatakso" in html and "lumekoristus" not in html
    assert "(no municipality chosen)" in html
    assert client.get(REPORT, {"municipality": "tallinn"}).status_code == 403
    only = client.get(REPORT, {"municipality": "-"}).content.decode()
    assert "invatakso" in only and "hooldekodu" not in only


def test_a_superuser_sees_every_municipality(searches, client):
    make_user("root", superuser=True)
    html = login(client, "root").get(REPORT).content.decode()
    assert all(text in html for text in ("hooldekodu", "lumekoristus", "invatakso"))


def test_staff_without_a_municipality_get_no_report_and_no_menu_item(searches, client):
    user = make_user("visitor", editor_group_name("narva-linn"))
    user.groups.clear()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login(client, "visitor")
    assert client.get(REPORT).status_code == 403
    assert REPORT not in client.get("/admin/").content.decode()


def test_the_report_is_in_the_reports_menu_for_kov_staff(searches, client):
    make_user("narva-editor", editor_group_name("narva-linn"))
    assert REPORT in login(client, "narva-editor").get("/admin/").content.decode()


def test_the_csv_is_utf8_with_a_bom_one_row_per_need_and_municipality(searches, client):
    make_user("root", superuser=True)
    response = login(client, "root").get(REPORT_CSV, {"county": "ida-viru-maakond"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["language", "query", "other ways it was typed", "searches"]
    hooldekodu = next(r for r in body if r[1] == "hooldekodu")
    assert hooldekodu[3:8] == ["3", "2", "1", days_ago(10).isoformat(), days_ago(1).isoformat()]
    assert hooldekodu[8:] == ["narva-linn", "Narva linn", "Ida-Viru maakond", "3"]
    russian = next(r for r in body if r[0] == "ru")
    assert (russian[1], russian[2]) == ("сиделку мамы", "сиделка для мамы (1)")
    assert not any(r[8] == "tallinn" for r in body)


def test_query_text_that_a_spreadsheet_would_run_is_escaped_in_the_csv(kovs, client):
    log("=hyperlink(x)", "narva-linn")
    make_user("root", superuser=True)
    body = login(client, "root").get(REPORT_CSV).content.decode("utf-8-sig")
    assert "'=hyperlink(x)" in body


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "1.5.2026"}, "YYYY-MM-DD"),
        ({"date_from": "2026-05-10", "date_to": "2026-05-01"}, "after its end"),
        ({"outcome": "bad"}, "Unknown outcome"),
        ({"lang": "fi"}, "Unknown language"),
        ({"county": "atlantis"}, "atlantis"),
        ({"municipality": "atlantis"}, "atlantis"),
        ({"county": "harju-maakond", "municipality": "narva-linn"}, "not in the chosen county"),
    ],
)
def test_bad_filters_get_the_page_back_with_a_message(searches, client, params, message):
    make_user("root", superuser=True)
    login(client, "root")
    for url in (REPORT, REPORT_CSV):
        response = client.get(url, params)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_filters_in_the_admin_narrow_the_report(searches, client):
    make_user("root", superuser=True)
    login(client, "root")
    html = client.get(REPORT, {"lang": "ru"}).content.decode()
    assert "сиделка для мамы" in html and "hooldekodu" not in html
    html = client.get(
        REPORT, {"date_from": days_ago(4).isoformat(), "date_to": TODAY.isoformat()}
    ).content.decode()
    assert "hooldekodu" in html and "invatakso" not in html  # 7 days ago


def test_the_report_speaks_the_editors_language(searches, client):
    make_user("narva-editor", editor_group_name("narva-linn"), language="ru")
    html = login(client, "narva-editor").get(REPORT).content.decode()
    assert "Неудовлетворённые потребности" in html


# -- the public API: aggregated, k-anonymous ------------------------------------------------------


@pytest.fixture
def public_world(kovs):
    # Published: 4 searches on 2 days; "hooldekodu" itself typed 3 times, Narva 3 of them.
    log("hooldekodu", "narva-linn", day=days_ago(1))
    log("hooldekodu", "narva-linn", day=days_ago(2))
    log("hooldekodu", "narva-linn", day=days_ago(2))
    log("hooldekodusse", "sillamae-linn", day=days_ago(2))
    # Withheld: 3 searches, all on one day (may be one person).
    for _ in range(3):
        log("mari tamme hooldus", "tallinn", day=days_ago(3))
    # Withheld: 3 searches on 3 days, but no single text typed 3 times.
    log("päevakeskus", "tallinn", day=days_ago(1))
    log("paevakeskus", "tallinn", day=days_ago(2))
    log("päevakeskusse", "tallinn", day=days_ago(3))
    # Withheld: only 2 searches.
    log("invatakso", "", day=days_ago(1))
    log("invatakso", "", day=days_ago(2))


def test_the_public_api_shows_only_needs_searched_often_enough(public_world, client):
    response = client.get(API)
    assert response.status_code == 200
    body = response.json()
    assert (body["searches"], body["unmet"], body["zero_results"]) == (12, 12, 12)
    assert body["threshold"] == {"min_searches": 3, "min_days": 2}
    assert body["needs_withheld"] == 3
    [need] = body["needs"]
    assert need["query"] == "hooldekodu"
    assert need["queries"] == [{"query": "hooldekodu", "searches": 3}]
    assert need["searches"] == 4 and need["lang"] == "et"
    assert need["municipalities"] == [{"code": "narva-linn", "searches": 3}]
    assert need["other_searches"] == 1
    text = response.content.decode()
    for private in ("hooldekodusse", "mari tamme", "keskus", "invatakso"):
        assert private not in text
    counts = {m["code"]: (m["searches"], m["unmet"]) for m in body["municipalities"]}
    assert counts == {"narva-linn": (3, 3), "sillamae-linn": (1, 1), "tallinn": (6, 6), None: (2, 2)}


def test_public_groups_apply_the_same_thresholds_as_the_api(public_world):
    published, withheld = public_groups(unmet_needs())
    assert [p.group.label for p in published] == ["hooldekodu"] and withheld == 3


def test_the_public_api_filters_and_rejects_bad_parameters(public_world, client):
    narva = client.get(API, {"municipality": "narva-linn"}).json()
    assert narva["filters"]["municipality"] == "narva-linn"
    assert [m["code"] for m in narva["municipalities"]] == ["narva-linn"]
    # Narva alone holds 3 searches of "hooldekodu" on 2 days: still publishable.
    assert [n["query"] for n in narva["needs"]] == ["hooldekodu"]
    unscoped = client.get(API, {"municipality": "-"}).json()
    assert [m["code"] for m in unscoped["municipalities"]] == [None] and unscoped["needs"] == []
    for params, field in (
        ({"municipality": "atlantis"}, "municipality"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"outcome": "none"}, "outcome"),
        ({"lang": "fi"}, "lang"),
    ):
        response = client.get(API, params)
        assert response.status_code == 400
        assert field in response.json()["errors"]


def test_public_api_messages_follow_the_request_language(public_world, client):
    response = client.get(API, {"municipality": "atlantis"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Неизвестный" in response.json()["errors"]["municipality"][0]


# -- over a real socket ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_over_a_real_http_server_narvas_editor_logs_in_and_does_not_see_tallinn(live_server):
    """The same promise through a running server: a browser-like session (cookies, CSRF token
    from the login form) logs in as Narva's editor."""
    import re

    import requests

    ida = f.CountyFactory(code="ida-viru-maakond", ehak="0045", name_et="Ida-Viru maakond")
    harju = f.CountyFactory(code="harju-maakond", ehak="0037", name_et="Harju maakond")
    f.MunicipalityFactory(code="narva-linn", ehak="0511", name_et="Narva linn", county=ida)
    f.MunicipalityFactory(code="tallinn", ehak="0784", name_et="Tallinn", county=harju)
    setup_kov_permissions()
    make_user("narva-editor", editor_group_name("narva-linn"))
    log("hooldekodu", "narva-linn")
    log("tallinna lumekoristus", "tallinn")

    session = requests.Session()
    form = session.get(f"{live_server.url}/admin/login/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = session.post(
        f"{live_server.url}/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": "narva-editor", "password": "pw-narva-editor"},
        headers={"Referer": f"{live_server.url}/admin/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302
    page = session.get(f"{live_server.url}{REPORT}", timeout=10)
    assert page.status_code == 200 and "hooldekodu" in page.text and "lumekoristus" not in page.text
    download = session.get(f"{live_server.url}{REPORT_CSV}", timeout=10)
    assert download.content.startswith("\ufeff".encode()) and "lumekoristus" not in download.text
    assert (
        session.get(f"{live_server.url}{REPORT}", params={"municipality": "tallinn"}, timeout=10).status_code
        == 403
    )
