"""How the practice follows the entries behind its clients' signals: receivers connected at
start-up (``PracticeConfig.ready``) that mark a client's kept day to be worked out again
(``attention_store.entries_changed``) in the transaction of the change."""

from __future__ import annotations

from typing import Any

from collagen_coach.web.practice import attention_store


def client_entry_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """Follow a saved or deleted session, session note or safety check."""
    attention_store.entries_changed(instance.client_id)


def plan_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """Follow a saved or deleted plan."""
    attention_store.entries_changed(instance.client_id)


def planned_session_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """Follow a saved or deleted planned session (of a plan, of a client)."""
    from collagen_coach.web.plans.models import StoredProgram

    client = StoredProgram.objects.filter(pk=instance.program_id).values("client_id")
    attention_store.entries_changed(client)


def client_saved(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """Follow a client added to a practice, or one whose practice changed."""
    if instance.practice_id is not None:
        attention_store.client_added(instance.pk)


def progress_changed(
    sender: Any = None, client_id: int = 0, in_practice: bool | None = None, **kwargs: Any
) -> None:
    """Follow a client's progress analysis stored or forgotten (``progress.signals``); a
    self-carer's has no practice following it."""
    if in_practice is not False:
        attention_store.entries_changed(client_id)


def watch_entries() -> None:
    """Connect the receivers to the entries' saves and deletions and to the worker's sweep."""
    from django.db.models.signals import post_delete, post_save

    from collagen_coach.web.clients.models import Client, IntakeRecord
    from collagen_coach.web.journal.models import SessionLog
    from collagen_coach.web.photos.signals import worker_swept
    from collagen_coach.web.plans.models import PlannedSession, StoredProgram
    from collagen_coach.web.practice.models import SessionNote
    from collagen_coach.web.progress.signals import parts_changed

    for model, receiver in (
        (SessionLog, client_entry_changed),
        (SessionNote, client_entry_changed),
        (IntakeRecord, client_entry_changed),
        (StoredProgram, plan_changed),
        (PlannedSession, planned_session_changed),
    ):
        uid = f"practice-attention-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
    post_save.connect(client_saved, sender=Client, dispatch_uid="practice-attention-Client")
    parts_changed.connect(progress_changed, dispatch_uid="practice-attention-progress")
    worker_swept.connect(attention_store.refresh_all, dispatch_uid="practice-attention-new-day")
