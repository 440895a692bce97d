"""Addresses of the progress section: the dashboard, one chosen series' chart data, and the
report to download."""

from django.urls import path

from collagen_coach.web.progress import views

app_name = "progress"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("series/<str:key>/", views.series, name="series"),
    path("report/", views.report, name="report"),
]
