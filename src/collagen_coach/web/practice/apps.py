from django.apps import AppConfig


class PracticeConfig(AppConfig):
    """A practice: practitioners, their clients, invitations, session notes and the audit log."""

    name = "collagen_coach.web.practice"
    label = "practice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from collagen_coach.web.practice.watch import watch_entries

        watch_entries()
