"""Addresses of my plan: the plan itself, the profile it is made for, and re-planning."""

from django.urls import path

from collagen_coach.web.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("profile/", views.profile, name="profile"),
    path("replan/", views.replan, name="replan"),
    path("skip-baseline/", views.skip_baseline, name="skip_baseline"),
    path("pause-for-baseline/", views.pause_for_baseline, name="pause_for_baseline"),
]
