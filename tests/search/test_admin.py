"""Staff keep the synonym dictionary in the Wagtail admin; searches use it at once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from search.models import Synonym


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw-editor-123")
    client.force_login(user)
    return client


def test_staff_see_and_add_synonym_groups_in_the_admin(staff_client):
    call_command("load_search_synonyms")
    listing = staff_client.get("/admin/snippets/search/synonym/", {"language": "et"})
    assert listing.status_code == 200
    first = Synonym.objects.filter(language="et").first()
    assert first.term_list[0] in listing.content.decode()
    response = staff_client.post(
        "/admin/snippets/search/synonym/add/",
        {"language": "et", "terms": "abikaasa hooldus\nomastehooldus", "note": "from a resident"},
    )
    assert response.status_code == 302
    assert Synonym.objects.filter(terms__startswith="abikaasa hooldus").exists()
