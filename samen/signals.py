"""Signals of the project, for what Django's own do not tell."""

from django.dispatch import Signal

# Sent after rows of ``sender`` (a model class) were written in bulk (bulk_create, update):
# those writes send no post_save, yet caches computed from the rows must learn of them.
bulk_written = Signal()
