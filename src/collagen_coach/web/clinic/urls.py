"""Addresses of one client's record, for the members of the client's practice."""

from django.urls import path

from collagen_coach.web.clinic import views

app_name = "clinic"
urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("photos/<int:photo_id>/image/", views.photo_image, name="photo_image"),
    path("safety-check/", views.intake, name="intake"),
    path("safety-check/<int:intake_id>/", views.decision, name="decision"),
    path("progress/", views.progress, name="progress"),
    path("progress/series/<str:key>/", views.series, name="series"),
    path("progress/report/", views.report, name="report"),
    path("plan/", views.plan, name="plan"),
    path("plan/edit/", views.plan_edit, name="plan_edit"),
    path("notes/new/", views.note_new, name="note_new"),
    path("notes/<int:note_id>/", views.note_edit, name="note_edit"),
]
