from django.apps import AppConfig


class ClientsConfig(AppConfig):
    """The people whose skin is cared for: their profile and safety intake."""

    name = "collagen_coach.web.clients"
    label = "clients"
    verbose_name = "Clients"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from collagen_coach.web.clients.changes import watch_records

        watch_records()
