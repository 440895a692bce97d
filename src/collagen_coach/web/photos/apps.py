from django.apps import AppConfig


class PhotosConfig(AppConfig):
    """Progress photos: upload, private storage, analysis in the background."""

    name = "collagen_coach.web.photos"
    label = "photos"
    default_auto_field = "django.db.models.BigAutoField"
