from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """The progress dashboard and the progress report."""

    name = "collagen_coach.web.progress"
    label = "progress"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from collagen_coach.web.progress.watch import watch_entries

        watch_entries()
