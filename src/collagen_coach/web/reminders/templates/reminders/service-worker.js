{% load static %}// The app's service worker. Reminders pushed to this device are shown by reminders-push.js.
importScripts("{% static 'js/reminders-push.js' %}");
