"""Known gaps load from gaps.yaml idempotently, and a malformed file changes nothing."""

import pytest
from django.core.management import CommandError, call_command

from analytics.gaps import CatalogueError, load_gaps
from analytics.models import GapStatus, KnownGap, KnownProblem

pytestmark = pytest.mark.django_db


def test_the_project_file_loads_every_gap_and_problem_with_its_source(catalogue):
    counts = load_gaps()

    assert counts == {"gaps": 15, "problems": 7}
    rehab = KnownGap.objects.get(service__code="social-rehabilitation")
    assert rehab.county.ehak == "0071"
    assert rehab.status == GapStatus.MISSING
    assert rehab.scope_en == "partly; especially for older people"
    assert rehab.scope_ru.startswith("частично")
    assert rehab.source.startswith("rapla-care-coordination-model-2022.txt")
    assert KnownGap.objects.filter(status=GapStatus.SCARCE).count() == 7
    uncoded = KnownGap.objects.get(service__isnull=True, component__isnull=True, kind="service")
    assert uncoded.provider_role.code == "unemployment-fund"
    assert [c.code for c in uncoded.related_components.all()] == ["employment-support"]


def test_loading_twice_updates_in_place_and_never_duplicates(catalogue):
    load_gaps()
    ids = set(KnownGap.objects.values_list("id", flat=True))
    load_gaps()

    assert set(KnownGap.objects.values_list("id", flat=True)) == ids
    assert KnownProblem.objects.count() == 7


def test_a_gap_naming_an_unknown_service_stops_with_file_line_and_field(catalogue, tmp_path):
    load_gaps()
    bad = tmp_path / "gaps.yaml"
    bad.write_text(
        "service_gaps:\n"
        '  - county: "Rapla maakond"\n'
        '    county_code: "0071"\n'
        "    code: no-such-service\n"
        "    kind: service\n"
        "    status: missing\n"
        "    source: test\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as error:
        load_gaps(bad)

    assert str(error.value) == "gaps.yaml, line 2, field 'code': unknown code 'no-such-service'"
    assert KnownGap.objects.count() == 15, "nothing changed"


def test_an_unknown_status_is_named(catalogue, tmp_path):
    bad = tmp_path / "gaps.yaml"
    bad.write_text(
        "service_gaps:\n  - {county: Rapla maakond, county_code: '0071', code: day-care, kind: service,"
        " status: lacking, source: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="line 2, field 'status': unknown status 'lacking'"):
        load_gaps(bad)


def test_the_command_reports_counts_and_turns_errors_into_command_errors(catalogue, tmp_path, capsys):
    call_command("load_gaps")
    assert "15 gaps, 7 problems" in capsys.readouterr().out

    bad = tmp_path / "gaps.yaml"
    bad.write_text("service_gaps: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing changed. gaps.yaml, line"):
        call_command("load_gaps", file=bad)


@pytest.mark.parametrize(
    "lang, title",
    [
        ("et", "Rapla maakonna hoolduse koordineerimise mudel (2022)"),
        ("ru", "Модель координации ухода в Рапламаа (2022)"),
        ("en", "Rapla County care coordination model (2022)"),
    ],
)
def test_readers_see_the_documents_title_in_their_language_never_a_file_name(client, catalogue, lang, title):
    load_gaps()
    html = client.get(f"/{lang}/analytics/coverage/").content.decode()
    assert title in html
    assert ".txt" not in html, "no file name"
    assert lang == "et" or "Konarlik infoedastus" not in html, "no Estonian section name"
