"""ASGI entry point: ``uvicorn jamkoll.web.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamkoll.web.settings")
application = get_asgi_application()
