import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

# A production server never starts with a throwaway secret key (tracker/settings.py).
if settings.SECRET_KEY_MISSING and not settings.DEBUG and not settings.TESTING:
    raise ImproperlyConfigured(settings.SECRET_KEY_MISSING_MESSAGE)

application = get_wsgi_application()
