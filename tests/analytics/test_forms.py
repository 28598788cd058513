"""Every analytics filter by a component or a service refuses both at once, with one message
(analytics.forms.ComponentOrServiceForm) — on the pages and in the API."""

import pytest
from django.utils import translation

from analytics.forms import CoverageForm, PlacesForm, PriceForm
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def both():
    return {"component": f.ComponentFactory().code, "service": f.ServiceFactory().code}


@pytest.mark.parametrize("form_class", [CoverageForm, PlacesForm, PriceForm])
def test_a_component_and_a_service_together_are_refused(form_class, both):
    with translation.override("en"):
        form = form_class(both)
        assert not form.is_valid()
        assert form.errors["__all__"] == ["Choose a component or a service, not both."]


@pytest.mark.parametrize("form_class", [CoverageForm, PlacesForm, PriceForm])
def test_either_alone_is_accepted(form_class, both):
    assert form_class({"component": both["component"]}).is_valid()
    assert form_class({"service": both["service"]}).is_valid()


def test_the_coverage_api_refuses_both_in_the_callers_language(client, both):
    response = client.get("/api/v1/analytics/coverage/", both | {"lang": "et"})
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["Valige kas teenuskomponent või teenus, mitte mõlemad."]
