"""My data: see what is stored, download all of it, or delete all of it with the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from collagen_coach.web.clients.access import SignedInRequest, client_of
from collagen_coach.web.clients.records import record_counts
from collagen_coach.web.lib import dates
from collagen_coach.web.my_data.forms import DeleteEverythingForm
from collagen_coach.web.my_data.services import delete_everything, export_file


def index(request: HttpRequest) -> HttpResponse:
    """Give the page that says what is stored and offers to export or delete it."""
    client = client_of(request)
    return render(
        request,
        "my_data/index.html",
        {"nav": "my_data", "counts": record_counts(client)},
    )


@require_POST
def export(request: SignedInRequest) -> FileResponse:
    """Give everything stored as one zip to download (built in a temporary file)."""
    client = client_of(request)
    zipped = export_file(client, request.user)
    name = f"collagen-coach-export-{dates.today().isoformat()}.zip"
    return FileResponse(zipped, as_attachment=True, filename=name, content_type="application/zip")


@require_http_methods(["GET", "POST"])
def delete(request: SignedInRequest) -> HttpResponse:
    """Give the confirmation page; on the right user name (or "delete") and password, delete
    every record, every photo and the account, and sign out."""
    client_of(request)  # an account without records has nothing here to delete
    form = DeleteEverythingForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        delete_everything(user)
        logout(request)
        messages.success(
            request, "Everything is deleted: your records, your photos and your account."
        )
        return redirect("accounts:login")
    status = 400 if request.method == "POST" else 200
    return render(request, "my_data/delete.html", {"nav": "my_data", "form": form}, status=status)
