"""Addresses of the journal: the listing, its forms and the calendar download."""

from django.urls import path

from collagen_coach.web.journal import views

app_name = "journal"
urlpatterns = [
    path("", views.index, name="index"),
    path("peptides/", views.peptides, name="peptides"),
    path("rating/", views.rating, name="rating"),
    path("readings/", views.readings, name="readings"),
    path("calendar/", views.calendar, name="calendar"),
]
