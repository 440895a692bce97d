"""Who may see what: every record belongs to a client, and a signed-in person sees only their own.

Views never look records up by id alone: they go through :func:`own` or :func:`get_own_or_404`,
so that another person's record answers 404 (not 403: its existence is not revealed either).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import Http404, HttpRequest

from collagen_coach.web.clients.models import Client

M = TypeVar("M", bound=models.Model)


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
    except model.DoesNotExist:
        raise Http404(f"no such {model._meta.verbose_name}") from None
