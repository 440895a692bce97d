"""Addresses of My data: what is stored, the export, and deleting everything."""

from django.urls import path

from collagen_coach.web.my_data import views

app_name = "my_data"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
]
