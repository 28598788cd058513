from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("dcat.jsonld", views.catalogue, {"extension": "jsonld"}, name="dcat"),
    path("dcat.ttl", views.catalogue, {"extension": "ttl"}, name="dcat-turtle"),
    path("dcat.rdf", views.catalogue, {"extension": "rdf"}, name="dcat-rdfxml"),
    path("dcat", views.catalogue, name="dcat-negotiated"),
    path("datasets/<slug:slug>/", views.dataset, name="dataset"),
    path("files/<str:name>", views.download, name="download"),
]
