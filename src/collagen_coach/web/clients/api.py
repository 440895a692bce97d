"""The API's clients and their safety intakes: who is cared for, what they answered, and the
screening decision each intake led to."""

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, StrictInt

from collagen_coach.core.screening import (
    CONDITIONS,
    MEDICATIONS,
    DecisionKind,
    ProcedureKind,
    parse_intake,
    screen,
)
from collagen_coach.core.techniques import ZoneId
from collagen_coach.web.clients.access import (
    changed,
    client_or_404,
    clients_of,
    membership_of,
    viewed,
)
from collagen_coach.web.clients.models import Client, IntakeRecord
from collagen_coach.web.clients.services import add_client, save_intake
from collagen_coach.web.lib.api import Pages, PathId, Text, answers
from collagen_coach.web.lib.dates import today

router = Router(tags=["clients"])

# The ids screening knows, as enums in the schema (core.screening keeps the one list).
if TYPE_CHECKING:
    Condition = str
    Medication = str
else:
    Condition = Literal[CONDITIONS]
    Medication = Literal[MEDICATIONS]


# ---------------------------------------------------------------------------------------------
# Clients


class PracticeRef(Schema):
    id: int
    name: str


class ClientOut(Schema):
    """A client: who they are and who cares for them (no health data)."""

    id: int
    name: str = Field(description="The name the client goes by.")
    practice: PracticeRef | None = Field(description="The practice caring for them, if any.")
    practitioner: str | None = Field(description="The practitioner responsible (user name).")
    has_account: bool = Field(description="Whether the client signs in to see their records.")
    is_me: bool = Field(description="Whether this is the signed-in person's own record.")
    created_at: dt.datetime

    @staticmethod
    def resolve_name(obj: Client) -> str:
        return str(obj.display_name)

    @staticmethod
    def resolve_practice(obj: Client) -> dict[str, Any] | None:
        practice = obj.practice
        return None if practice is None else {"id": practice.pk, "name": practice.name}

    @staticmethod
    def resolve_practitioner(obj: Client) -> str | None:
        return None if obj.owner is None else obj.owner.get_username()

    @staticmethod
    def resolve_has_account(obj: Client) -> bool:
        return obj.account_id is not None

    @staticmethod
    def resolve_is_me(obj: Client, context: dict[str, Any]) -> bool:
        return bool(obj.account_id == context["request"].user.pk)


class ClientIn(Schema):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "Cora"}]})

    name: Text = Field(min_length=1, max_length=200, description="The name the client goes by.")


class ClientSearch(Schema):
    search: Text | None = Field(None, max_length=200, description="Part of the client's name.")


@router.get("/clients", response=answers(list[ClientOut]), url_name="clients")
@paginate(Pages)
def list_clients(request: HttpRequest, filters: Query[ClientSearch]) -> QuerySet[Client]:
    """The clients you may see: yourself and, as a member of a practice, its clients."""
    found = clients_of(request).select_related("practice", "owner")
    if filters.search:
        found = found.filter(display_name__icontains=filters.search.strip())
    return found.order_by("display_name", "pk")


@router.post("/clients", response=answers(ClientOut, 201))
def create_client(request: HttpRequest, payload: ClientIn) -> Status[Client]:
    """Add a client to your practice, in your care (members of a practice only)."""
    membership = membership_of(request)
    if membership is None:
        raise PermissionDenied("Only a practice's members may add clients.")
    client = add_client(membership.practice, payload.name, practitioner=request.user)
    changed(request, client, "client record")
    return Status(201, Client.objects.select_related("practice", "owner").get(pk=client.pk))


@router.get("/clients/{client_id}", response=answers(ClientOut), url_name="client")
def get_client(request: HttpRequest, client_id: PathId) -> Client:
    """One client you may see."""
    client = client_or_404(request, client_id)
    return Client.objects.select_related("practice", "owner").get(pk=client.pk)


# ---------------------------------------------------------------------------------------------
# Intakes


class ProcedureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ProcedureKind
    zones: list[ZoneId] = Field(default_factory=list, description="Where it was done.")
    date: dt.date = Field(description="The day it was done.")


class IntakeIn(Schema):
    """Safety intake answers, as ``collagen-coach screen`` reads them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"age": 58},
                {
                    "age": 63,
                    "conditions": ["broken_capillaries"],
                    "medications": ["anticoagulant"],
                    "procedures": [
                        {"kind": "botulinum_toxin", "zones": ["forehead"], "date": "2025-02-20"}
                    ],
                    "as_of": "2025-03-01",
                },
            ]
        },
    )

    # As for `collagen-coach screen`: "58" or true is not an age.
    age: StrictInt = Field(ge=18, le=110, description="Age in whole years.")
    conditions: list[Condition] = Field(default_factory=list)
    medications: list[Medication] = Field(default_factory=list)
    procedures: list[ProcedureIn] = Field(default_factory=list)
    as_of: dt.date | None = Field(None, description="The day the answers describe (today).")


class ProcedureOut(Schema):
    kind: str
    zones: list[str]
    date: dt.date


class AnswersOut(Schema):
    age: int
    conditions: list[str]
    medications: list[str]
    procedures: list[ProcedureOut]
    as_of: dt.date | None


class DecisionOut(Schema):
    """What screening decided: go, modify, defer or refer, with reasons and limits."""

    decision: DecisionKind
    reasons: list[str]
    avoid_zones: list[str]
    exclude_techniques: list[str]
    max_pressure: int = Field(ge=1, le=5)
    resume_on: dt.date | None


class IntakeOut(Schema):
    """One intake: the answers, the decision they led to, who entered them and when."""

    id: int
    client_id: int
    as_of: dt.date
    answers: AnswersOut
    decision: DecisionOut
    recorded_by: str | None = Field(description="Who entered the answers (user name).")
    consented_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_recorded_by(obj: IntakeRecord) -> str | None:
        return None if obj.recorded_by is None else obj.recorded_by.get_username()


def _intakes(client: Client) -> QuerySet[IntakeRecord]:
    return IntakeRecord.objects.filter(client=client).select_related("recorded_by")


@router.get(
    "/clients/{client_id}/intakes", response=answers(list[IntakeOut]), url_name="client_intakes"
)
@paginate(Pages)
def list_intakes(request: HttpRequest, client_id: PathId) -> QuerySet[IntakeRecord]:
    """The client's safety intakes, newest first."""
    client = client_or_404(request, client_id)
    viewed(request, client, "intakes")
    return _intakes(client).order_by("-created_at", "-pk")


@router.post("/clients/{client_id}/intakes", response=answers(IntakeOut, 201))
def record_intake(request: HttpRequest, client_id: PathId, payload: IntakeIn) -> Status[Any]:
    """Screen intake answers and keep them with the decision they lead to."""
    client = client_or_404(request, client_id)
    intake = parse_intake(payload.model_dump(mode="json"), today=today())
    decision = screen(intake, today=today())
    with transaction.atomic():
        record = save_intake(client, intake, decision, recorded_by=request.user)
        changed(request, client, "intake")
    return Status(201, _intakes(client).get(pk=record.pk))


@router.get("/intakes/{intake_id}", response=answers(IntakeOut), url_name="intake")
def get_intake(request: HttpRequest, intake_id: PathId) -> IntakeRecord:
    """One intake with its decision."""
    record = (
        IntakeRecord.objects.select_related("recorded_by", "client")
        .filter(client__in=clients_of(request), pk=intake_id)
        .first()
    )
    if record is None:
        raise Http404("no such intake")
    viewed(request, record.client, "intake")
    return record
