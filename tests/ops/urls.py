"""The portal's URLs plus a few views that exist only to test the machinery around them:
one that fails, and a small read-only API endpoint."""

from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns
from django.http import Http404, JsonResponse
from django.urls import path

from directory.models import Price
from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


class DatabaseSecretError(Exception):
    pass


def fail(request):
    raise DatabaseSecretError("password=hunter2 at db.internal:5432")


def price_count(request):
    return JsonResponse(
        {"prices": Price.objects.published().count(), "accept": request.headers.get("Accept", "")}
    )


@csp_update({"img-src": ["https://tile.openstreetmap.org"]})
def map_tiles(request):
    return JsonResponse({"tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png"})


def lose_the_database(request):
    """The database goes away under the request: PostgreSQL ends this very connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        cursor.execute("SELECT 1")
    return JsonResponse({})


def missing(request):
    raise Http404("no such offer")


urlpatterns = [
    path("api/v1/test-prices/", price_count),
    path("api/v1/test-missing/", missing),
    path("api/v1/test-map/", map_tiles),
    *i18n_patterns(
        path("fail/", fail), path("lose-the-database/", lose_the_database), prefix_default_language=True
    ),
    *portal_urlpatterns,
]
