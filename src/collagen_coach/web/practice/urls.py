"""Addresses of the practice pages: the practice and its members, its clients, invitations, a
client's view of their practice, and the audit log."""

from django.urls import path

from collagen_coach.web.practice import views

app_name = "practice"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("team/", views.team, name="team"),
    path("clients/", views.clients, name="clients"),
    path("clients/add/", views.add_client, name="add_client"),
    path("clients/<int:client_id>/details/", views.edit_client, name="edit_client"),
    path("invite/<int:client_id>/", views.invite, name="invite"),
    path("join/<str:token>/", views.accept, name="accept"),
    path("mine/", views.my_practitioner, name="my_practitioner"),
    path("mine/leave/", views.leave, name="leave"),
    path("audit/", views.audit, name="audit"),
]
