"""Signals of the project, for what Django's own do not tell."""

from django.dispatch import Signal

# Sent after rows of ``sender`` (a model class) were written in bulk (bulk_create, update):
# those writes send no post_save, yet sums and caches computed from the rows must learn of
# them. ``created=True`` says that only new rows were written.
bulk_written = Signal()
