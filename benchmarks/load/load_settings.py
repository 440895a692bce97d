"""The app's own settings, with one more address: the floor of the load test (``load_urls``).

Used only by ``benchmarks/bench_load.py``, which serves the app with
``DJANGO_SETTINGS_MODULE=load_settings`` and this folder on the Python path; the product's
settings and addresses know nothing of it, so no real server has the floor.
"""

from collagen_coach.web.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
