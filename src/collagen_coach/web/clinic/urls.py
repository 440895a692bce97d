"""Addresses of one client's record, for their practitioner (to be filled in)."""

from django.urls import path

from collagen_coach.web.views import home

app_name = "clinic"
urlpatterns = [
    path("", home, name="timeline"),
]
