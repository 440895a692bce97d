"""Addresses of my plan: the plan itself, the profile it is made for, and re-planning."""

from django.urls import path

from collagen_coach.web.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("profile/", views.profile, name="profile"),
    path("replan/", views.replan, name="replan"),
]
