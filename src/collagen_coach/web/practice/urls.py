"""Addresses of the practice pages (to be filled in)."""

from django.urls import path

from collagen_coach.web.views import home

app_name = "practice"
urlpatterns = [
    path("clients/", home, name="clients"),
]
