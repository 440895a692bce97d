"""The app's addresses, and the floor of the load test: a view that does nothing."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The floor: a signed-in page that does nothing, through the same middleware as every page."""
    return HttpResponse("ok")


urlpatterns = [
    path("load/bare/", bare),
    path("", include("collagen_coach.web.urls")),
]

handler400 = "collagen_coach.web.views.bad_request"
handler403 = "collagen_coach.web.views.permission_denied"
handler404 = "collagen_coach.web.views.not_found"
handler500 = "collagen_coach.web.views.server_error"
