from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only audit log."""

    name = "postguard.web.audit"
    label = "audit"
