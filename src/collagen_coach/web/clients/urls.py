"""Addresses of this section (to be filled in)."""

from django.urls import path

from collagen_coach.web.views import home

app_name = "clients"
urlpatterns = [
    path("intake/", home, name="intake"),
]
