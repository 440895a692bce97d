"""Addresses of the app on a phone: the manifest, the service worker (at the site's root, so that
it may serve every page), the page shown without the network, where a phone sends a session it
recorded meanwhile, and the phone page with the certificate a phone trusts."""

from django.urls import path

from collagen_coach.web.phone import views

app_name = "phone"
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("service-worker.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("session/api/sent-later/", views.send_session, name="send_session"),
    path("phone/", views.index, name="index"),
    path("phone/certificate.crt", views.certificate, name="certificate"),
    path("phone/certificate-file.crt", views.certificate_file, name="certificate_file"),
]
