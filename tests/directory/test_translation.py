"""Texts fall back to Estonian where a Russian or English translation is missing."""

import pytest
from django.utils import translation

from tests.factories import ComponentFactory

pytestmark = pytest.mark.django_db


def test_missing_translation_falls_back_to_estonian():
    component = ComponentFactory(name_et="Isiklik tugi", name_ru="", name_en="Personal support")
    with translation.override("ru"):
        assert component.name == "Isiklik tugi"
    with translation.override("en"):
        assert component.name == "Personal support"
    with translation.override("et"):
        assert component.name == "Isiklik tugi"


def test_catalogue_texts_are_translated(catalogue):
    from directory.models import Service

    service = Service.objects.get(code="home-care")
    with translation.override("ru"):
        assert service.name == "Услуга помощи на дому"
    with translation.override("en"):
        assert service.name == "Home care"
