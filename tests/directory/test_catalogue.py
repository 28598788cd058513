"""Loading the catalogue: complete, idempotent, precise about malformed files."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from directory.catalogue import CATALOGUE_DIR, CatalogueError, load_catalogue
from directory.models import Component, County, Journey, JourneyStep, Municipality, Role, Service

pytestmark = pytest.mark.django_db


def test_loads_all_79_municipalities_and_15_counties(catalogue):
    assert Municipality.objects.count() == 79
    assert County.objects.count() == 15
    narva = Municipality.objects.get(code="narva-linn")
    assert narva.county.ehak == "0045"
    assert narva.name_ru and narva.name_en
    assert 59.0 < narva.latitude < 59.6 and 27.5 < narva.longitude < 28.5


def test_loads_the_whole_catalogue(catalogue):
    assert catalogue["components"] == Component.objects.count() == 26
    assert catalogue["services"] == Service.objects.count() == 26
    assert Role.objects.count() == 17
    journey = Journey.objects.get(code="person-centred-special-care")
    steps = list(journey.steps.order_by("position"))
    assert len(steps) == 12
    assert any(step.deadline_days == 30 for step in steps)


def test_loading_twice_neither_fails_nor_duplicates(catalogue):
    before = {model: model.objects.count() for model in (Component, Service, JourneyStep, Municipality)}
    load_catalogue()
    after = {model: model.objects.count() for model in (Component, Service, JourneyStep, Municipality)}
    assert before == after


def test_a_changed_name_updates_the_entry_in_place(catalogue, tmp_path):
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, folder)
    path = folder / "components.yaml"
    text = path.read_text(encoding="utf-8")
    old, new = 'en: "Personal support across areas of life"', 'en: "Personal support (renamed)"'
    renamed = text.replace(old, new, 1)
    path.write_text(renamed, encoding="utf-8")
    pk = Component.objects.get(code="personal-support").pk
    load_catalogue(folder)
    component = Component.objects.get(code="personal-support")
    assert component.pk == pk
    assert component.name_en == "Personal support (renamed)"
    assert Component.objects.count() == 26


def _broken_copy(tmp_path, filename, old, new):
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, folder)
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_unknown_reference_names_file_line_and_field_and_changes_nothing(catalogue, tmp_path):
    folder = _broken_copy(tmp_path, "components.yaml", "domain: planning", "domain: no-such-domain")
    Component.objects.filter(code="service-planning").update(name_en="untouched")
    with pytest.raises(CatalogueError) as error:
        load_catalogue(folder)
    assert error.value.file == "components.yaml"
    assert error.value.field == "domain"
    assert error.value.line and error.value.line > 1
    assert "no-such-domain" in str(error.value)
    assert Component.objects.get(code="service-planning").name_en == "untouched"


def test_invalid_yaml_is_reported_with_its_line(catalogue, tmp_path):
    folder = _broken_copy(tmp_path, "services.yaml", "- code: home-care", "- code: [home-care")
    with pytest.raises(CatalogueError) as error:
        load_catalogue(folder)
    assert error.value.file == "services.yaml" and error.value.line


def test_a_bad_municipality_row_changes_nothing(db, tmp_path):
    folder = _broken_copy(tmp_path, "municipalities.csv", ",vald,0037,", ",borough,0037,")
    with pytest.raises(CatalogueError) as error:
        load_catalogue(folder)
    assert error.value.file == "municipalities.csv" and error.value.field == "kind"
    assert error.value.line == 2
    assert not Municipality.objects.exists()
    assert not Component.objects.exists()


def test_the_command_reports_a_clear_error(db, tmp_path):
    folder = _broken_copy(tmp_path, "roles.yaml", "  kind: kov-staff\n", "  kind: wizard\n")
    with pytest.raises(CommandError, match=r"roles.yaml, line \d+, field 'kind'"):
        call_command("load_catalogue", "--dir", str(folder))


def test_codes_are_unique(catalogue):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Component.objects.create(
            code="personal-support",
            tier=Component.objects.first().tier,
            domain=Component.objects.first().domain,
            name_et="Kopeeritud",
        )


def test_duplicate_code_in_a_file_is_refused(db, tmp_path):
    folder = _broken_copy(tmp_path, "target_groups.yaml", "- code: working-age", "- code: children")
    with pytest.raises(CatalogueError, match="duplicate code 'children'"):
        load_catalogue(folder)


def test_every_entry_loads_its_situations_in_three_languages(catalogue):
    """What a resident or family would say when they need an entry: 4–6 sentences in each
    language, in the entry's translated `situations`."""
    for entry in [*Component.objects.all(), *Service.objects.all()]:
        for lang in ("et", "ru", "en"):
            situations = getattr(entry, f"situations_{lang}")
            assert 4 <= len(situations) <= 6, (entry.code, lang)
            assert all(isinstance(s, str) and s.strip() for s in situations), (entry.code, lang)


def test_a_page_shows_its_entrys_situations_in_the_pages_language(client, site_tree):
    service = Service.objects.get(code="home-care")
    html = client.get("/ru/services/home-care/").content.decode()
    assert "Это может помочь, когда…" in html
    assert f"<li>{service.situations_ru[0]}</li>" in html
    assert service.situations_et[0] not in html
