from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("dcat.jsonld", views.catalogue, name="dcat"),
    path("datasets/<slug:slug>/", views.dataset, name="dataset"),
    path("files/<str:name>", views.download, name="download"),
]
