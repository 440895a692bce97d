"""The WSGI application that `collagen-coach serve` hands to the server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collagen_coach.web.settings")
application = get_wsgi_application()
