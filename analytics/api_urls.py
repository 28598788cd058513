from django.urls import path

from . import api

app_name = "analytics_api"

urlpatterns = [
    path("coverage/", api.CoverageAPI.as_view(), name="coverage"),
    path("prices/", api.PricesAPI.as_view(), name="prices"),
    path("unmet-needs/", api.UnmetNeedsAPI.as_view(), name="unmet-needs"),
]
