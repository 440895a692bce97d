"""Addresses of the guided session: today's overview, the player, and the player's saves."""

from django.urls import path

from collagen_coach.web.guide import views

app_name = "guide"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("play/", views.play, name="play"),
    path("logs/<int:log_id>/abandon/", views.abandon, name="abandon"),
    path("api/start/", views.start, name="start"),
    path("api/logs/<int:log_id>/step/", views.step, name="step"),
    path("api/logs/<int:log_id>/finish/", views.finish, name="finish"),
]
