"""Open data a partner's tools read back unchanged: phone numbers intact in CSV and XLSX while
no formula can run, conditional GET, DCAT-AP in three RDF syntaxes, schema.org markup."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, XSD

from opendata import export
from opendata.datasets import DATASETS
from tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db

SPDX = Namespace("http://spdx.org/rdf/terms#")


def csv_rows(client, name: str) -> list[dict]:
    response = client.get(f"/open-data/files/{name}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_phone_numbers_read_back_intact_from_csv_and_xlsx(client, directory):
    ContactPersonFactory(
        municipality=directory.tartu, role=directory.social, name="Kala", phone="+372 (7) 123-456"
    )
    rows = csv_rows(client, "contacts.csv")
    phones = {row["name"]: row["phone"] for row in rows}
    assert phones["Olga Petrova"] == "+372 359 9000" and phones["Kala"] == "+372 (7) 123-456"
    response = client.get("/open-data/files/contacts.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    column = header.index("phone")
    cells = {row[header.index("name")].value: row[column] for row in sheet.iter_rows(min_row=2)}
    assert cells["Olga Petrova"].value == "+372 359 9000" and cells["Olga Petrova"].data_type == "s"


def test_what_a_spreadsheet_would_run_is_still_escaped_in_csv(client, directory):
    ContactPersonFactory(
        municipality=directory.tartu, role=directory.social, name="+HYPERLINK(1)", phone="=1+1"
    )
    row = next(r for r in csv_rows(client, "contacts.csv") if "HYPERLINK" in r["name"])
    assert row["name"] == "'+HYPERLINK(1)" and row["phone"] == "'=1+1"


@pytest.mark.parametrize("header", ["HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"])
def test_files_answer_304_when_unchanged(client, directory, header):
    first = client.get("/open-data/files/prices-current.csv")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    value = first["ETag"] if header == "HTTP_IF_NONE_MATCH" else first["Last-Modified"]
    again = client.get("/open-data/files/prices-current.csv", **{header: value})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    assert "ETag" in first["Access-Control-Expose-Headers"]


@pytest.mark.parametrize(
    "url,accept,media_type,syntax",
    [
        ("/open-data/dcat.jsonld", "", "application/ld+json", "json-ld"),
        ("/open-data/dcat.ttl", "", "text/turtle", "turtle"),
        ("/open-data/dcat.rdf", "", "application/rdf+xml", "xml"),
        ("/open-data/dcat", "text/turtle", "text/turtle", "turtle"),
        ("/open-data/dcat", "application/rdf+xml;q=0.9, text/turtle;q=0.5", "application/rdf+xml", "xml"),
        ("/open-data/dcat", "*/*", "application/ld+json", "json-ld"),
    ],
)
def test_dcat_in_three_syntaxes_by_extension_and_by_accept(
    client, directory, url, accept, media_type, syntax
):
    response = client.get(url, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media_type)
    graph = Graph().parse(data=response.content.decode(), format=syntax)
    datasets = set(graph.subjects(predicate=None, object=DCAT.Dataset))
    assert len(datasets) == len(DATASETS)
    checksums = list(graph.objects(predicate=SPDX.checksumValue))
    assert len(checksums) == 3 * len(DATASETS) and all(c.datatype == XSD.hexBinary for c in checksums)
    landing = {graph.value(d, DCAT.landingPage) for d in datasets}
    assert len(landing) == len(DATASETS) and all("#" in str(page) for page in landing)
    keywords = set(graph.objects(predicate=DCAT.keyword))
    assert Literal("hinnad", lang="et") in keywords and Literal("цены", lang="ru") in keywords
    assert Literal("prices", lang="en") in keywords
    assert all(isinstance(d, URIRef) for d in datasets)


def test_dcat_without_an_acceptable_syntax_is_406(client, directory):
    response = client.get("/open-data/dcat", HTTP_ACCEPT="image/png")
    assert response.status_code == 406


def test_landing_anchors_exist_on_the_open_data_page(client, directory):
    page = client.get("/et/open-data/").content.decode()
    catalog = client.get("/open-data/dcat.jsonld").json()
    for dataset in catalog["dcat:dataset"]:
        anchor = dataset["dcat:landingPage"]["@id"].split("#")[1]
        assert f'id="{anchor}"' in page


def test_open_data_page_describes_datasets_in_schema_org(client, directory):
    page = client.get("/en/open-data/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    datasets = json.loads(block)
    assert len(datasets) == len(DATASETS) and all(d["@type"] == "Dataset" for d in datasets)
    assert all(d["license"] and d["distribution"] and d["description"] for d in datasets)
    assert export.read_manifest() is not None
