from django.apps import AppConfig


class GuideConfig(AppConfig):
    """The guided session in the browser: timer, spoken cues, face map."""

    name = "collagen_coach.web.guide"
    label = "guide"
    default_auto_field = "django.db.models.BigAutoField"
