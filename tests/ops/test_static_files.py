"""Static files in production: collectstatic writes every file under a name with its content hash
plus compressed copies, the pages link the hashed names, and whitenoise serves them compressed
with far-future cache headers.

collectstatic runs once for the module, with the static-files storage and cache lifetime that
portal.settings.production really configures (read from a process running those settings)."""

import gzip
import importlib.util
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.ops.helpers import production_env, run_python

OUR_FILES = [
    "css/portal.css",
    "css/print.css",
    "js/portal.js",
    "search/search.css",
    "analytics/analytics.css",
]
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})\.(?P<ext>css|js)$")

SHOW_STATIC_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({"backend": settings.STORAGES["staticfiles"]["BACKEND"],
                  "max_age": settings.WHITENOISE_MAX_AGE}))
"""


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    """settings overrides that make this process serve static files as production does, after
    collectstatic has written them into a temporary STATIC_ROOT."""
    shown = run_python(SHOW_STATIC_SETTINGS, production_env(tmp_path_factory.mktemp("settings")))
    assert shown.returncode == 0, shown.stderr
    production = json.loads(shown.stdout.strip().splitlines()[-1])
    from django.conf import settings

    overrides = override_settings(
        STATIC_ROOT=tmp_path_factory.mktemp("static"),
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": production["backend"]}},
        WHITENOISE_MAX_AGE=production["max_age"],
        WHITENOISE_USE_FINDERS=False,  # serve only what collectstatic wrote, as production does
        WHITENOISE_AUTOREFRESH=False,
    )
    with overrides:
        call_command("collectstatic", "--noinput", verbosity=0)
        yield settings.STATIC_ROOT


def manifest(static_root) -> dict:
    return json.loads((static_root / "staticfiles.json").read_text())["paths"]


def test_collectstatic_writes_hashed_and_compressed_copies_of_our_css_and_js(production_static):
    paths = manifest(production_static)
    for name in OUR_FILES:
        hashed = paths[name]
        match = HASHED.match(hashed)
        assert match and f"{match['stem']}.{match['ext']}" == name, hashed
        original = (production_static / name).read_bytes()
        assert (production_static / hashed).read_bytes() == original
        assert gzip.decompress((production_static / f"{hashed}.gz").read_bytes()) == original
        if importlib.util.find_spec("brotli"):
            import brotli

            assert brotli.decompress((production_static / f"{hashed}.br").read_bytes()) == original


@pytest.mark.django_db
def test_a_public_page_links_the_hashed_names_which_are_served_gzipped_and_cached_for_a_year(
    production_static, site_tree
):
    paths = manifest(production_static)
    page = Client().get("/et/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("css/portal.css", "css/print.css", "js/portal.js"):
        assert f'"/static/{paths[name]}"' in html
        assert f'"/static/{name}"' not in html

    asset = Client().get(f"/static/{paths['css/portal.css']}", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert asset.status_code == 200
    assert asset["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in asset["Vary"]
    cache_control = asset["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache_control)[1])
    assert max_age >= 365 * 24 * 60 * 60
    assert "public" in cache_control and "immutable" in cache_control
    body = gzip.decompress(b"".join(asset.streaming_content))
    assert body == (production_static / "css/portal.css").read_bytes()


@pytest.mark.django_db
def test_a_client_that_does_not_accept_gzip_gets_the_plain_file(production_static):
    hashed = manifest(production_static)["js/portal.js"]
    asset = Client().get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="identity")
    assert asset.status_code == 200
    assert not asset.has_header("Content-Encoding")
    assert b"".join(asset.streaming_content) == (production_static / "js/portal.js").read_bytes()
