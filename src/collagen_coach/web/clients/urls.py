"""Addresses of the safety check: the questions and the decisions they led to."""

from django.urls import path

from collagen_coach.web.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.intake, name="intake"),
    path("result/", views.latest, name="latest"),
    path("<int:pk>/", views.decision, name="decision"),
]
