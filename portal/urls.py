from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.feeds import MunicipalityChangesFeed
from opendata.views import OpenDataPageView
from portal.page_tree import serve
from portal.sitemaps import SITEMAPS
from portal.views import robots_txt

handler400 = "ops.views.bad_request"
handler403 = "ops.views.permission_denied"
handler404 = "ops.views.page_not_found"
handler500 = "ops.views.server_error"

urlpatterns = [
    # The specific /api/v1/ apps come before the general API, whose catch-all answers JSON 404s.
    path("api/v1/search/", include("search.api_urls")),
    path("api/v1/analytics/", include("analytics.api_urls")),
    path("api/v1/", include("api.urls")),
    path("api/hsds/", include("api.hsds.urls")),
    path("open-data/", include("opendata.urls")),
    path("notifications/", include("notifications.urls")),
    path("r/", include("referrals.short_urls")),
    path("django-admin/", admin.site.urls),
    path("admin/reports/site-history/", include("publishing.admin_guard")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]

urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("analytics/", include("analytics.urls")),
    path("kov/<slug:code>/feed/", MunicipalityChangesFeed(), name="municipality-feed"),
    path("open-data/", OpenDataPageView.as_view(), name="open-data"),
    path("professionals/", include("referrals.urls")),
    path("", include("portal.public_urls")),
    path("", include("feedback.urls")),
    path("", include("info.urls")),
    # Wagtail's page view (same pattern and name), with the site remembered per process.
    re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
