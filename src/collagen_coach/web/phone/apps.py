from django.apps import AppConfig


class PhoneConfig(AppConfig):
    """Using the app on a phone: the address as a QR code, and the certificate to trust."""

    name = "collagen_coach.web.phone"
    label = "phone"
    default_auto_field = "django.db.models.BigAutoField"
