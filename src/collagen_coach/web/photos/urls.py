"""Addresses of the progress photos section."""

from django.urls import path

from collagen_coach.web.photos import views

app_name = "photos"
urlpatterns = [
    path("", views.index, name="index"),
    path("guidance/", views.guidance, name="guidance"),
    path("take/", views.take, name="take"),
    path("take/frame/", views.take_frame, name="take_frame"),
    path("upload/", views.upload, name="upload"),
    path("compare/", views.compare, name="compare"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/image/", views.image, name="image"),
    path("<int:pk>/overlay/", views.overlay, name="overlay"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
