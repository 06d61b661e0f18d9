from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """The school, its people and its configuration."""

    name = "postguard.web.schools"
    label = "schools"
