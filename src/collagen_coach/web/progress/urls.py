"""Addresses of this section (to be filled in)."""

from django.urls import path

from collagen_coach.web.views import home

app_name = "progress"
urlpatterns = [
    path("dashboard/", home, name="dashboard"),
]
