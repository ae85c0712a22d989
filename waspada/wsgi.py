"""WSGI entry point for gunicorn: `gunicorn waspada.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")
application = get_wsgi_application()
