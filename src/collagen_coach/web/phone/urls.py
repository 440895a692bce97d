"""Addresses of the app on a phone: the manifest, the service worker (at the site's root, so that
it may serve every page), the page shown without the network, and where a phone sends a session
it recorded meanwhile."""

from django.urls import path

from collagen_coach.web.phone import views

app_name = "phone"
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("service-worker.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("session/api/sent-later/", views.send_session, name="send_session"),
]
