"""The API's "who am I": the signed-in person, their own client and their place in a practice."""

from typing import Literal

from ninja import Field, Router, Schema

from collagen_coach.web.clients.access import SignedInRequest, membership_of
from collagen_coach.web.clients.models import Client
from collagen_coach.web.lib.api import answers

router = Router(tags=["me"])


class MembershipOut(Schema):
    practice_id: int
    practice_name: str
    role: Literal["owner", "practitioner"]


class MeOut(Schema):
    """The signed-in person and what they may reach."""

    username: str
    client_id: int | None = Field(description="Their own client record, if they have one.")
    membership: MembershipOut | None = Field(description="Their practice and role, if any.")


@router.get("/me", response=answers(MeOut), url_name="me")
def me(request: SignedInRequest) -> MeOut:
    """Who you are signed in as: your own client record and your practice, if any."""
    own = Client.objects.filter(account=request.user).values_list("pk", flat=True).first()
    membership = membership_of(request)
    return MeOut(
        username=request.user.get_username(),
        client_id=own,
        membership=None
        if membership is None
        else MembershipOut(
            practice_id=membership.practice.pk,
            practice_name=membership.practice.name,
            role="owner" if membership.is_owner else "practitioner",
        ),
    )
