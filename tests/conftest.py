import pytest


@pytest.fixture
def catalogue(db):
    """The whole reference catalogue, loaded from the project's data files."""
    from directory.catalogue import load_catalogue

    return load_catalogue()


@pytest.fixture
def site_tree(catalogue):
    from portal.site_tree import build_site_tree

    return build_site_tree()


@pytest.fixture(autouse=True)
def django_db_serialized_rollback() -> bool:
    """Every transactional test (live servers, real commits) ends with a flush; restore what the
    migrations put in the database (content types, Wagtail's root page, seeded search data) so
    the next test starts from the same state, with the same primary keys."""
    return True
