from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing up, signing in and resetting a password."""

    name = "collagen_coach.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from collagen_coach.web.accounts.signals import count_failed_sign_in

        user_login_failed.connect(count_failed_sign_in, dispatch_uid="count_failed_sign_in")
