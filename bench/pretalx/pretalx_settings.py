"""pretalx's own settings with what a benchmark outside a deployment needs: plain static files (no collected
manifest), any host for Django's test client, no debug (no query log)."""

from pretalx.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
