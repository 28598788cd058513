from django.urls import path

from .views import api_search

urlpatterns = [path("", api_search, name="api-search")]
