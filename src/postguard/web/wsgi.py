"""WSGI entry point for `postguard serve` and for production servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postguard.web.settings")
application = get_wsgi_application()
