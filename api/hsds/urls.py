from django.urls import path, re_path

from .. import views as api_views
from . import views

app_name = "hsds"

urlpatterns = [
    path("", views.MetaView.as_view(), name="meta"),
    path("services/", views.ServiceListView.as_view(), name="services"),
    path("services/<str:object_id>/", views.ServiceDetailView.as_view(), name="service"),
    path("service_at_locations/", views.ServiceAtLocationListView.as_view(), name="service-at-locations"),
    path(
        "service_at_locations/<str:object_id>/",
        views.ServiceAtLocationDetailView.as_view(),
        name="service-at-location",
    ),
    path("organizations/", views.OrganizationListView.as_view(), name="organizations"),
    path("organizations/<str:object_id>/", views.OrganizationDetailView.as_view(), name="organization"),
    path("taxonomies/", views.TaxonomyListView.as_view(), name="taxonomies"),
    path("taxonomies/<str:object_id>/", views.TaxonomyDetailView.as_view(), name="taxonomy"),
    path("taxonomy_terms/", views.TaxonomyTermListView.as_view(), name="taxonomy-terms"),
    path("taxonomy_terms/<str:object_id>/", views.TaxonomyTermDetailView.as_view(), name="taxonomy-term"),
    re_path(r"^[\s\S]*$", api_views.not_found),
]
