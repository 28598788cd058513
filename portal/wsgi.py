import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
django_application = get_wsgi_application()

# Cached public pages are answered in front of Django's request handler (ops/wsgi.py).
from ops.wsgi import CachedPages  # noqa: E402 — imports models: only once Django is set up

application = CachedPages(django_application)
