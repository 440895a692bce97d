"""The floor under the web apps: what every app may use and what imports none of them.

Today's date and day parsing (``dates``) and the API kit (``api``: schemas, error bodies, paging,
the request body parser). It may import Django, ``core`` and ``vision``, never an app; the apps
build on it, and the API mount (``web/api.py``) sits above them all.
"""
