from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from referrals.api import PartnerInstitutionViewSet, ReferralRouteViewSet

from . import views

app_name = "api"

router = SimpleRouter()
router.register("counties", views.CountyViewSet, basename="county")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("units", views.UnitViewSet, basename="unit")
router.register("tiers", views.TierViewSet, basename="tier")
router.register("domains", views.DomainViewSet, basename="domain")
router.register("target-groups", views.TargetGroupViewSet, basename="target-group")
router.register("roles", views.RoleViewSet, basename="role")
router.register("components", views.ComponentViewSet, basename="component")
router.register("services", views.ServiceViewSet, basename="service")
router.register("journeys", views.JourneyViewSet, basename="journey")
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("offers", views.OfferViewSet, basename="offer")
router.register("prices", views.PriceViewSet, basename="price")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("locations", views.LocationViewSet, basename="location")
router.register("partner-institutions", PartnerInstitutionViewSet, basename="partner-institution")
router.register("referral-routes", ReferralRouteViewSet, basename="referral-route")

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML error page.
    re_path(r"^[\s\S]*$", views.not_found, name="not-found"),
]
