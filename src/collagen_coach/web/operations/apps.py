from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: the workers' heartbeats and the health answer for load balancers."""

    name = "collagen_coach.web.operations"
    label = "operations"
    default_auto_field = "django.db.models.BigAutoField"
