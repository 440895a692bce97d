"""The Reminders page, the push subscription of a device, and the link that stops them all."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from collagen_coach.web.clients import access
from collagen_coach.web.clients.access import client_of
from collagen_coach.web.plans.services import current_stored_program
from collagen_coach.web.reminders import services
from collagen_coach.web.reminders.forms import ClientReminderForm, ReminderForm
from collagen_coach.web.reminders.sending import send_test

MAX_BODY = 4096


@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    """Show and change the person's reminders."""
    client = client_of(request)
    chosen = services.settings_of(client)
    form = ReminderForm(request.POST or None, instance=chosen)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your reminders are saved.")
        return redirect("reminders:settings")
    return render(
        request,
        "reminders/settings.html",
        {
            "nav": "reminders",
            "form": form,
            "chosen": chosen,
            "saved": chosen.pk is not None,
            "devices": client.push_devices.order_by("created_at"),
            "public_key": services.vapid_key().public_key,
            "practice": client.practice.name if client.practice is not None else "",
            "has_plan": current_stored_program(client) is not None,
        },
    )


@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """Stop every reminder, or start them again (the one switch)."""
    client = client_of(request)
    chosen = services.settings_of(client)
    chosen.stopped = request.POST.get("stop") == "1"
    chosen.save()
    messages.success(
        request,
        "All your reminders are stopped." if chosen.stopped else "Your reminders are on again.",
    )
    return redirect("reminders:settings")


@require_POST
def test(request: HttpRequest) -> HttpResponse:
    """Send a test reminder now by the ways she chose."""
    chosen = services.settings_of(client_of(request))
    if chosen.pk is None or not (chosen.by_push or chosen.by_email):
        messages.error(request, "Choose how your reminders come and save, then try again.")
        return redirect("reminders:settings")
    problems = send_test(chosen)
    if problems:
        messages.error(request, "The test reminder did not go out: " + "; ".join(problems) + ".")
    else:
        messages.success(request, "A test reminder is on its way.")
    return redirect("reminders:settings")


@require_http_methods(["GET", "POST"])
def client_reminders(request: HttpRequest, client_id: int) -> HttpResponse:
    """Show a practice client's reminders to the members of her practice, and let them set the
    reminder emails of a client without an account (one with an account sets her own). A POST
    with ``stop`` (1 or 0) is the one switch; any other POST saves the form."""
    client = access.practice_client_or_404(request, client_id)
    chosen = services.settings_of(client)
    own = client.account_id is not None
    form = None
    if not own:
        data = request.POST if request.method == "POST" and "stop" not in request.POST else None
        form = ClientReminderForm(data, instance=chosen, name=client.display_name)
    if request.method == "POST" and not own:
        if "stop" in request.POST and chosen.pk is not None:
            chosen.stopped = request.POST["stop"] == "1"
            chosen.save()
            access.changed(request, client, "reminders")
            state = "stopped" if chosen.stopped else "on again"
            messages.success(request, f"{client.display_name}'s reminders are {state}.")
            return redirect("reminders:client", client_id=client.pk)
        if form is not None and form.is_valid():
            form.save()
            access.changed(request, client, "reminders")
            messages.success(request, f"{client.display_name}'s reminders are saved.")
            return redirect("reminders:client", client_id=client.pk)
    access.viewed(request, client, "reminders")
    return render(
        request,
        "reminders/client.html",
        {
            "nav": "practice",
            "client": client,
            "tab": "reminders",
            "form": form,
            "chosen": chosen,
            "saved": chosen.pk is not None,
            "own": own,
            "devices": client.push_devices.count() if own else 0,
            "has_plan": current_stored_program(client) is not None,
        },
    )


def _subscription(request: HttpRequest) -> dict[str, str] | JsonResponse:
    """Give the endpoint and keys of the Push API subscription in the request's JSON body."""
    problem = JsonResponse(
        {
            "message": "The browser sent no push subscription: an endpoint (https://…) and "
            "its keys p256dh and auth are needed."
        },
        status=400,
    )
    if len(request.body) > MAX_BODY:
        return problem
    try:
        body = json.loads(request.body or b"{}")
        endpoint = str(body["endpoint"])
        keys = body.get("keys") or {}
        p256dh, auth = str(keys.get("p256dh", "")), str(keys.get("auth", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return problem
    if not endpoint.startswith("https://") or len(endpoint) > 2000 or not (p256dh and auth):
        return problem
    return {"endpoint": endpoint, "p256dh": p256dh, "auth": auth}


@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    """Keep this device's push subscription."""
    found = _subscription(request)
    if isinstance(found, JsonResponse):
        return found
    device = request.headers.get("User-Agent", "")
    services.add_device(client_of(request), device=device, **found)
    return JsonResponse({"message": "Notifications are on for this device."})


@require_POST
def unsubscribe(request: HttpRequest) -> JsonResponse:
    """Forget this device's push subscription."""
    try:
        endpoint = str(json.loads(request.body or b"{}")["endpoint"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"message": "The browser sent no endpoint to forget."}, status=400)
    services.remove_device(client_of(request), endpoint)
    return JsonResponse({"message": "Notifications are off for this device."})


@login_not_required
@csrf_exempt  # a mail app's unsubscribe button posts here (RFC 8058), signed by the token
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop every reminder from the link in a reminder email, without signing in.

    The link opens a page with one button (a mail filter that opens links must not stop them);
    a mail app's own unsubscribe button posts straight here."""
    client = services.client_of_stop_token(token)
    if client is None:
        return render(request, "reminders/stop.html", {"unknown": True}, status=404)
    if request.method == "POST":
        services.stop_all(client)
        return render(request, "reminders/stop.html", {"stopped": True})
    return render(request, "reminders/stop.html", {"token": token})
