"""What the photos app tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent by the worker once a photo is analysed and its measurements are saved (``sender`` is the
# Photo class, ``photo`` the photo): the progress app works out the photo part of the analysis
# then, so that the next visit finds it current.
photo_measured = Signal()
