"""The web app's addresses: one section per thing a person does."""

from django.urls import include, path

from collagen_coach.web import views
from collagen_coach.web.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("my-routine/", views.my_routine, name="my_routine"),
    path("accounts/", include("collagen_coach.web.accounts.urls")),
    path("intake/", include("collagen_coach.web.clients.urls")),
    path("plan/", include("collagen_coach.web.plans.urls")),
    path("session/", include("collagen_coach.web.guide.urls")),
    path("journal/", include("collagen_coach.web.journal.urls")),
    path("photos/", include("collagen_coach.web.photos.urls")),
    path("progress/", include("collagen_coach.web.progress.urls")),
    path("my-data/", include("collagen_coach.web.my_data.urls")),
    path("practice/", include("collagen_coach.web.practice.urls")),
    path("practice/clients/<int:client_id>/", include("collagen_coach.web.clinic.urls")),
    # The app on a phone: the manifest and the service worker at the site's root, the offline
    # page, sessions recorded offline, sent later, and the phone page (``serve --lan``).
    path("", include("collagen_coach.web.phone.urls")),
    # Reminders: her settings, her devices' push subscriptions, the stop link of an email.
    path("", include("collagen_coach.web.reminders.urls")),
    path("api/", api.urls),
    # For load balancers and monitors: is this server, its storage and its workers well?
    path("health/", include("collagen_coach.web.operations.urls")),
]

handler400 = "collagen_coach.web.views.bad_request"
handler403 = "collagen_coach.web.views.permission_denied"
handler404 = "collagen_coach.web.views.not_found"
handler500 = "collagen_coach.web.views.server_error"
