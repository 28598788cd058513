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
