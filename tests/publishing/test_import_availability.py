"""The price list spreadsheet also carries availability (*vabad kohad / ootejärjekord*):
places in total, free places now, waiting days and the date they were stated. A row gives a
price, availability or both; applying writes a new availability statement per offer in the same
all-or-nothing transaction as the prices — one of a published offer awaits a moderator's
approval, as the prices do — and bad values are named by row and column in the editor's
language."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from directory.models import Availability, Offer, Price
from publishing import imports
from publishing.models import PendingChange
from tests import factories as f

# The sample world's prices start on 2026-01-01: these tests run on 1 December 2025 (autouse).
from .test_imports import before_the_files_prices_start, upload  # noqa: F401

pytestmark = pytest.mark.django_db

HEADER = (
    "Kind (component or service);Catalogue code;Name;Provider registry code;Provider;Unit code;Unit;"
    "Price per unit, individual (EUR);Price per unit, group (EUR);Client's share (EUR);"
    "Client's share (%);Valid from;Valid to;Places in total;Free places now;Waiting time (days);"
    "Availability stated on"
)
HOME_CARE = "service;home-care;Koduteenus;75012345;Narva Linna Sotsiaalabiamet;;;;;;;;"


@pytest.fixture
def editor(client, narva_editor):
    assert client.login(username="narva-editor", password="pw-narva-editor")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def plan_of(*rows: str, municipality):
    """What the rows would do, with errors in English."""
    with translation.override("en"):
        return imports.plan_import(imports.read_table(csv(*rows), "x.csv"), municipality)


def snapshot():
    return (
        list(Availability.objects.order_by("pk").values()),
        list(PendingChange.objects.order_by("pk").values_list("changes", flat=True)),
        list(Price.objects.order_by("pk").values_list("pk", "status")),
        Offer.objects.count(),
    )


def approve_all_changes(client, moderator) -> str:
    """The moderator ticks every change in her review queue and approves them."""
    client.force_login(moderator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    queue = client.get(reverse("publishing:review")).content.decode()
    entries = [f"change:{change.pk}" for change in PendingChange.objects.all()]
    response = client.post(reverse("publishing:approve_selected"), {"entry": entries, "decision": "approve"})
    assert response.status_code == 302
    return queue


def test_upload_preview_apply_stores_availability_the_offer_page_and_api_show(editor, world, narva_moderator):
    home_care = world["home_care_offer"]
    response = upload(editor, "valid-availability.csv")
    assert response.status_code == 302
    preview = editor.get(response["Location"]).content.decode()
    assert "1 rows to add" in preview and "0 errors" in preview
    assert "2 offers get new free places or waiting time" in preview
    assert "<td>20</td><td>3</td><td>14</td><td>28.11.2025</td>" in preview
    assert "<td>5</td><td>5</td><td>—</td><td>30.11.2025</td>" in preview
    assert not Availability.objects.exists()  # the preview writes nothing

    applied = editor.post(response["Location"], {"apply": "1"}, follow=True).content.decode()
    assert "2 offers&#x27; free places or waiting times were stored" in applied

    # The published offer's statement awaits approval, like the upload's prices; the new
    # offer's (itself awaiting approval) is stored with it.
    assert not home_care.availability.exists()
    assert PendingChange.objects.get().changes == {
        "offer": home_care.pk,
        "capacity": 20,
        "free_places": 3,
        "waiting_days": 14,
        "as_of": "2025-11-28",
    }
    public = Client()
    assert "3 free places of 20" not in public.get(f"/en/offers/{home_care.pk}/").content.decode()
    assert public.get(f"/api/v1/offers/{home_care.pk}/").json()["availability"] is None

    queue = approve_all_changes(Client(), narva_moderator)
    assert "New: Availability: " in queue and "<ins>2025-11-28</ins>" in queue
    stated = home_care.availability.get()
    assert (stated.capacity, stated.free_places, stated.waiting_days, stated.as_of) == (
        20,
        3,
        14,
        dt.date(2025, 11, 28),
    )
    # The availability-only row left the offer's prices alone.
    assert home_care.prices.count() == 1
    support = Offer.objects.get(service__code="support-person")
    assert support.availability.get().free_places == 5
    assert support.prices.get().price_individual == 8.5

    assert "3 free places of 20" in public.get(f"/en/offers/{home_care.pk}/").content.decode()
    api = public.get(f"/api/v1/offers/{home_care.pk}/").json()
    assert api["availability"]["free_places"] == 3
    assert api["availability"]["capacity"] == 20


def test_an_availability_only_upload_stores_the_statement_and_adds_no_price(editor, world, narva_moderator):
    prices = Price.objects.count()
    response = upload(editor, "free-places.csv", csv(f"{HOME_CARE};20;0;30;"))
    applied = editor.post(response["Location"], {"apply": "1"}, follow=True).content.decode()
    assert "1 offer&#x27;s free places or waiting time were stored" in applied
    assert "prices were added" not in applied
    assert Price.objects.count() == prices
    approve_all_changes(Client(), narva_moderator)
    stated = world["home_care_offer"].availability.get()
    assert (stated.free_places, stated.waiting_days, stated.as_of) == (0, 30, dt.date(2025, 12, 1))


def test_the_same_file_uploaded_again_does_not_propose_its_statements_twice(editor, world):
    for _ in range(2):
        response = upload(editor, "free-places.csv", csv(f"{HOME_CARE};20;0;30;"))
        editor.post(response["Location"], {"apply": "1"}, follow=True)
    # One addition waits for the moderator, not two identical ones.
    assert [change.changes["free_places"] for change in PendingChange.objects.all()] == [0]
    assert not world["home_care_offer"].availability.exists()


# (cells after the home-care identity: places, free, waiting days, as of) → (column, phrase)
BAD_AVAILABILITY = {
    "20;-1;;": ("Free places now", "cannot be negative"),
    "-5;;7;": ("Places in total", "cannot be negative"),
    ";;-3;": ("Waiting time (days)", "waiting time cannot be negative"),
    "2;5;;": ("Free places now", "cannot be more than the places in total (2)"),
    "20;3;;2026-01-15": ("Availability stated on", "is in the future"),
    "20;kolm;;": ("Free places now", "“kolm” is not a whole number"),
    "20;2,5;;": ("Free places now", "is not a whole number"),
    "20;3;;31/11/2025": ("Availability stated on", "day/month or month/day"),
    "20;3;;eile": ("Availability stated on", "is not a date"),
    "20;;;28.11.2025": ("Free places now", "the waiting time, or both"),
    "20;=A1;;": ("Free places now", "Formulas are not accepted"),
}


@pytest.mark.parametrize(("cells", "expected"), BAD_AVAILABILITY.items(), ids=list(BAD_AVAILABILITY))
def test_bad_availability_is_named_by_row_and_column_and_changes_nothing(editor, world, cells, expected):
    column, phrase = expected
    before = snapshot()
    response = upload(editor, "bad.csv", csv(f"{HOME_CARE};{cells}"))
    preview = editor.get(response["Location"]).content.decode()
    assert f"<td>2</td><td>{column}</td><td>" in preview
    assert phrase in preview.replace("&quot;", '"')
    assert "Apply: submit" not in preview
    editor.post(response["Location"], {"apply": "1"})
    assert snapshot() == before


def test_one_bad_availability_row_keeps_every_good_row_out(editor, world):
    before = snapshot()
    data = csv(
        f"{HOME_CARE};20;3;14;",
        "service;support-person;Tugiisikuteenus;80012345;MTÜ Narva Tugi;hour;tund;8,50;;;;2026-01-01;;4;9;;",
    )
    response = upload(editor, "mixed.csv", data)
    preview = editor.get(response["Location"]).content.decode()
    assert "<td>3</td><td>Free places now</td>" in preview
    editor.post(response["Location"], {"apply": "1"})
    assert snapshot() == before


def test_availability_for_an_offer_the_municipality_does_not_have_is_refused(editor, world):
    row = "service;support-person;Tugiisikuteenus;80012345;MTÜ Narva Tugi;;;;;;;;;5;2;;"
    plan = plan_of(row, municipality=world["narva"])
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Catalogue code")]
    assert "give its price in the same row" in plan.errors[0].message


def test_a_statement_older_than_the_latest_is_refused(world):
    f.AvailabilityFactory(
        offer=world["home_care_offer"], capacity=20, free_places=1, as_of=dt.date(2025, 11, 20)
    )
    plan = plan_of(f"{HOME_CARE};20;3;;01.11.2025", municipality=world["narva"])
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Availability stated on")]
    assert "2025-11-20" in plan.errors[0].message


def test_two_rows_giving_different_availability_for_one_offer_are_refused(world):
    plan = plan_of(f"{HOME_CARE};20;3;;", f"{HOME_CARE};20;4;;", municipality=world["narva"])
    assert [(e.row, e.column) for e in plan.errors] == [(3, "Free places now")]
    assert "Row 2 already gives" in plan.errors[0].message


def test_as_of_defaults_to_today(world):
    plan = plan_of(f"{HOME_CARE};;;10;", municipality=world["narva"])
    assert not plan.errors
    assert plan.new_statements[0].as_of == dt.date(2025, 12, 1)
    assert plan.new_statements[0].waiting_days == 10


@pytest.mark.parametrize(
    ("cells", "lang", "column", "phrase"),
    [
        ("2;5;;", "et", "Vabu kohti praegu", "Vabu kohti (5) ei saa olla rohkem kui kohti kokku (2)."),
        (
            "2;5;;",
            "ru",
            "Свободных мест сейчас",
            "не может быть больше, чем всего мест (2)",
        ),
        ("2;5;;", "en", "Free places now", "Free places (5) cannot be more than the places in total (2)."),
        ("20;-1;;", "et", "Vabu kohti praegu", "Kohtade arv ei saa olla negatiivne"),
        ("20;-1;;", "ru", "Свободных мест сейчас", "Число мест не может быть отрицательным"),
        ("-5;;7;", "en", "Places in total", "A number of places cannot be negative"),
        (";;-3;", "ru", "Время ожидания (дней)", "Время ожидания не может быть отрицательным"),
        ("20;3;;2026-01-15", "et", "Vabad kohad seisuga", "on tulevikus"),
    ],
)
def test_availability_errors_are_in_the_editors_language(editor, world, cells, lang, column, phrase):
    editor.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    response = upload(editor, "bad.csv", csv(f"{HOME_CARE};{cells}"))
    preview = editor.get(response["Location"]).content.decode()
    assert f"<td>2</td><td>{column}</td>" in preview
    assert phrase in preview


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_template_carries_availability_and_reimports_without_a_new_statement(editor, world, fmt):
    f.AvailabilityFactory(
        offer=world["home_care_offer"],
        capacity=20,
        free_places=3,
        waiting_days=14,
        as_of=dt.date(2025, 11, 28),
    )
    body = editor.get(reverse("publishing:export", args=["narva-linn", fmt])).content
    table = imports.read_table(body, f"x.{fmt}")
    assert "Free places now" in table.header
    with translation.override("en"):
        plan = imports.plan_import(table, world["narva"])
    assert not plan.errors and not plan.additions and not plan.changes
    assert len(plan.statements) == 1 and not plan.new_statements
    if fmt == "csv":
        home_care = next(line for line in body.decode("utf-8-sig").splitlines() if "home-care" in line)
        assert home_care.endswith(";20;3;14;2025-11-28")
