from django.apps import AppConfig


class TrackerAuthConfig(AppConfig):
    """No models: an app only so that its management commands and templates are found."""

    name = "tracker.auth"
    label = "tracker_auth"
    verbose_name = "Sign-in and API tokens"
