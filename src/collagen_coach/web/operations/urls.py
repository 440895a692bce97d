"""The address of the health answer."""

from django.urls import path

from collagen_coach.web.operations import views

app_name = "operations"
urlpatterns = [path("", views.health, name="health")]
