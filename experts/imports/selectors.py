"""Reads for the import."""

from collections.abc import Sequence

from .models import ImportMapping
from .parsing import Cell, Mapping, header_key


def remembered_mapping(header: Sequence[Cell]) -> Mapping:
    """The choices made last time for a file with these column names; none when it is new."""
    found = (
        ImportMapping.objects.filter(headers_key=header_key(header))
        .values("columns", "values")
        .first()
    )
    return Mapping.from_data(found)
