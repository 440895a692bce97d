"""Who may see what: every record belongs to a client, and a signed-in person sees only their own,
or, as a member of a practice, those of their practice's clients.

Views never look records up by id alone: they go through :func:`own` or :func:`get_own_or_404`
(the API through :func:`client_or_404`), so that another person's record answers 404 (not 403:
its existence is not revealed either).

Every app builds on clients, the practice app too; so the practice's models are named here by
label through Django's app registry (as a foreign key names a model of a later app), not imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest

from collagen_coach.web.clients.models import Client

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from collagen_coach.web.practice.models import AuditEvent, Membership

M = TypeVar("M", bound=models.Model)


class SignedInRequest(HttpRequest):
    """A request behind the sign-in wall, whose user is therefore an account.

    Pages need a signed-in user unless their view says otherwise (``LoginRequiredMiddleware``),
    and every API endpoint authenticates one: their views take this type, not ``HttpRequest``.
    """

    user: User


def client_of(request: HttpRequest) -> Client:
    """Give the client whose records the signed-in person works on: their own.

    Every account made by sign-up has one (``Client.account``); an account without one (made by
    hand, say) answers 404 everywhere rather than seeing anything.
    """
    user = request.user
    if not user.is_authenticated:
        raise Http404("not signed in")
    try:
        return Client.objects.get(account=user)
    except Client.DoesNotExist:
        raise Http404("this account has no records") from None


def own(request: HttpRequest, model: type[M]) -> models.QuerySet[M]:
    """Give the rows of ``model`` that belong to the signed-in person's client."""
    return model._default_manager.filter(client=client_of(request))


def get_own_or_404(request: HttpRequest, model: type[M], **lookup: Any) -> M:
    """Give one of the signed-in person's rows of ``model``, or answer 404 (theirs or nobody's)."""
    try:
        return own(request, model).get(**lookup)
    except ObjectDoesNotExist:
        raise Http404(f"no such {model._meta.verbose_name}") from None


# ---------------------------------------------------------------------------------------------
# Practices: a member (owner or practitioner) sees every client of their practice, nothing else.


def membership_of(request: HttpRequest) -> Membership | None:
    """Give the signed-in person's place in a practice, or None (a self-carer or a client)."""
    user = request.user
    if not user.is_authenticated:
        return None
    membership: type[Membership] = apps.get_model("practice", "Membership")
    return membership.objects.select_related("practice").filter(user=user).first()


def practice_member(request: HttpRequest, *, owner: bool = False) -> Membership:
    """Give the signed-in member's membership, or answer 404 to anyone else.

    ``owner=True`` lets only the practice's owner through (e.g. to the audit log).
    """
    membership = membership_of(request)
    if membership is None or (owner and not membership.is_owner):
        raise Http404("not a member of a practice")
    return membership


def practice_clients(request: HttpRequest) -> models.QuerySet[Client]:
    """Give the clients of the signed-in member's practice (404 for anyone else)."""
    return Client.objects.filter(practice=practice_member(request).practice)


def practice_client_or_404(request: HttpRequest, pk: int) -> Client:
    """Give one client of the signed-in member's practice, or answer 404 (theirs or nobody's)."""
    try:
        return practice_clients(request).get(pk=pk)
    except Client.DoesNotExist:
        raise Http404("no such client") from None


def record_access(request: HttpRequest, client: Client, action: str, what: str) -> None:
    """Write to the practice's audit log that the signed-in member viewed or changed ``what``
    of ``client``'s health data (``action``: "view" or "change")."""
    if client.practice_id is None:
        return
    # The practice app builds on this one: its audit model is looked up, not imported.
    audit_event: type[AuditEvent] = apps.get_model("practice", "AuditEvent")
    audit_event.record(
        client.practice_id,
        action,
        what,
        actor=request.user if request.user.is_authenticated else None,
        actor_name=request.user.get_username(),
        client=client,
    )


# ---------------------------------------------------------------------------------------------
# The API's reach: a person's own client and, as a member of a practice, its clients


def clients_of(request: HttpRequest) -> models.QuerySet[Client]:
    """Give the clients the signed-in person may reach: their own and, as a member of a
    practice, every client of that practice (the membership asked within the same query)."""
    membership: type[Membership] = apps.get_model("practice", "Membership")
    user = request.user.pk
    if user is None:  # signed out: no one (an account-less client is not "theirs")
        return Client.objects.none()
    works_there = membership.objects.filter(user=user, practice=OuterRef("practice_id"))
    return Client.objects.filter(Q(account=user) | Q(Exists(works_there)))


def client_or_404(request: HttpRequest, client_id: int) -> Client:
    """Give one client the signed-in person may reach, or answer 404 (another's or nobody's)."""
    try:
        return clients_of(request).get(pk=client_id)
    except Client.DoesNotExist:
        raise Http404("no such client") from None


def viewed(request: HttpRequest, client: Client, what: str) -> None:
    """Note in the practice's audit log that ``what`` of the client's health data was shown."""
    record_access(request, client, "view", what)


def changed(request: HttpRequest, client: Client, what: str) -> None:
    """Note in the practice's audit log that ``what`` of the client's health data was changed."""
    record_access(request, client, "change", what)
