"""Uploading a price list: every bad file is refused with a clear error and changes nothing;
a good file shows a preview and applies all rows or none. Files: tests/files/imports/."""

import datetime as dt
import io
import pathlib
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from directory.models import Offer, Price, PriceStatus
from publishing import exports, imports
from publishing.models import PriceImport
from tests import factories as f

FILES = pathlib.Path(__file__).parent.parent / "files" / "imports"


@pytest.fixture(autouse=True)
def before_the_files_prices_start():
    """The sample files give new prices from 2026-01-01: upload them in December 2025 (a new
    price may not start before today)."""
    with time_machine.travel(dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


def snapshot():
    """Every Offer and Price row, every column (including each language's text column; the
    language is fixed because modeltranslation maps `notes` to the active language's column)."""
    from django.utils import translation

    with translation.override("et"):
        offers = [f.attname for f in Offer._meta.concrete_fields]
        prices = [f.attname for f in Price._meta.concrete_fields]
        return (
            list(Offer.objects.order_by("pk").values(*offers)),
            list(Price.objects.order_by("pk").values(*prices)),
        )


def upload(client, name, data=None, code="narva-linn"):
    data = (FILES / name).read_bytes() if data is None else data
    return client.post(
        reverse("publishing:price_list"), {"municipality": code, "file": SimpleUploadedFile(name, data)}
    )


def upload_and_apply(client, name, data=None):
    """Upload, then press "apply" if a preview was produced. Returns the last response."""
    response = upload(client, name, data)
    if response.status_code == 302:
        preview = response["Location"]
        client.get(preview)
        return client.post(preview, {"apply": "1"})
    return response


@pytest.fixture
def editor(client, narva_editor):
    client.force_login(narva_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# file → a phrase of the (English) error the editor sees
REFUSED_FILES = {
    "empty.csv": "The file is empty",
    "blank-lines-only.csv": "The file is empty",
    "header-only.csv": "no price rows",
    "utf-16.csv": "UTF-16",
    "windows-1251-russian.csv": "encoding is not supported",
    "koi8-r-russian.csv": "encoding is not supported",
    "wrong-delimiter-pipe.csv": "columns could not be recognised",
    "truncated.xlsx": "damaged or incomplete",
    "not-a-workbook.xlsx": "not an Excel workbook",
    "price-list.ods": "as a .xlsx or .csv file",
    "legacy-or-encrypted.xls": "password-protected or in the old Excel",
    "password-protected.xlsx": "password-protected",
}
ROW_ERROR_FILES = {
    # file → (row, column label or None, phrase)
    "missing-column.csv": (1, "Valid from", "The column is missing"),
    "extra-column.csv": (1, "Kommentaar", "Unknown column"),
    "duplicate-column.csv": (1, "Catalogue code", "appears twice"),
    "unquoted-decimal-commas.csv": (2, None, "more cells"),
    "unknown-component-code.csv": (3, "Catalogue code", "no-such-component"),
    "unknown-service-code.csv": (2, "Catalogue code", "home-kare"),
    "unknown-unit-code.csv": (2, "Unit code", "no unit with the code"),
    "unknown-kind.csv": (2, "Kind (component or service)", "component"),
    "unknown-provider.csv": (2, "Provider registry code", "99999999"),
    "text-in-number.csv": (2, "Price per unit, individual (EUR)", "is not a number"),
    "negative-price.csv": (2, "Price per unit, individual (EUR)", "cannot be negative"),
    "absurd-price.csv": (2, "Price per unit, individual (EUR)", "implausibly high"),
    "too-many-decimals.csv": (2, "Price per unit, individual (EUR)", "ambiguous"),
    "mixed-decimal-separators.csv": (2, "Price per unit, individual (EUR)", "mixes a comma and a point"),
    "percent-over-100.csv": (2, "Client's share (%)", "between 0 and 100"),
    "share-amount-and-percent.csv": (2, "Client's share (%)", "not both"),
    "no-price.csv": (2, "Price per unit, individual (EUR)", "individual or for group"),
    "invalid-date.csv": (2, "Valid from", "is not a date"),
    "implausible-date.csv": (2, "Valid from", "not a plausible date"),
    "missing-date.csv": (2, "Valid from", "start date is missing"),
    "ends-before-it-starts.csv": (2, "Valid to", "cannot end before it starts"),
    "overlapping-periods.csv": (3, "Valid from", "overlaps row 2"),
    "duplicate-rows.csv": (4, "Valid from", "row 2 already gives a price"),
    "before-published-price.csv": (2, "Valid from", "already starts on 2024-01-01"),
    "formula-injection-equals.csv": (2, "Provider", "like a formula"),
    "formula-injection-plus.csv": (2, "Catalogue code", "like a formula"),
    "formula-injection-at.csv": (2, "Unit code", "like a formula"),
    "formula-injection-minus-in-text.csv": (2, "Kind (component or service)", "like a formula"),
    "formula-in-price.csv": (2, "Price per unit, individual (EUR)", "Formulas are not accepted"),
    "formula-cell.xlsx": (2, "Price per unit, individual (EUR)", "Formulas are not accepted"),
    "one-bad-row-among-good.csv": (4, "Unit code", "parsec"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name,phrase", sorted(REFUSED_FILES.items()))
def test_unreadable_file_is_refused_and_changes_nothing(editor, world, name, phrase):
    before = snapshot()
    response = upload_and_apply(editor, name)
    assert response.status_code == 200
    assert phrase in response.content.decode()
    assert "nothing was changed" in response.content.decode()
    assert snapshot() == before
    assert not PriceImport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name,expected", sorted(ROW_ERROR_FILES.items()))
def test_file_with_errors_previews_them_and_changes_nothing(editor, world, name, expected):
    row, column, phrase = expected
    before = snapshot()
    response = upload_and_apply(editor, name)
    html = response.content.decode()
    assert "Nothing was changed" in html
    assert snapshot() == before
    # The preview names row, column and reason.
    plan = imports.plan_import(imports.read_table((FILES / name).read_bytes(), name), world["narva"])
    assert not plan.can_apply
    assert any(
        e.row == row and (column is None or e.column == column) and phrase in e.message for e in plan.errors
    ), [str(e) for e in plan.errors]
    assert phrase.replace("'", "&#x27;") in html


def test_there_are_at_least_thirty_bad_files():
    bad = set(REFUSED_FILES) | set(ROW_ERROR_FILES)
    assert len(bad) >= 30
    assert all((FILES / name).exists() for name in bad)


VALID_FILES = [
    "valid-utf8.csv",
    "valid-utf8-bom.csv",
    "valid-windows-1257.csv",
    "valid-russian-header.csv",
    "valid-comma-separated.csv",
    "valid.xlsx",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", VALID_FILES)
def test_valid_file_adds_and_changes_prices_for_approval(editor, world, name):
    response = upload(editor, name)
    assert response.status_code == 302
    preview = editor.get(response["Location"]).content.decode()
    assert "1 rows to add" in preview and "1 prices that change" in preview and "0 errors" in preview
    assert "Tugiisikuteenus" in preview  # the new offer
    editor.post(response["Location"], {"apply": "1"})
    new_home_care = Price.objects.get(offer=world["home_care_offer"], valid_from=dt.date(2026, 1, 1))
    assert new_home_care.price_individual == Decimal("6.00")
    assert new_home_care.status == PriceStatus.PENDING
    support = Offer.objects.get(service__code="support-person")
    assert support.status == PriceStatus.PENDING
    assert support.prices.get().client_share_percent == Decimal("10")
    # Not public until a moderator approves.
    assert not Offer.objects.public().filter(pk=support.pk).exists()
    assert world["home_care_offer"].current_price.price_individual == Decimal("5.50")
    assert PriceImport.objects.get().status == PriceImport.Status.APPLIED


@pytest.mark.django_db
def test_dotted_dates_and_decimal_points_are_read(world):
    table = imports.read_table((FILES / "valid-dotted-dates-and-points.csv").read_bytes(), "x.csv")
    plan = imports.plan_import(table, world["narva"])
    assert not plan.errors
    assert plan.changes[0].valid_from == dt.date(2026, 1, 1)
    assert plan.changes[0].price_individual == Decimal("6.00")


@pytest.mark.django_db
def test_windows_1257_text_is_decoded(world):
    text = imports.decode_text((FILES / "valid-windows-1257.csv").read_bytes())
    assert "MTÜ Narva Tugi" in text and "Ühiku kood" in text


@pytest.mark.django_db
def test_too_large_file_is_refused(editor, world):
    before = snapshot()
    big = (FILES / "valid-utf8.csv").read_bytes() + b"x" * imports.MAX_FILE_BYTES
    response = upload(editor, "big.csv", big)
    assert "larger than 5 MB" in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_too_many_rows_are_refused(world):
    lines = (FILES / "valid-utf8.csv").read_text().splitlines()
    data = "\n".join([lines[0]] + [lines[1]] * (imports.MAX_ROWS + 1)).encode()
    with translation.override("en"), pytest.raises(imports.ImportFileError, match="more than"):
        imports.read_table(data, "many.csv")


@pytest.mark.django_db
def test_one_bad_row_keeps_every_good_row_out(editor, world):
    before = snapshot()
    upload_and_apply(editor, "one-bad-row-among-good.csv")
    assert snapshot() == before


@pytest.mark.django_db
def test_a_failure_while_applying_rolls_everything_back(editor, world, monkeypatch):
    before = snapshot()
    response = upload(editor, "valid-utf8.csv")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("wagtail.models.ModelLogEntry.objects.bulk_create", boom)
    with pytest.raises(RuntimeError):
        editor.post(response["Location"], {"apply": "1"})
    assert snapshot() == before


@pytest.mark.django_db
def test_data_changed_since_preview_is_rechecked_on_apply(editor, world):
    response = upload(editor, "valid-utf8.csv")
    # Meanwhile someone publishes a later price for home care.
    f.PriceFactory(
        offer=world["home_care_offer"],
        unit=world["home_care_offer"].prices.first().unit,
        valid_from=dt.date(2026, 6, 1),
    ).publish()
    before = snapshot()
    html = editor.post(response["Location"], {"apply": "1"}).content.decode()
    assert "already starts on 2026-06-01" in html
    assert snapshot() == before


@pytest.mark.django_db
def test_an_upload_is_applied_once(editor, world):
    response = upload(editor, "valid-utf8.csv")
    editor.post(response["Location"], {"apply": "1"})
    count = Price.objects.count()
    editor.post(response["Location"], {"apply": "1"})
    assert Price.objects.count() == count


@pytest.mark.django_db
def test_errors_are_in_the_editors_language(client, narva_editor, world):
    client.force_login(narva_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    response = upload_and_apply(client, "negative-price.csv")
    html = response.content.decode()
    assert "Цена не может быть отрицательной" in html
    assert "строка 2" in html or ">2<" in html


# -- export --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_price_list_reimports_as_unchanged(editor, world, fmt):
    response = editor.get(reverse("publishing:export", args=["narva-linn", fmt]))
    assert response.status_code == 200
    assert "hinnakiri-narva-linn-" in response["Content-Disposition"]
    plan = imports.plan_import(imports.read_table(response.content, f"x.{fmt}"), world["narva"])
    assert not plan.errors
    assert len(plan.unchanged) == Price.objects.filter(offer__municipality=world["narva"]).count() == 3
    assert not plan.additions and not plan.changes


@pytest.mark.django_db
def test_csv_export_uses_semicolons_decimal_commas_and_the_editors_language(client, narva_editor, world):
    client.force_login(narva_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "et"
    body = client.get(reverse("publishing:export", args=["narva-linn", "csv"])).content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert header.startswith("Liik (komponent või teenus);Kataloogi kood;Nimetus")
    home_care = next(line for line in lines if "home-care" in line)
    assert home_care.startswith("service;home-care;Koduteenus;75012345;") and ";5,50;" in home_care


@pytest.mark.django_db
def test_export_escapes_formula_like_text(world):
    from openpyxl import load_workbook

    provider = world["home_care_offer"].provider
    provider.name = '=HYPERLINK("http://evil.example")'
    provider.save()
    csv_text = exports.to_csv(world["narva"]).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ";=HYPERLINK" not in csv_text and ';"=HYPERLINK' not in csv_text
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(world["narva"]))).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil.example")' in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
