from django.apps import AppConfig


class MyDataConfig(AppConfig):
    """Everything a person has stored: export it, or delete it all."""

    name = "collagen_coach.web.my_data"
    label = "my_data"
    default_auto_field = "django.db.models.BigAutoField"
