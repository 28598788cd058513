import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from search import indexing
from search.backends import get_backend

# Search is tested with its dense side on, as it runs in production: the model on onnxruntime
# from a graph built once per test process (the shipped catalogue's passage vectors spare it).
DENSE_MODEL = "e5-small-onnx"


@pytest.fixture(scope="session")
def onnx_model_dir(tmp_path_factory):
    """The graph `manage.py build_onnx_embedder` converts from the installed wheel."""
    path = tmp_path_factory.mktemp("models")
    with override_settings(SEARCH_MODEL_DIR=path):
        call_command("build_onnx_embedder", stdout=io.StringIO())
    return path


@pytest.fixture(autouse=True)
def dense_search(settings, onnx_model_dir):
    settings.SEARCH_EMBEDDER, settings.SEARCH_MODEL_DIR = DENSE_MODEL, onnx_model_dir


@pytest.fixture(scope="module")
def search_world(django_db_setup, django_db_blocker, onnx_model_dir):
    """The real catalogue, the page tree, two municipalities' offers with prices, contacts —
    indexed once per test module and rolled back after it."""
    from directory import models as m
    from directory.catalogue import load_catalogue
    from portal.site_tree import build_site_tree
    from search.models import Synonym
    from search.synonyms import load_synonyms

    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(SEARCH_EMBEDDER=DENSE_MODEL, SEARCH_MODEL_DIR=onnx_model_dir),
    ):
        load_catalogue()
        build_site_tree()
        load_synonyms(Synonym)  # as `manage.py load_search_synonyms` seeds them
        hour = m.Unit.objects.get(code="hour")
        social_worker = m.Role.objects.get(code="social-worker")
        for code in ("narva-linn", "tartu-linn"):
            municipality = m.Municipality.objects.get(code=code)
            provider = m.Provider.objects.create(name=f"{municipality.name_et} Hooldus OÜ", kind="company")
            for service_code, amount in (("home-care", "6.50"), ("support-person", "8.00")):
                offer = m.Offer.objects.create(
                    municipality=municipality,
                    service=m.Service.objects.get(code=service_code),
                    provider=provider,
                    valid_from=dt.date(2023, 1, 1),
                )
                m.Price(
                    offer=offer, unit=hour, price_individual=Decimal(amount), valid_from=dt.date(2024, 1, 1)
                ).publish()
            m.ContactPerson.objects.create(
                municipality=municipality,
                role=social_worker,
                name="Mari Tamm" if code == "tartu-linn" else "Olga Ivanova",
                phone="+372 5123 4567",
                email=f"mari@{code}.example",
                valid_from=dt.date(2023, 1, 1),
            )
        get_backend("database").rebuild()
        indexing.discard_pending()  # built above; nothing left to index on commit
        yield
        transaction.set_rollback(True)


@pytest.fixture
def world(search_world, db):
    """search_world inside the test's own transaction (changes are undone after each test)."""
    yield search_world
    indexing.discard_pending()
    # The test's writes are rolled back, and the content version with them: so must be what
    # the backend remembered of them (parsed offers, counts), or the next test reads them.
    get_backend("database").forget()


@pytest.fixture
def api(client):
    def get(**params):
        return client.get("/api/v1/search/", params)

    return get
