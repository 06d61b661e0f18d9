from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    """The policy's lifecycle: adoption, versions, acknowledgements, reviews."""

    name = "postguard.web.policies"
    label = "policies"
