"""The settlement register (asustusüksused): every EHAK settlement with its municipality,
loaded with the catalogue, idempotent and all-or-nothing."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.catalogue import SETTLEMENTS_FILE, CatalogueError, load_catalogue
from directory.models import Municipality, Settlement, SettlementKind

pytestmark = pytest.mark.django_db


def test_every_settlement_is_loaded_with_its_municipality(catalogue):
    assert catalogue["settlements"] == Settlement.objects.count() == 4711
    ahtme = Settlement.objects.select_related("municipality__county").get(name="Ahtme linnaosa")
    assert ahtme.kind == SettlementKind.DISTRICT
    assert ahtme.municipality.code == "kohtla-jarve-linn"
    assert ahtme.municipality.county.ehak == "0045"  # Ida-Viru
    assert ahtme.bare_name == "Ahtme"
    assert 59.2 < ahtme.latitude < 59.5 and 27.3 < ahtme.longitude < 27.6
    kivioli = Settlement.objects.get(name="Kiviõli linn")
    assert kivioli.kind == SettlementKind.TOWN_IN_PARISH
    assert kivioli.municipality.code == "luganuse-vald"
    assert Settlement.objects.get(name="Lasnamäe linnaosa").municipality.code == "tallinn"
    assert Settlement.objects.get(name="Sinimäe alevik").municipality.code == "narva-joesuu-linn"


def test_villages_that_share_a_name_are_kept_apart_by_code(catalogue):
    vanamoisa = Settlement.objects.filter(name="Vanamõisa küla")
    assert vanamoisa.count() == 12
    assert vanamoisa.values("municipality").distinct().count() > 1
    assert Settlement.objects.get(code="1004").name == "Aa küla"


def test_bare_names_drop_the_kind_word_and_the_swedish_name(catalogue):
    assert Settlement.objects.get(name="Aa küla").bare_name == "Aa"
    assert Settlement.objects.filter(name="Alaküla").first().bare_name == "Alaküla"
    assert Settlement.objects.get(name="Aulepa küla / Dirslätt").bare_name == "Aulepa"
    assert Settlement.objects.get(name="Abja-Paluoja linn").bare_name == "Abja-Paluoja"


def test_loading_twice_writes_nothing_to_the_settlements(catalogue):
    before = dict(Settlement.objects.values_list("code", "pk"))
    with CaptureQueriesContext(connection) as queries:
        load_catalogue()
    writes = [
        query["sql"]
        for query in queries
        if "directory_settlement" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert dict(Settlement.objects.values_list("code", "pk")) == before


def _broken_copy(tmp_path, old, new):
    text = SETTLEMENTS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "asustusyksus.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_changed_row_is_updated_in_place_and_a_dropped_row_removed(catalogue, tmp_path):
    path = _broken_copy(tmp_path, "1004,Aa küla,", "1004,Aa küla (renamed),")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = lines.pop(2)  # 1005 Aabra küla
    assert dropped.startswith("1005,")
    path.write_text("".join(lines), encoding="utf-8")
    pk = Settlement.objects.get(code="1004").pk
    load_catalogue(settlements_file=path)
    aa = Settlement.objects.get(code="1004")
    assert (aa.pk, aa.name) == (pk, "Aa küla (renamed)")
    assert not Settlement.objects.filter(code="1005").exists()
    assert Settlement.objects.count() == 4710


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("küla,luganuse-vald", "hamlet,luganuse-vald", "kind", "unknown kind 'hamlet'"),
        ("küla,luganuse-vald", "küla,atlantis-vald", "municipality", "unknown municipality"),
        ("1005,Aabra küla", "1004,Aabra küla", "ehak", "duplicate code '1004' (first on line 2)"),
        ("1005,Aabra küla", "105,Aabra küla", "ehak", "'105' is not a four-digit EHAK code"),
        ("27.16410,59.39795", "27.16410,60.39795", "lat", "lies outside Estonia"),
        ("27.16410,59.39795", "27.16410,north", "lat", "'north' is not a number"),
        ("1004,Aa küla,", "1004,,", "name", "is required"),
    ],
)
def test_a_bad_settlement_row_is_named_and_changes_nothing(tmp_path, db, old, new, field, message):
    path = _broken_copy(tmp_path, old, new)
    with pytest.raises(CatalogueError, match=re.escape(message)) as error:
        load_catalogue(settlements_file=path)
    assert error.value.file == "asustusyksus.csv"
    assert error.value.field == field
    assert error.value.line in (2, 3)
    assert not Settlement.objects.exists()
    assert not Municipality.objects.exists()


def test_the_command_loads_settlements_and_reports_a_bad_file(db, tmp_path):
    path = _broken_copy(tmp_path, "1004,Aa küla,küla", "1004,Aa küla,hamlet")
    with pytest.raises(CommandError, match=r"nothing changed. asustusyksus.csv, line 2, field 'kind'"):
        call_command("load_catalogue", "--settlements", str(path))
    assert not Settlement.objects.exists()
    call_command("load_catalogue", verbosity=0)
    assert Settlement.objects.count() == 4711


def test_a_settlement_must_lie_in_estonia(catalogue):
    from django.db import IntegrityError, transaction

    aa = Settlement.objects.get(code="1004")
    with pytest.raises(IntegrityError), transaction.atomic():
        Settlement.objects.filter(pk=aa.pk).update(latitude=10.0)
