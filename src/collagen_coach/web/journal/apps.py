from django.apps import AppConfig


class JournalConfig(AppConfig):
    """What a client did and measured: sessions, peptides, self-ratings, instrument readings."""

    name = "collagen_coach.web.journal"
    label = "journal"
    verbose_name = "Journal"
    default_auto_field = "django.db.models.BigAutoField"
