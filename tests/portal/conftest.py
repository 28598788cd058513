import pytest

from tests.portal.builders import World


@pytest.fixture
def world(db):
    """Four municipalities in two counties, a slice of the catalogue and the page tree."""
    return World().build_pages()
