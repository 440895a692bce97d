"""When a client's records change: ``Client.changed`` takes a new random value in the
transaction of the change, so that a page kept for her (``web.lib.kept``) is never given once
something it shows may have changed.

Every row of a model with a foreign key to ``Client`` is one of her records, as is a planned
session (through its plan), except the models in ``NOT_RECORDS``, which no page of hers is made
from and which reading a page writes. Saving or deleting one of her records through the ORM
changes the stamp (the receivers connected by :func:`watch_records` at start-up); code that
writes her rows without the ORM's signals (``update``, ``bulk_create``) calls
:func:`records_changed` itself. Saving the ``Client`` row changes it too (``Client.save``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save

from collagen_coach.web.clients.models import Client, new_stamp

# Rows about her that no page of hers shows, written while she or her practice reads: the
# audit trail of who looked at what, the reminders sent her and the derived stores kept of
# her progress and of her practice's day (each worked out again from her records, and each
# keeping its own mark of when they changed).
NOT_RECORDS = frozenset(
    {
        "practice.AuditEvent",
        "practice.ClientAttention",
        "reminders.SentReminder",
        "progress.ProgressPart",
        "progress.ProgressSeries",
        "progress.ProgressPage",
    }
)
# Her records that reach her through another record: the model's label, and the path from it.
THROUGH = {"plans.PlannedSession": "program__client_id"}


def records_changed(client_ids: int | Iterable[int] | models.QuerySet[Any]) -> None:
    """Give each of ``client_ids`` (ids, or a query giving them) a new ``changed`` stamp."""
    ids = [client_ids] if isinstance(client_ids, int) else client_ids
    Client.objects.filter(pk__in=ids).update(changed=new_stamp())


def client_field(model: type[models.Model]) -> str | None:
    """Give the name of ``model``'s column holding its client's id (or the path to it, for a
    record that reaches her through another), or None for a model that is not her record."""
    label = model._meta.label
    if label in NOT_RECORDS:
        return None
    if label in THROUGH:
        return THROUGH[label]
    for field in model._meta.concrete_fields:
        if field.many_to_one and field.related_model is Client:
            return str(field.attname)
    return None


def _with_client(signal_kwargs: dict[str, Any]) -> bool:
    """Say whether a deletion is part of deleting clients (nothing of theirs is left to keep)."""
    origin = signal_kwargs.get("origin")
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    return model is Client


def _receiver(model: type[models.Model], field: str) -> Any:
    if "__" not in field:

        def changed(sender: type, instance: Any, **kwargs: Any) -> None:
            client_id = getattr(instance, field)
            if client_id is not None and not _with_client(kwargs):
                records_changed(client_id)

        return changed
    via, _, rest = field.partition("__")
    step = model._meta.get_field(via)
    related: type[models.Model] = step.related_model  # type: ignore[assignment]

    def changed_through(sender: type, instance: Any, **kwargs: Any) -> None:
        if _with_client(kwargs):
            return
        pk = getattr(instance, step.attname)  # type: ignore[union-attr]
        records_changed(related._default_manager.filter(pk=pk).values(rest))

    return changed_through


def watch_records() -> None:
    """Connect the receivers that change the stamp to every record's saves and deletions."""
    for model in apps.get_models():
        field = client_field(model)
        if field is None:
            continue
        receiver = _receiver(model, field)
        uid = f"client-changed-{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
