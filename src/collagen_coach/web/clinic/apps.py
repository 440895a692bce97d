from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """A client's record as their practitioner works on it: timeline, intake on their behalf,
    plan editing, session notes and the home routine."""

    name = "collagen_coach.web.clinic"
    label = "clinic"
    default_auto_field = "django.db.models.BigAutoField"
