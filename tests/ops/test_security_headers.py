"""Every page says how browsers must treat it: a Content-Security-Policy without inline scripts,
no framing by other sites, a restrained referrer, no MIME sniffing."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_headers(client):
    return client.get("/en/no-such-page/")  # any page: a 404 carries the same headers


def test_the_policy_allows_scripts_only_from_the_portal_itself(page_headers):
    policy = page_headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_pages_cannot_be_framed_by_other_sites(page_headers):
    assert page_headers["X-Frame-Options"] == "DENY"


def test_referrer_and_content_type_policies(page_headers):
    assert page_headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert page_headers["X-Content-Type-Options"] == "nosniff"
    assert page_headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_only_the_wagtail_admin_may_run_inline_scripts_and_it_still_cannot_be_framed(client):
    admin_policy = client.get("/admin/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in admin_policy.split(";") if part.strip())
    assert directives["script-src"] == "'self' 'unsafe-inline'"
    assert directives["frame-ancestors"] == "'none'"
