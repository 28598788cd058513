"""Open data: the files, their freshness, the page, the downloads and the DCAT-AP catalogue."""

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from jobs.runner import run_pending
from opendata import export
from tests.factories import ContactPersonFactory, published_price
from tests.html import assert_no_inline_code

pytestmark = pytest.mark.django_db

FILES = [
    f"{slug}.{fmt}"
    for slug in [
        "prices-current",
        "prices-history",
        "offers",
        "contacts",
        "catalogue",
        "service-locations",
        "how-to-get-help",
        "referral-routes",
    ]
    for fmt in ["csv", "json", "xlsx"]
]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        yield


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_command_writes_every_dataset_in_every_format(directory, open_data_root):
    out = io.StringIO()
    call_command("export_open_data", stdout=out)
    assert sorted(p.name for p in open_data_root.iterdir() if not p.name.startswith(".")) == sorted(
        [*FILES, "manifest.json"]
    )
    assert "Wrote 24 files" in out.getvalue()

    current = read_csv(open_data_root / "prices-current.csv")
    assert {(r["municipality_ehak"], r["item_code"], r["price_individual"]) for r in current} == {
        ("0511", "respite-care", "9.50"),
        ("0511", "home-care", "6.20"),
        ("0793", "personal-support", "15.00"),
    }
    history = read_csv(open_data_root / "prices-history.csv")
    respite = [
        (r["price_individual"], r["valid_from"], r["valid_to"])
        for r in history
        if r["item_code"] == "respite-care"
    ]
    assert respite == [("8.00", "2023-01-01", "2024-12-31"), ("9.50", "2025-01-01", "")]
    assert "99.00" not in (open_data_root / "prices-history.csv").read_text(encoding="utf-8-sig"), "no drafts"

    document = json.loads((open_data_root / "offers.json").read_text())
    assert document["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert len(document["rows"]) == 3

    sheet = load_workbook(open_data_root / "catalogue.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("type", "code")
    assert ("component", "respite-care") in {r[:2] for r in rows}
    assert any(r[5] == "Временный уход" for r in rows), "Russian names survive the round trip"


def test_contacts_export_has_public_fields_only(directory, open_data_root):
    export.export_all()
    for fmt in ["csv", "json"]:
        text = (open_data_root / f"contacts.{fmt}").read_text(encoding="utf-8-sig")
        assert "Olga Petrova" in text
        assert "5555 0101" not in text and "5555 0102" not in text
        assert "direct_phone" not in text and "duty_phone" not in text
    values = [
        c
        for row in load_workbook(open_data_root / "contacts.xlsx").worksheets[0].iter_rows(values_only=True)
        for c in row
    ]
    assert not any("5555 01" in str(v) for v in values)
    assert "Jaan Vana" not in (open_data_root / "contacts.csv").read_text(encoding="utf-8-sig"), (
        "only current"
    )


def test_spreadsheet_injection_is_neutralised(directory, open_data_root):
    ContactPersonFactory(
        municipality=directory.tartu,
        role=directory.social,
        name='=HYPERLINK("http://evil")',
        email="a@b.example",
        job_title_et="@SUM(1+1)",
        phone="-2+3",
    )
    export.export_all()
    rows = read_csv(open_data_root / "contacts.csv")
    evil = next(r for r in rows if "HYPERLINK" in r["name"])
    assert evil["name"] == '\'=HYPERLINK("http://evil")'
    assert evil["job_title"] == "'@SUM(1+1)" and evil["phone"] == "'-2+3"
    sheet = load_workbook(open_data_root / "contacts.xlsx").worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and c.value == '=HYPERLINK("http://evil")' for c in cells), (
        "an XLSX text cell is never a formula: the text stays as it was"
    )


@pytest.mark.django_db(transaction=True)  # real commits: the data version moves on commit
def test_files_are_rebuilt_by_a_background_job_when_data_changes(client, directory, open_data_root):
    first = client.get("/open-data/files/prices-current.csv")
    assert first.status_code == 200
    assert b"7.77" not in b"".join(first.streaming_content)
    published_price(directory.tartu_support, dt.date(2025, 6, 1), "7.77")
    # The request that finds the files stale gets the previous ones and queues the rebuild.
    stale = client.get("/open-data/files/prices-current.csv")
    assert stale["ETag"] == first["ETag"]
    run_pending()
    second = client.get("/open-data/files/prices-current.csv")
    assert b"7.77" in b"".join(second.streaming_content)
    assert second["ETag"] != first["ETag"]


def test_current_prices_are_rebuilt_when_the_day_changes(client, directory, open_data_root):
    published_price(directory.tartu_support, dt.date(2025, 6, 2), "16.00")
    before = client.get("/open-data/files/prices-current.csv")
    assert b"16.00" not in b"".join(before.streaming_content)
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, tzinfo=dt.UTC), tick=False):
        client.get("/open-data/files/prices-current.csv")  # queues the rebuild
        run_pending()
        after = client.get("/open-data/files/prices-current.csv")
        assert b"16.00" in b"".join(after.streaming_content)


def test_fresh_files_are_not_rebuilt(directory, open_data_root):
    first = export.ensure_fresh()
    again = export.ensure_fresh()
    assert again["generated_at"] == first["generated_at"]
    out = io.StringIO()
    call_command("export_open_data", "--if-stale", stdout=out)
    assert "up to date" in out.getvalue()


def test_downloads_have_stable_urls_types_and_licence(client, directory):
    for name, content_type in [
        ("offers.csv", "text/csv"),
        ("offers.json", "application/json"),
        ("offers.xlsx", "application/vnd.openxmlformats-officedocument"),
    ]:
        response = client.get(f"/open-data/files/{name}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        assert f'filename="{name}"' in response["Content-Disposition"]
        assert "creativecommons.org/licenses/by/4.0" in response["Link"]
    assert client.get("/open-data/files/secrets.csv").status_code == 404
    assert client.get("/open-data/files/..%2Fmanifest.json").status_code == 404


def test_command_refuses_a_file_as_output_folder(directory, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(CommandError):
        call_command("export_open_data", "--output", str(target))


@pytest.mark.parametrize(
    "lang,heading,licence",
    [
        ("et", "Avaandmed", "CC BY 4.0"),
        ("ru", "Открытые данные", "CC BY 4.0"),
        ("en", "Open data", "CC BY 4.0"),
    ],
)
def test_open_data_page_lists_downloads_with_sizes_dates_and_licence(
    client, directory, lang, heading, licence
):
    response = client.get(f"/{lang}/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html and licence in html
    for name in FILES:
        assert f'href="/open-data/files/{name}"' in html
    assert "2025-06-01" in html
    assert_no_inline_code(html)


def test_dcat_catalogue_describes_each_dataset_and_distribution(client, directory):
    response = client.get("/open-data/dcat.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    catalog = response.json()
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    datasets = catalog["dcat:dataset"]
    assert {d["dct:identifier"] for d in datasets} == {
        "prices-current",
        "prices-history",
        "offers",
        "contacts",
        "catalogue",
        "service-locations",
        "how-to-get-help",
        "referral-routes",
    }
    manifest = export.read_manifest()
    for dataset in datasets:
        assert {t["@language"] for t in dataset["dct:title"]} == {"et", "ru", "en"}
        assert dataset["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        assert len(dataset["dcat:distribution"]) == 3
        for distribution in dataset["dcat:distribution"]:
            url = distribution["dcat:downloadURL"]["@id"]
            name = url.rsplit("/", 1)[1]
            assert int(distribution["dcat:byteSize"]["@value"]) == manifest["files"][name]["size"]
            assert distribution["dct:format"]["@id"].startswith(
                "http://publications.europa.eu/resource/authority/file-type/"
            )
            assert client.get(url.replace("http://testserver", "")).status_code == 200
