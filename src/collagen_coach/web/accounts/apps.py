from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing up, signing in and resetting a password."""

    name = "collagen_coach.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
