from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Outcome reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from reports import signals

        signals.connect()
