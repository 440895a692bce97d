"""The addresses of the phone page and of the certificate a phone trusts."""

from django.urls import path

from collagen_coach.web.phone import views

app_name = "phone"
urlpatterns = [
    path("", views.index, name="index"),
    path("certificate.crt", views.certificate, name="certificate"),
    path("certificate-file.crt", views.certificate_file, name="certificate_file"),
]
