"""What the progress app tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent when a client's stored progress analysis is stored again or forgotten, in the
# transaction that does it (``client_id`` the client's id; ``in_practice`` whether she is a
# practice's client, None where the sender does not know): the practice's signal of new
# verdicts follows it.
parts_changed = Signal()
