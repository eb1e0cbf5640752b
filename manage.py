#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    serving = len(sys.argv) > 1 and sys.argv[1] in ("runserver", "check")
    if serving and settings.SECRET_KEY_MISSING and not settings.DEBUG and not settings.TESTING:
        # Like tracker/wsgi.py: no server, and no all-clear, without a secret key.
        sys.exit(f"ImproperlyConfigured: {settings.SECRET_KEY_MISSING_MESSAGE}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
