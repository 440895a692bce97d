"""Addresses of the progress section: the dashboard and the report to download."""

from django.urls import path

from collagen_coach.web.progress import views

app_name = "progress"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
]
