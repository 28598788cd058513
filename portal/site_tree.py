"""Builds the page tree from the catalogue: home, municipalities index, one page per KOV,
and an editor group per KOV. Idempotent: existing pages are updated, never duplicated."""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from directory.models import Municipality

from .models import HomePage, MunicipalityIndexPage, MunicipalityPage

HOME_TITLES = {"et": "Abiportaal", "ru": "Абипортал", "en": "Abiportaal"}
INDEX_TITLES = {"et": "Omavalitsused", "ru": "Самоуправления", "en": "Municipalities"}
INDEX_SLUG = "kov"


def editor_group_name(municipality: Municipality) -> str:
    return f"KOV editors: {municipality.code}"


def _titles(values: dict[str, str]) -> dict[str, str]:
    return {f"title_{lang}": text for lang, text in values.items()}


@transaction.atomic
def build_site_tree() -> dict[str, int]:
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's installation page ("Welcome to your new Wagtail site!") stands in the way.
        for page in root.get_children().exact_type(Page):
            page.delete()
        home = HomePage(slug="home", **_titles(HOME_TITLES))
        root.add_child(instance=home)
    else:
        for field, value in _titles(HOME_TITLES).items():
            setattr(home, field, value)
        home.save()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Abiportaal"},
    )

    index = MunicipalityIndexPage.objects.first()
    if index is None:
        index = MunicipalityIndexPage(slug=INDEX_SLUG, **_titles(INDEX_TITLES))
        home.add_child(instance=index)

    existing = set(MunicipalityPage.objects.values_list("municipality_id", flat=True))
    created = 0
    for municipality in Municipality.objects.all():
        titles = {
            "title_et": municipality.name_et,
            "title_ru": municipality.name_ru or "",
            "title_en": municipality.name_en or "",
        }
        if municipality.pk in existing:
            page = municipality.page
            changed = [f for f, v in titles.items() if getattr(page, f) != v]
            if changed:
                for field in changed:
                    setattr(page, field, titles[field])
                page.save()
        else:
            index.add_child(
                instance=MunicipalityPage(municipality=municipality, slug=municipality.code, **titles)
            )
            created += 1
        Group.objects.get_or_create(name=editor_group_name(municipality))
    return {"municipality_pages_created": created}
