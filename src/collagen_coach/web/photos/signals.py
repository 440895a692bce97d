"""What the photos app tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent by the worker once a photo is analysed and its measurements are saved (``sender`` is the
# Photo class, ``photo`` the photo): the progress app works out the photo part of the analysis
# then, so that the next visit finds it current.
photo_measured = Signal()

# Sent by the worker at each recovery sweep (on start, then at most every ``SWEEP_EVERY_S``
# while idle; ``sender`` is the worker's ``run_worker``): the apps above do their own
# background upkeep then (the progress app makes the day's dashboards).
worker_swept = Signal()
