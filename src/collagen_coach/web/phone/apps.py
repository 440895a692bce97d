from django.apps import AppConfig


class PhoneConfig(AppConfig):
    """The app on a phone: reached securely on the home network (``serve --lan``: the address as a
    QR code, the certificate to trust), installable (manifest, icons, service worker), today's
    session played without the network, and what was recorded meanwhile sent once the phone is
    back online."""

    name = "collagen_coach.web.phone"
    label = "phone"
    default_auto_field = "django.db.models.BigAutoField"
