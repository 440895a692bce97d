"""The practice pages: starting a practice and adding colleagues, the client list, inviting a
client, a client's view of their practice (and leaving it), and the owner's audit log."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients import services as client_services
from collagen_coach.web.clients.access import (
    SignedInRequest,
    client_of,
    membership_of,
    practice_client_or_404,
    practice_member,
    record_access,
)
from collagen_coach.web.clients.models import Client
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.lib.links import site_address
from collagen_coach.web.plans.services import current_stored_program
from collagen_coach.web.practice import attention, attention_store, listing, services
from collagen_coach.web.practice.forms import (
    AddClientForm,
    AddPractitionerForm,
    InviteByEmailForm,
    LeavePracticeForm,
    StartPracticeForm,
)
from collagen_coach.web.practice.models import VIEWS_COALESCED_MINUTES


def _form_error(form: Any, exc: UserError) -> None:
    """Put a UserError's message on the form field it names (or on the whole form)."""
    text = f"{exc.problem[:1].upper()}{exc.problem[1:]}."
    if exc.allowed:
        text += f" Allowed: {exc.allowed}."
    form.add_error(exc.field if exc.field in form.fields else None, text)


# ---------------------------------------------------------------------------------------------
# A practice and its members


@require_http_methods(["GET", "POST"])
def start(request: SignedInRequest) -> HttpResponse:
    """Give the page to name a new practice; on a name, make it with the signed-in person as its
    owner and go to the (empty) client list."""
    if membership_of(request) is not None:
        return redirect("practice:clients")
    own = Client.objects.filter(account=request.user).first()
    if own is not None and own.practice_id is not None:
        context = {"nav": "practice", "client_practice": own.practice}
        return render(request, "practice/start_refused.html", context, status=409)
    form = StartPracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.start_practice(request.user, form.cleaned_data["name"])
        except UserError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                f"{practice.name} is ready, with you as its owner. Add your clients, and your "
                "colleagues under Team.",
            )
            return redirect("practice:clients")
    status = 400 if request.method == "POST" else 200
    return render(request, "practice/start.html", {"nav": "practice", "form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest) -> HttpResponse:
    """Give the owner's page of the practice's members; on a username, make a colleague's
    account and show its first password, once."""
    membership = practice_member(request, owner=True)
    form = AddPractitionerForm(request.POST or None)
    made: dict[str, str] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.add_practitioner(
                membership.practice, form.cleaned_data["username"]
            )
        except UserError as exc:
            _form_error(form, exc)
        else:
            made = {"username": user.get_username(), "password": password}
            form = AddPractitionerForm()
    status = 400 if request.method == "POST" and made is None else 200
    context = {
        "nav": "practice",
        "practice": membership.practice,
        "members": services.members(membership.practice),
        "form": form,
        "made": made,
        "sign_in_url": request.build_absolute_uri(reverse("accounts:login")),
    }
    return render(request, "practice/team.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# The client list


def clients(request: HttpRequest) -> HttpResponse:
    """Give the practice's clients, one compact row each, searchable by name and contact
    details, filtered and sorted by who needs attention and why, 25 a page.

    The view is recorded once in the audit log as "client list" (it shows every listed
    client's safety status and what needs attention in summary); the client's own pages record
    themselves.
    """
    membership = practice_member(request)
    today = computer_today()
    status = 200
    problem = ""
    try:
        query = listing.ListQuery.from_get(request.GET)
    except UserError as exc:
        query, status = listing.ListQuery(), 400
        problem = f"{exc.problem[:1].upper()}{exc.problem[1:]}. Allowed: {exc.allowed}."
    attention_store.refresh(membership.practice, today)
    counts = attention_store.counts(attention.practice_clients(membership.practice))
    paginator = Paginator(listing.listed(membership.practice, query), listing.CLIENTS_PER_PAGE)
    if not query.search:
        paginator.count = counts[query.show]  # counted already, in the same kept days
    page = paginator.get_page(request.GET.get("page"))
    rows = listing.client_rows([pk for pk, _ in page.object_list])
    what = "client list" + (f", search “{query.search}”" if query.search else "")
    what += f", {listing.FILTERS[query.show].lower()}" if query.show != "all" else ""
    services.record_list_view(membership, request.user, what + f", page {page.number}")
    context = {
        "nav": "practice",
        "practice": membership.practice,
        "membership": membership,
        "query": query,
        "problem": problem,
        "filters": [
            (key, words, counts[key], query.link(show=key))
            for key, words in listing.FILTERS.items()
        ],
        "show_words": listing.FILTERS[query.show],
        "sorts": listing.SORTS,
        "page": page,
        "page_link": query.link(),
        "rows": rows,
        "today": today,
        "total": counts["all"],
    }
    return render(request, "practice/clients.html", context, status=status)


@require_http_methods(["GET", "POST"])
def add_client(request: HttpRequest) -> HttpResponse:
    """Give the page to add a client; on a name (and any contact details), add them and offer
    to invite them."""
    membership = practice_member(request)
    form = AddClientForm(membership.practice, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = client_services.add_client(
                membership.practice,
                form.cleaned_data["name"],
                form.cleaned_data["practitioner"],
                form.contact(),
            )
        except UserError as exc:
            _form_error(form, exc)
        else:
            record_access(request, client, "change", "client added")
            messages.success(
                request,
                f"{client.display_name} is added. To let them see their plan and records, "
                "invite them to their own account.",
            )
            return redirect("practice:invite", client_id=client.pk)
    status = 400 if request.method == "POST" else 200
    context = {"nav": "practice", "form": form, "practice": membership.practice}
    return render(request, "practice/add_client.html", context, status=status)


@require_http_methods(["GET", "POST"])
def edit_client(request: HttpRequest, client_id: int) -> HttpResponse:
    """Give the page to change a client's name, practitioner and contact details; on saving,
    back to the client's record."""
    membership = practice_member(request)
    client = practice_client_or_404(request, client_id)
    initial = {
        "name": client.display_name,
        "practitioner": client.owner_id,
        **{f.name: getattr(client, f.name) for f in fields(client_services.ContactDetails)},
    }
    form = AddClientForm(membership.practice, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            client_services.update_client(
                client, form.cleaned_data["name"], form.cleaned_data["practitioner"], form.contact()
            )
        except UserError as exc:
            _form_error(form, exc)
        else:
            record_access(request, client, "change", "contact details")
            messages.success(request, f"{client.display_name}'s details are saved.")
            return redirect("clinic:timeline", client_id=client.pk)
    status = 400 if request.method == "POST" else 200
    context = {"nav": "practice", "form": form, "client": client}
    return render(request, "practice/edit_client.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Inviting a client, and taking up the invitation


@never_cache
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, client_id: int) -> HttpResponse:
    """Give the page to invite a client to their own account; on a button, make a link valid
    for 14 days and show it, once (only a digest of it is kept), with a button to copy it, and
    with "send" also email it to the address given.

    The link starts with the site's real address (``SITE_URL``, else the request's host)."""
    client = practice_client_or_404(request, client_id)
    sending = request.method == "POST" and request.POST.get("how") == "email"
    form = InviteByEmailForm(
        request.POST if sending else None, initial={"email": client.email or ""}
    )
    context: dict[str, Any] = {
        "nav": "practice",
        "client": client,
        "days": services.INVITATION_DAYS,
        "link": None,
        "form": form,
    }
    status = 200
    if request.method == "POST" and client.account_id is None:
        if sending and not form.is_valid():
            return render(request, "practice/invite.html", context, status=400)
        invitation, token = services.invite(client, request.user)
        record_access(request, client, "change", "invitation link made")
        link = site_address(request, reverse("practice:accept", args=[token]))
        context.update(link=link, expires_at=invitation.expires_at)
        if sending:
            to = form.cleaned_data["email"]
            try:
                services.send_invitation(invitation, link, to, request.user)
            except UserError as exc:
                context["send_failed"] = f"{exc.problem[:1].upper()}{exc.problem[1:]}."
                context["send_instead"] = exc.allowed
                status = 502
            else:
                context["sent_to"] = to
    return render(request, "practice/invite.html", context, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Give the page an invitation link leads to: sign up or sign in, then join; on the button,
    the signed-in account becomes the invited client's. A self-carer whose account keeps her
    own history is told what the practice would see and asked to share it (``history=share``)
    or not (``history=decline``: nothing changes). A link that does not work (unknown, expired
    or used) gives one page that says so, and changes nothing."""
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "practice/invitation_invalid.html", status=404)
    here = reverse("practice:accept", args=[token])
    context: dict[str, Any] = {"invitation": invitation, "here": here}
    if not request.user.is_authenticated:
        return render(request, "practice/accept.html", context)
    refusal = services.refusal_for(request.user)
    history = [] if refusal is not None else services.history_to_share(request.user)
    context.update(refusal=refusal, history=history)
    if history:
        context["consent_text"] = services.history_consent_text(invitation.practice.name, history)
    if request.method == "POST":
        if refusal is not None:
            return render(request, "practice/accept.html", context, status=409)
        answer = request.POST.get("history", "")
        if history and answer == "decline":
            messages.info(
                request,
                f"Nothing has changed: your records stay yours alone, and {invitation.practice} "
                "sees none of them. The link works until it expires if you change your mind.",
            )
            return redirect("home")
        if history and answer != "share":
            context["consent_missing"] = True
            return render(request, "practice/accept.html", context, status=400)
        try:
            client = services.accept_invitation(token, request.user, share_history=bool(history))
        except UserError as exc:
            if exc.field == "records":
                context["join_failed"] = exc
                return render(request, "practice/accept.html", context, status=409)
            return render(request, "practice/invitation_invalid.html", status=404)
        messages.success(
            request,
            f"Welcome. {client.practice} now cares for you, with your own records as they were."
            if history
            else f"Welcome. Your account now holds the records {client.practice} keeps for you.",
        )
        return redirect("practice:my_practitioner")
    return render(request, "practice/accept.html", context)


# ---------------------------------------------------------------------------------------------
# A client's own view of their practice


def _practice_client(request: HttpRequest) -> Client:
    """Give the signed-in person's records when a practice cares for them, or answer 404."""
    client = client_of(request)
    if client.practice_id is None:
        raise Http404("not a practice's client")
    return client


def my_practitioner(request: HttpRequest) -> HttpResponse:
    """Give the client's page about their practice: who cares for them, the notes shared with
    them, where their plan is, and the way to leave."""
    client = _practice_client(request)
    context = {
        "nav": "practice",
        "client": client,
        "practice": client.practice,
        "practitioner": client.owner,
        "notes": list(services.shared_notes(client)),
        "has_plan": current_stored_program(client) is not None,
    }
    return render(request, "practice/my_practitioner.html", context)


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest) -> HttpResponse:
    """Give the page to leave one's practice; on the right password, leave it: the records stay
    the client's own, as a self-carer's."""
    client = _practice_client(request)
    practice = client.practice
    form = LeavePracticeForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.leave_practice(client, request.user)
        messages.success(
            request,
            f"You have left {practice}. Your records are still here, and only you see them now.",
        )
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    context = {"nav": "practice", "form": form, "practice": practice}
    return render(request, "practice/leave.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# The audit log


def audit(request: HttpRequest) -> HttpResponse:
    """Give the practice's audit log to its owner: who viewed or changed which client's data and
    when, newest first, 50 a page, for one client or all."""
    membership = practice_member(request, owner=True)
    choices = services.audited_clients(membership.practice)
    chosen: int | None = None
    raw = request.GET.get("client", "")
    if raw.isdigit() and int(raw) in dict(choices):
        chosen = int(raw)
    events = services.audit_events(membership.practice, chosen)
    page = Paginator(events, services.EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "nav": "practice",
        "practice": membership.practice,
        "choices": choices,
        "chosen": chosen,
        "page": page,
        "bad_filter": bool(raw) and chosen is None,
        "views_coalesced_minutes": VIEWS_COALESCED_MINUTES,
    }
    return render(request, "practice/audit.html", context)
