"""The addresses of the Reminders page, of a device's push subscription, of the stop link, and
of a practice client's reminders as her practice sees and sets them.
The service worker that shows pushed reminders is the app's own (``phone``)."""

from django.urls import path

from collagen_coach.web.reminders import views

app_name = "reminders"
urlpatterns = [
    path("reminders/", views.reminder_settings, name="settings"),
    path("reminders/switch/", views.switch, name="switch"),
    path("reminders/test/", views.test, name="test"),
    path("reminders/devices/subscribe/", views.subscribe, name="subscribe"),
    path("reminders/devices/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("reminders/stop/<str:token>/", views.stop, name="stop"),
    path("practice/clients/<int:client_id>/reminders/", views.client_reminders, name="client"),
]
