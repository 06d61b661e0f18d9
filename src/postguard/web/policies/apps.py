from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    """The policy's lifecycle: adoption, versions, acknowledgements, reviews."""

    name = "postguard.web.policies"
    label = "policies"

    def ready(self) -> None:
        from postguard.web.deadlines import register_poller
        from postguard.web.policies.deadlines import send_due_review_reminders

        register_poller(send_due_review_reminders)
