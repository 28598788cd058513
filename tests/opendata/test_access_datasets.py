"""Open data of how to get the help: service locations with hours in the OpenStreetMap
syntax, and per offer where, who, how to apply and the latest availability."""

import csv
import datetime as dt
import io

import pytest

from tests.api.test_access_api import access  # noqa: F401  (shared fixture)

pytestmark = pytest.mark.django_db


def rows(client, name: str) -> list[dict]:
    response = client.get(f"/open-data/files/{name}.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_service_locations_dataset(client, directory, access):  # noqa: F811
    [row] = rows(client, "service-locations")
    assert row["address"] == "Tallinna mnt 6, Narva linn, Ida-Viru maakond, 20304"
    assert (row["latitude"], row["longitude"]) == ("59.3772", "28.1903")
    assert row["opening_hours"] == "Mo 09:00-17:00; Sa 10:00-14:00"
    assert row["offer_ids"] == str(directory.narva_respite.pk)


def test_how_to_get_help_dataset(client, directory, access):  # noqa: F811
    by_offer = {row["offer_id"]: row for row in rows(client, "how-to-get-help")}
    respite = by_offer[str(directory.narva_respite.pk)]
    assert respite["location_ids"] == str(access.pk)
    assert respite["remote"] == "true" and respite["age_min"] == "18"
    assert respite["documents"] == "Taotlus;Pass"
    assert respite["free_places"] == "2" and respite["availability_stale"] == "false"
    assert respite["availability_as_of"] == (dt.date.today() - dt.timedelta(days=3)).isoformat()
    home = by_offer[str(directory.narva_home.pk)]
    assert home["apply_e_service_url"] == "https://narva.example/koduteenus"
    assert home["free_places"] == ""
