"""Publishing that cannot corrupt the public record (issue 14): an upload is read once within
hard limits, applied at most once, never rewrites history, and is read as the editor meant it
— or refused saying why. Every case goes through HTTP with a real login."""

import datetime as dt
import io
import re
import threading
import time
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from directory.models import Offer, Price, PriceStatus
from publishing.imports import COLUMNS
from publishing.models import PriceImport
from tests import factories as f

from .test_imports import snapshot

pytestmark = pytest.mark.django_db

HEADER_EN = [column.label_in("en") for column in COLUMNS]
KEYS = [column.key for column in COLUMNS]


@pytest.fixture(autouse=True)
def december_2025():
    with time_machine.travel(dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def editor(client, narva_editor):
    assert client.login(username="narva-editor", password="pw-narva-editor")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def csv_file(*rows, header=HEADER_EN) -> bytes:
    return "\n".join(";".join(r) for r in [header, *rows]).encode()


def row(price="6,00", start="01.01.2026", **changes) -> list[str]:
    """A CSV row for Narva's home care (75012345, 5,50 €/hour in force), by column key."""
    cells = dict.fromkeys(KEYS, "") | {
        "kind": "service",
        "code": "home-care",
        "provider_registry_code": "75012345",
        "provider_name": "Narva Linna Sotsiaalabiamet",
        "unit_code": "hour",
        "price_individual": price,
        "valid_from": start,
    }
    cells.update(changes)
    return [cells[key] for key in KEYS]


def upload(client, name, data, code="narva-linn"):
    return client.post(
        reverse("publishing:price_list"), {"municipality": code, "file": SimpleUploadedFile(name, data)}
    )


def preview_of(client, name, data):
    response = upload(client, name, data)
    assert response.status_code == 302, _errors(response)
    return response["Location"]


def _errors(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def workbook(rows, *, formats=None, hidden_first=False) -> bytes:
    book = Workbook()
    sheet = book.active
    if hidden_first:
        decoy = sheet
        decoy.title = "old"
        decoy.append(HEADER_EN)
        decoy.append(row(price="1,00"))
        decoy.sheet_state = "hidden"
        sheet = book.create_sheet("Narva linn")
    sheet.append(HEADER_EN)
    for values in rows:
        sheet.append(values)
    for column, number_format in (formats or {}).items():
        for cells in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cells[0].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML rewritten by `change(xml) -> xml`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(info, content)
    return out.getvalue()


GOOD_XLSX_ROW = ["service", "home-care", "", "75012345", "x", "hour", "", 6, None, None, None, "2026-01-01"]


# -- 1. bounded reading -----------------------------------------------------------------------


def far_cell(xml: str) -> str:
    xml = re.sub(r'<dimension ref="[^"]+"/>', '<dimension ref="A1:XFD1048576"/>', xml)
    return xml.replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    )


def wide_sparse(xml: str) -> str:
    cells = "".join(f'<c r="{col}3" t="n"><v>1</v></c>' for col in ("AA", "ZZ", "AZZ", "XFD"))
    return xml.replace("</sheetData>", f'<row r="3">{cells}</row></sheetData>')


def million_empty_rows(xml: str) -> str:
    rows = "".join(f'<row r="{n}" ht="15" customHeight="1"/>' for n in range(3, 1_000_003))
    return xml.replace("</sheetData>", rows + "</sheetData>")


@pytest.mark.parametrize(
    "shape,phrase",
    [
        (far_cell, "cells far below"),
        (wide_sparse, "far to the right"),
        (million_empty_rows, "cells far below"),
    ],
)
def test_a_sheet_far_larger_than_a_price_list_is_refused_within_two_seconds(editor, world, shape, phrase):
    data = with_sheet_xml(workbook([GOOD_XLSX_ROW]), shape)
    assert len(data) < 5 * 1024 * 1024
    editor.get(reverse("publishing:price_list"))  # the first request of a process loads templates
    before = snapshot()
    # CPU time of this process (the server's work), not wall time: the test machine is shared.
    start = time.process_time()
    response = upload(editor, "stray.xlsx", data)
    assert time.process_time() - start < 2
    assert response.status_code == 200
    assert phrase in _errors(response)
    assert snapshot() == before
    assert not PriceImport.objects.exists()
    # The server still answers the next request.
    assert editor.get(reverse("publishing:price_list")).status_code == 200


def test_preview_and_apply_use_the_rows_read_at_upload(editor, world):
    preview = preview_of(editor, "prices.csv", csv_file(row()))
    record = PriceImport.objects.get()
    assert record.table["rows"][0][0] == 2
    # The stored file is never parsed again: corrupting it changes nothing.
    PriceImport.objects.filter(pk=record.pk).update(content=b"not a price list")
    assert "6.00" in editor.get(preview).content.decode()
    editor.post(preview, {"apply": "1"})
    assert (
        Price.objects.get(offer=world["home_care_offer"], valid_from=dt.date(2026, 1, 1)).price_individual
        == 6
    )


# -- 2. apply exactly once ------------------------------------------------------------------


def test_a_double_submit_writes_once_and_shows_the_first_result(editor, world):
    preview = preview_of(editor, "prices.csv", csv_file(row()))
    first = editor.post(preview, {"apply": "1"}, follow=True)
    count = Price.objects.count()
    second = editor.post(preview, {"apply": "1"}, follow=True)
    assert Price.objects.count() == count
    assert "1 prices were added" in _errors(first)
    assert "already applied on" in _errors(second) and "1 prices await" in _errors(second)


def test_a_second_upload_for_the_same_offer_and_date_is_refused_naming_the_first(editor, world):
    first = preview_of(editor, "first.csv", csv_file(row()))
    second = preview_of(editor, "second.csv", csv_file(row(price="7,00")))
    editor.post(first, {"apply": "1"})
    before = snapshot()
    html = _errors(editor.post(second, {"apply": "1"}))
    assert "already awaiting approval" in html and "“first.csv”" in html
    assert snapshot() == before
    assert PriceImport.objects.get(filename="second.csv").status == PriceImport.Status.PREVIEWED


def test_the_database_refuses_a_second_pending_price_for_the_same_offer_and_date(world):
    from django.db import IntegrityError, transaction

    offer = world["home_care_offer"]
    unit = offer.prices.first().unit
    f.PriceFactory(offer=offer, unit=unit, valid_from=dt.date(2026, 1, 1), status=PriceStatus.PENDING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Price.objects.bulk_create(
            [
                Price(
                    offer=offer,
                    unit=unit,
                    price_individual=1,
                    valid_from=dt.date(2026, 1, 1),
                    status="pending",
                )
            ]
        )


# -- 3. history is not rewritten ------------------------------------------------------------


def test_a_new_price_may_not_start_before_today_in_an_upload(editor, world):
    html = _errors(upload(editor, "late.csv", csv_file(row(start="01.06.2025"))))
    preview = PriceImport.objects.get()
    html = _errors(editor.get(reverse("publishing:import_preview", args=[preview.pk])))
    assert "must start today (2025-12-01) or later" in html
    before = snapshot()
    editor.post(reverse("publishing:import_preview", args=[preview.pk]), {"apply": "1"})
    assert snapshot() == before


def test_a_new_price_may_not_start_before_today_in_the_form(client, narva_editor, world):
    assert client.login(username="narva-editor", password="pw-narva-editor")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    offer = world["home_care_offer"]
    url = reverse("publishing:new_price", args=[offer.pk])
    before = snapshot()
    response = client.post(
        url, {"unit": offer.prices.first().unit_id, "price_individual": "99.99", "valid_from": "2025-06-01"}
    )
    assert "must start today" in _errors(response)
    assert snapshot() == before


# -- 5. read what the editor meant ---------------------------------------------------------


@pytest.mark.parametrize("typed", ["2.500", "1,234"])
def test_an_ambiguous_thousands_separator_is_refused_with_how_to_write_it(editor, world, typed):
    preview = preview_of(editor, "prices.csv", csv_file(row(price=typed)))
    html = _errors(editor.get(preview))
    assert "is ambiguous" in html and "2 500" in html
    assert "row 2" in html.lower() or ">2<" in editor.get(preview).content.decode()


def test_narrow_no_break_spaces_and_float_noise_are_read_as_meant(editor, world):
    data = workbook([[*GOOD_XLSX_ROW[:7], 1000.3000000000001, None, None, None, "2026-01-01"]])
    preview = preview_of(editor, "noise.xlsx", data)
    assert "1000.30" in editor.get(preview).content.decode()
    preview = preview_of(editor, "nnbsp.csv", csv_file(row(price="1\u202f234,50")))
    assert "1234.50" in editor.get(preview).content.decode()


def test_a_percent_formatted_share_is_read_as_a_percentage_and_shown(editor, world):
    data = workbook([[*GOOD_XLSX_ROW[:10], 0.25, "2026-01-01"]], formats={11: "0%"})
    preview = preview_of(editor, "share.xlsx", data)
    html = editor.get(preview).content.decode()
    assert "25.00 %" in html
    editor.post(preview, {"apply": "1"})
    assert Price.objects.get(status=PriceStatus.PENDING).client_share_percent == Decimal("25")


def test_the_visible_sheet_is_read_and_the_preview_says_which(editor, world):
    preview = preview_of(editor, "hidden.xlsx", workbook([GOOD_XLSX_ROW], hidden_first=True))
    html = _errors(editor.get(preview))
    assert "“Narva linn” was read" in html
    assert "6.00" in html and "1.00" not in html


@pytest.mark.parametrize(
    "typed,expected",
    [("01.01.2026", dt.date(2026, 1, 1)), ("2026-01-01", dt.date(2026, 1, 1)), (46023, dt.date(2026, 1, 1))],
)
def test_dates_are_read_as_dotted_iso_or_excel_serial(editor, world, typed, expected):
    data = workbook([[*GOOD_XLSX_ROW[:11], typed]])
    editor.post(preview_of(editor, "dates.xlsx", data), {"apply": "1"})
    assert Price.objects.get(status=PriceStatus.PENDING).valid_from == expected


def test_a_us_style_date_is_refused(editor, world):
    html = _errors(editor.get(preview_of(editor, "us.csv", csv_file(row(start="02/03/2026")))))
    assert "day/month or month/day" in html


def test_large_changes_must_be_confirmed(editor, world):
    preview = preview_of(editor, "jump.csv", csv_file(row(price="55,00")))
    html = _errors(editor.get(preview))
    assert "Large changes to confirm" in html and "5.50 € → 55.00 €" in html
    before = snapshot()
    assert "confirm the large changes" in _errors(editor.post(preview, {"apply": "1"}))
    assert snapshot() == before
    editor.post(preview, {"apply": "1", "confirm_large": "1"})
    assert Price.objects.get(status=PriceStatus.PENDING).price_individual == Decimal("55.00")


def test_a_formula_array_or_yes_no_cell_is_named_without_internals(editor, world):
    data = workbook([[*GOOD_XLSX_ROW[:7], True, None, None, None, "2026-01-01"]])
    html = _errors(editor.get(preview_of(editor, "bool.xlsx", data)))
    assert "yes/no cell" in html and "True" not in html
    array = with_sheet_xml(
        workbook([GOOD_XLSX_ROW]),
        lambda xml: re.sub(
            r'<c r="H2"([^>]*)><v>6</v></c>', r'<c r="H2"\1><f t="array" ref="H2">A1*2</f><v>6</v></c>', xml
        ),
    )
    html = _errors(editor.get(preview_of(editor, "array.xlsx", array)))
    assert "Formulas are not accepted" in html and "openpyxl" not in html


# -- 6. scope without side effects ---------------------------------------------------------


def test_another_kovs_provider_is_refused_and_nothing_changes_for_that_kov(editor, world, kovs, client):
    tallinn = kovs["tallinn"]
    code = tallinn.provider.registry_code
    data = csv_file(row(provider_registry_code=code, provider_name=tallinn.provider.name))
    html = _errors(editor.get(preview_of(editor, "theirs.csv", data)))
    assert f"No provider with the registry code “{code}” serves this municipality" in html
    assert tallinn.provider.name not in html
    editor.post(reverse("publishing:import_preview", args=[PriceImport.objects.get().pk]), {"apply": "1"})
    assert not Offer.objects.filter(provider=tallinn.provider, municipality=world["narva"]).exists()


# -- smaller ---------------------------------------------------------------------------------


def test_approving_an_already_published_price_says_nothing_changed(client, narva_moderator, world):
    assert client.login(username="narva-moderator", password="pw-narva-moderator")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    offer = world["home_care_offer"]
    price = f.PriceFactory(
        offer=offer,
        unit=offer.prices.first().unit,
        valid_from=dt.date(2026, 1, 1),
        status=PriceStatus.PENDING,
    )
    url = reverse("publishing:action", args=["price", price.pk, "approve"])
    assert "Approved and published" in _errors(client.post(url, follow=True))
    before = snapshot()
    assert "already published; nothing was changed" in _errors(client.post(url, follow=True))
    assert snapshot() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time anyway")
@pytest.mark.django_db(transaction=True)
def test_two_uploads_applied_at_the_same_moment_write_one_price(kovs, narva_editor, world):
    from django.test import Client

    previews = []
    for name, price in (("first.csv", "6,00"), ("second.csv", "7,00")):
        editor = Client(HTTP_ACCEPT_LANGUAGE="en")
        assert editor.login(username="narva-editor", password="pw-narva-editor")
        previews.append((editor, preview_of(editor, name, csv_file(row(price=price)))))
    barrier = threading.Barrier(2)
    statuses = []

    def apply(editor, preview):
        try:
            barrier.wait()
            statuses.append(editor.post(preview, {"apply": "1"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=pair) for pair in previews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pending = Price.objects.filter(offer=world["home_care_offer"], valid_from=dt.date(2026, 1, 1))
    assert pending.count() == 1
    assert sorted(PriceImport.objects.values_list("status", flat=True)) == ["applied", "previewed"]
    assert sorted(statuses) == [200, 302]  # the refused one shows its preview with the reason
