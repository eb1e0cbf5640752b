from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Outcome reports and the store of the engine's readings.

    The store is written by blocks.services (blocks/services/readings.py) inside each write's
    own transaction; nothing here listens for saves.
    """

    name = "reports"
    verbose_name = "Outcome reports"
    default_auto_field = "django.db.models.BigAutoField"
