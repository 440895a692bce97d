from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Reminders by web push and email, at the person's hour, sent by the worker."""

    name = "collagen_coach.web.reminders"
    label = "reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from collagen_coach.web.reminders.sending import listen_to_the_worker

        listen_to_the_worker()
