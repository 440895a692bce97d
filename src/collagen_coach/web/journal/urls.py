"""Addresses of the journal: the listing, its forms and the calendar download."""

from django.urls import path

from collagen_coach.web.journal import views

app_name = "journal"
urlpatterns = [
    path("", views.index, name="index"),
    path("peptides/", views.peptides, name="peptides"),
    path("peptides/<int:pk>/", views.peptides_entry, name="peptides_entry"),
    path("rating/", views.rating, name="rating"),
    path("rating/<int:pk>/", views.rating_entry, name="rating_entry"),
    path("readings/", views.readings, name="readings"),
    path("readings/<int:pk>/", views.reading_entry, name="reading_entry"),
    path("calendar/", views.calendar, name="calendar"),
]
