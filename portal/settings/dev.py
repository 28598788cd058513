"""Local development: DEBUG on, a throwaway secret key, SQLite unless DATABASE_URL says otherwise."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Serve static files straight from the apps; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A local install serves its developer, the demo and the search benchmarks, which send hundreds
# of API requests a minute from one address: no API rate limit unless the environment sets one.
API_THROTTLE_RATES = {
    "anonymous": os.environ.get("API_RATE_ANONYMOUS"),
    "partner": os.environ.get("API_RATE_PARTNER"),
}
