"""The index follows the directory and the page tree; commands rebuild it and seed synonyms."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from directory import models as m
from search.backends import get_backend
from search.models import SearchDocument, Synonym


def test_rebuild_indexes_every_kind_of_thing(world, capsys):
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "Indexed" in out
    kinds = set(SearchDocument.objects.values_list("kind", flat=True))
    assert kinds == {"component", "service", "journey", "municipality", "contact", "offer", "page"}
    assert SearchDocument.objects.filter(kind="offer").count() == m.Offer.objects.count()


def test_renaming_an_entry_changes_what_finds_it(world, django_capture_on_commit_callbacks):
    service = m.Service.objects.get(code="shelter")
    with django_capture_on_commit_callbacks(execute=True):
        service.name_et = "Öömajateenus Kuukiir"
        service.save()
    assert get_backend().query("kuukiir", "et").hits[0].code == "shelter"


def test_a_new_word_of_an_entry_is_forgiven_its_typos_and_suggested(
    world, django_capture_on_commit_callbacks
):
    # The in-memory vocabulary that typos are matched against learns the word on indexing.
    service = m.Service.objects.get(code="shelter")
    with django_capture_on_commit_callbacks(execute=True):
        service.name_et = "Öömajateenus Päikesekiir"
        service.save()
    results = get_backend().query("paikesekir", "et")
    assert results.hits[0].code == "shelter"
    assert results.suggestion == "päikesekiir"


def test_deleting_a_contact_removes_its_document(world, django_capture_on_commit_callbacks):
    contact = m.ContactPerson.objects.get(municipality__code="tartu-linn")
    key = f"contact:{contact.pk}"
    assert SearchDocument.objects.filter(key=key).exists()
    with django_capture_on_commit_callbacks(execute=True):
        contact.delete()
    assert not SearchDocument.objects.filter(key=key).exists()


def test_a_published_page_becomes_searchable(world, django_capture_on_commit_callbacks):
    from portal.models import HomePage, StandardPage

    home = HomePage.objects.get()
    page = StandardPage(
        title="Ligipääsetavuse teatis", slug="ligipaasetavus", body="<p>Kuidas portaali kasutada</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        home.add_child(instance=page)
        page.save_revision().publish()
    hit = get_backend().query("ligipääsetavuse teatis", "et").hits[0]
    assert (hit.kind, hit.url) == ("page", "/et/ligipaasetavus/")
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert not [h for h in get_backend().query("ligipääsetavuse teatis", "et").hits if h.kind == "page"]


def test_synonym_seed_loads_once_and_keeps_staff_edits(db, tmp_path):
    Synonym.objects.all().delete()
    call_command("load_search_synonyms")
    count = Synonym.objects.count()
    assert count > 20
    group = Synonym.objects.get(language="et", terms__startswith="invatakso")
    group.terms += "\ninvabuss sõidutaja"
    group.save()
    call_command("load_search_synonyms")
    assert Synonym.objects.count() == count
    assert "invabuss sõidutaja" in Synonym.objects.get(pk=group.pk).terms


def test_a_malformed_synonym_file_stops_with_a_clear_message(db, tmp_path):
    bad = tmp_path / "synonyms.yaml"
    bad.write_text("et:\n  - [only-one]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="et group 1 needs two or more words"):
        call_command("load_search_synonyms", file=str(bad))


def test_an_unknown_backend_setting_is_a_configuration_error(settings):
    settings.SEARCH_BACKEND = "solr"
    with pytest.raises(ImproperlyConfigured, match="solr"):
        get_backend()
    with pytest.raises(CommandError, match="solr"):
        call_command("rebuild_search_index")


def test_a_bulk_change_is_indexed_by_a_background_job(world, settings, django_capture_on_commit_callbacks):
    from jobs.runner import run_pending

    settings.SEARCH_INDEX_INLINE_LIMIT = 2
    services = list(m.Service.objects.order_by("pk")[:3])
    with django_capture_on_commit_callbacks(execute=True):
        for number, service in enumerate(services):
            service.name_et = f"Kuukiirteenus{number}"
            service.save()
    assert get_backend().query("kuukiirteenus1", "et").hits == []  # the request did not wait
    run_pending()
    assert get_backend().query("kuukiirteenus1", "et").hits[0].code == services[1].code


def test_a_search_at_the_new_content_version_reads_the_updated_index(world):
    """Search keeps what it read from the index per content version. What a commit of public
    content runs writes the index before the version moves on, so whoever reads the new version
    (here: the moment it moves) finds the change, and nothing keeps the old index as current."""
    from directory import content_version

    backend = get_backend()
    assert backend.query("kuukiir", "et").hits == []  # kept for the version before the change
    found_when_moved = []

    def search(sender, version, **kwargs):
        found_when_moved.append([hit.code for hit in backend.query("kuukiir", "et").hits])

    content_version.bumped.connect(search, dispatch_uid="test-search-at-new-version")
    try:
        service = m.Service.objects.get(code="shelter")
        service.name_et = "Öömajateenus Kuukiir"
        service.save()  # marks the documents to index once this transaction commits
        content_version._bump_after_commit()  # what the commit then runs
    finally:
        content_version.bumped.disconnect(dispatch_uid="test-search-at-new-version")
    assert found_when_moved and found_when_moved[0][:1] == ["shelter"]
    assert backend.query("kuukiir", "et").hits[0].code == "shelter"
