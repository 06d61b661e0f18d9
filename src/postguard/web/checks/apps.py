from django.apps import AppConfig


class ChecksConfig(AppConfig):
    """Checking drafts before posting."""

    name = "postguard.web.checks"
    label = "checks"
