from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People, roles and sign-in."""

    name = "postguard.web.accounts"
    label = "accounts"
