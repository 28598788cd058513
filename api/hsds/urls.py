from django.urls import re_path

from .. import views as api_views
from . import views

app_name = "hsds"


def hsds_path(pattern: str, view, name: str):
    """HSDS clients call paths without a trailing slash (`/services/{id}`); ours had one. Both
    answer, without a redirect (a redirect loses nothing for GET, but costs a round trip)."""
    return re_path(rf"^{pattern}/?$", view.as_view(), name=name)


ID = r"(?P<object_id>[^/]+)"

urlpatterns = [
    re_path(r"^$", views.MetaView.as_view(), name="meta"),
    re_path(r"^openapi\.json$", views.OpenApiDocumentView.as_view(), name="openapi"),
    re_path(r"^schema/(?P<name>(?:compiled/)?[a-z_]+\.json)$", views.SchemaFileView.as_view(), name="schema"),
    hsds_path("services", views.ServiceListView, "services"),
    hsds_path(f"services/{ID}", views.ServiceDetailView, "service"),
    hsds_path("service_at_locations", views.ServiceAtLocationListView, "service-at-locations"),
    hsds_path(f"service_at_locations/{ID}", views.ServiceAtLocationDetailView, "service-at-location"),
    hsds_path("organizations", views.OrganizationListView, "organizations"),
    hsds_path(f"organizations/{ID}", views.OrganizationDetailView, "organization"),
    hsds_path("taxonomies", views.TaxonomyListView, "taxonomies"),
    hsds_path(f"taxonomies/{ID}", views.TaxonomyDetailView, "taxonomy"),
    hsds_path("taxonomy_terms", views.TaxonomyTermListView, "taxonomy-terms"),
    hsds_path(f"taxonomy_terms/{ID}", views.TaxonomyTermDetailView, "taxonomy-term"),
    re_path(r"^[\s\S]*$", api_views.not_found),
]
