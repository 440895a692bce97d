"""Every kind of record that belongs to a client, found from the foreign keys to Client: what
"your data" exports and deletes, and what a practice checks before an account becomes a client's.

The kinds are read from Django's app registry, so every app's records are found without this
module importing the apps that keep them (they all build on clients).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from collagen_coach.web.clients.models import Client

# What a person calls each kind of record; a kind not named here goes by its model's name.
RECORD_NAMES = {
    "clients.clientprofile": "profiles (each version)",
    "clients.intakerecord": "safety check answers",
    "plans.storedprogram": "plans (each version)",
    "plans.plannedsession": "planned sessions",
    "journal.sessionlog": "sessions done or started",
    "journal.peptideintake": "peptide doses",
    "journal.selfrating": "self-ratings",
    "journal.instrumentreading": "instrument readings",
    "journal.photomeasurement": "photo measurements",
    "photos.photo": "progress photos",
}


@dataclass(frozen=True)
class RecordKind:
    """One kind of record a person owns: its model and the lookup from it to their Client."""

    model: type[models.Model]
    lookup: str  # e.g. "client" or "program__client"; "pk" for Client itself
    depth: int

    @property
    def label(self) -> str:
        return str(self.model._meta.label_lower)  # "journal.sessionlog"

    @property
    def name(self) -> str:
        return RECORD_NAMES.get(self.label, str(self.model._meta.verbose_name_plural))

    def rows_of(self, client: Client) -> models.QuerySet[Any]:
        """Give this kind's rows that belong to ``client``, oldest first."""
        return self.model._default_manager.filter(**{self.lookup: client.pk}).order_by("pk")

    def rows_shown_to(self, client: Client) -> models.QuerySet[Any]:
        """Give this kind's rows that ``client`` may see: a practitioner's notes only when
        they were shared with the client."""
        return self.rows_of(client).filter(**SHOWN_ONLY_WHEN.get(self.label, {}))

    @property
    def file_fields(self) -> list[models.FileField]:
        return [f for f in self.model._meta.concrete_fields if isinstance(f, models.FileField)]


# Records about a client that are the practice's, not the client's: its audit log (kept when the
# client leaves or deletes everything: it names them only by the name they had) and the
# invitations it made.
PRACTICE_RECORDS = frozenset({"practice.auditevent", "practice.invitation"})
# What the practice keeps worked out from a client's records, worked out again whenever it is
# missing (the client list's signals): neither exported nor imported; it goes with the client.
KEPT_FIGURES = frozenset({"practice.clientattention"})
# Records the client sees only in part: the notes their practitioner chose to share.
SHOWN_ONLY_WHEN: dict[str, dict[str, Any]] = {"practice.sessionnote": {"shared_with_client": True}}


def record_kinds() -> list[RecordKind]:
    """Give every kind of record that belongs to a client: Client itself, the models with a
    foreign key to Client, then the models with a foreign key to those, nearest first (the
    practice's own records about the client left out)."""
    kinds = [RecordKind(Client, "pk", 0)]
    known: dict[type[models.Model], str] = {Client: "pk"}
    frontier: list[type[models.Model]] = [Client]
    depth = 0
    while frontier:
        depth += 1
        found: list[type[models.Model]] = []
        for model in apps.get_models():
            if model in known:
                continue
            if model._meta.label_lower in PRACTICE_RECORDS | KEPT_FIGURES:
                continue
            for fk in model._meta.concrete_fields:
                target = fk.related_model
                if (fk.many_to_one or fk.one_to_one) and target in frontier:
                    lookup = fk.name if target is Client else f"{fk.name}__{known[target]}"
                    known[model] = lookup
                    kinds.append(RecordKind(model, lookup, depth))
                    found.append(model)
                    break
        frontier = found
    return kinds


def record_counts(client: Client) -> list[tuple[str, int]]:
    """Give how many records of each kind are stored for ``client`` (kinds with none left out)."""
    counts = [(kind.name, kind.rows_shown_to(client).count()) for kind in record_kinds()[1:]]
    return [(name, n) for name, n in counts if n]
