"""Public pages outside the Wagtail page tree, mounted under each language prefix.

The paths are part of the public contract (see get_absolute_url in directory/models)."""

from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("choose-municipality/", views.choose_municipality, name="choose_municipality"),
    path("choose-municipality/places/", views.place_suggestions, name="place_suggestions"),
    path("components/<slug:code>/", views.component_page, name="component"),
    path("services/<slug:code>/", views.service_page, name="service"),
    path("journeys/", views.journey_index, name="journeys"),
    path("journeys/<slug:code>/", views.journey_page, name="journey"),
    path("offers/<int:pk>/history/", views.offer_history, name="offer_history"),
]
