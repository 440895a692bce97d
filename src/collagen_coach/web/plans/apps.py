from django.apps import AppConfig


class PlansConfig(AppConfig):
    """Each client's stored programs and the sessions planned in them."""

    name = "collagen_coach.web.plans"
    label = "plans"
    verbose_name = "Plans"
    default_auto_field = "django.db.models.BigAutoField"
