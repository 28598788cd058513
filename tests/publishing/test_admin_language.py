"""The editing interface speaks the editor's language: no English string from Wagtail or
Django inside an Estonian or Russian admin page. Where Wagtail's own catalogues lack a string,
the project's locale/ (first in LOCALE_PATHS) supplies it."""

import html
import json
import re
from functools import cache
from pathlib import Path

import pytest
import wagtail
from django.utils import translation
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db

KNOWN_ENGLISH = ["Password", "Go to the first error", "Forgotten password?", "Remember me", "Toggle sidebar"]


@cache
def wagtail_strings() -> frozenset[str]:
    """Every English message of Wagtail's catalogues."""
    root = Path(wagtail.__file__).parent
    found = set()
    for po in root.rglob("locale/en/LC_MESSAGES/django*.po"):
        found.update(re.findall(r'^msgid "(.+)"$', po.read_text(), re.M))
    return frozenset(found)


def shown_text(page: str) -> set[str]:
    """Text nodes, labels, titles and placeholders, and the strings of the JSON the admin's
    scripts read (wagtail-config)."""
    strings: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, dict | list):
            for item in value.values() if isinstance(value, dict) else value:
                walk(item)

    for blob in re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', page, re.S):
        try:
            walk(json.loads(html.unescape(blob)))
        except ValueError:
            pass
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    strings.update(re.findall(r">([^<>]+)<", page))
    strings.update(re.findall(r'(?:aria-label|title|placeholder|value|data-[a-z-]+)="([^"]+)"', page))
    return {html.unescape(s).strip().rstrip(":").strip() for s in strings}


def untranslated(page: str, language: str) -> set[str]:
    with translation.override(language):
        return {
            text
            for text in shown_text(page) & wagtail_strings()
            if translation.gettext(text) == text and re.search("[a-z]{3}", text)
        }


def admin_pages(client, user, language: str) -> dict[str, str]:
    client.logout()
    pages = {
        "login": client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=language),
        "login with an error": client.post(
            "/admin/login/", {"username": "nobody", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE=language
        ),
    }
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    for path in ("/admin/", "/admin/pages/", "/admin/account/", "/admin/snippets/directory/provider/"):
        pages[path] = client.get(path)
    pages["snippet form with an error"] = client.post("/admin/snippets/directory/provider/add/", {})
    assert pages["snippet form with an error"].status_code == 200
    return {name: response.content.decode() for name, response in pages.items()}


@pytest.mark.parametrize("language", ["et", "ru"])
def test_admin_pages_have_no_english_strings(client, superuser, kovs, language):
    pages = admin_pages(client, superuser, language)
    assert "Go to the first error" not in pages["snippet form with an error"]
    for name, page in pages.items():
        assert f'lang="{language}"' in page, name
        for english in KNOWN_ENGLISH:
            assert f">{english}<" not in page, (name, english)
        assert not untranslated(page, language), name


def test_the_admin_scripts_strings_are_estonian_too(client, superuser):
    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = "et"
    profile.save()
    client.force_login(superuser)
    catalogue = client.get("/admin/jsi18n/").content.decode()
    assert "Ava v\\u00f5i sulge k\\u00fclgriba" in catalogue or "Ava või sulge külgriba" in catalogue
