from django.apps import AppConfig


class BlocksConfig(AppConfig):
    name = "blocks"
    verbose_name = "Diagnostic blocks"
    default_auto_field = "django.db.models.BigAutoField"
