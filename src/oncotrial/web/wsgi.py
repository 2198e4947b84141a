"""WSGI entry point: ``gunicorn oncotrial.web.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncotrial.web.django_settings")
application = get_wsgi_application()
