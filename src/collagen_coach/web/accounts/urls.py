"""Addresses of this section (to be filled in)."""

from django.urls import path

from collagen_coach.web.views import home

app_name = "accounts"
urlpatterns = [
    path("login/", home, name="login"),
    path("signup/", home, name="signup"),
    path("logout/", home, name="logout"),
]
