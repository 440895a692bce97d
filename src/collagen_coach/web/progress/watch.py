"""How the progress app follows the journal: its receivers, connected at start-up
(``ProgressConfig.ready``) without loading what they use. The dashboard's modules load the
report's (matplotlib, WeasyPrint), which would otherwise slow the start of every process: each
terminal command, the worker, a look at a photo's status."""

from __future__ import annotations

from typing import Any


def entry_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """Follow a saved or deleted rating, reading or photo measurement
    (``stored_page.entry_changed``)."""
    from collagen_coach.web.progress import stored_page

    stored_page.entry_changed(sender, instance, **kwargs)


def photo_measured(sender: type, photo: Any, **kwargs: Any) -> None:
    """Follow a photo the worker measured (``stored_page.photo_measured``)."""
    from collagen_coach.web.progress import stored_page

    stored_page.photo_measured(sender, photo, **kwargs)


def worker_swept(sender: Any = None, **kwargs: Any) -> None:
    """Make the day's pages at the worker's sweep (``stored_page.make_the_days_pages``)."""
    from collagen_coach.web.progress import stored_page

    stored_page.make_the_days_pages(sender, **kwargs)


def watch_entries() -> None:
    """Connect the receivers to the entries' saves and deletions and to the worker's signals."""
    from django.db.models.signals import post_delete, post_save

    from collagen_coach.web.photos import signals
    from collagen_coach.web.progress.store import PART_OF

    signals.photo_measured.connect(photo_measured, dispatch_uid="progress-photo-measured")
    signals.worker_swept.connect(worker_swept, dispatch_uid="progress-the-days-pages")
    for model in PART_OF:
        post_save.connect(entry_changed, sender=model, dispatch_uid=f"progress-{model.__name__}")
        post_delete.connect(entry_changed, sender=model, dispatch_uid=f"progress-{model.__name__}")
