"""Which database error names a constraint.

PostgreSQL names every violated constraint. SQLite names a check constraint too, but a unique
constraint by its columns ("UNIQUE constraint failed: table.a, table.b") or, for one on an
expression, by its index. ``violates(name)`` gives the pattern to expect on the database in use,
so the constraint tests still prove that this rule, and no other, stopped the row."""

import re

from django.apps import apps
from django.db import connection, models


def _constraint(name: str) -> tuple[type[models.Model], models.BaseConstraint]:
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
    raise LookupError(f"No constraint named {name}")


def violates(name: str) -> str:
    """A regular expression for pytest.raises(IntegrityError, match=...)."""
    if connection.vendor != "sqlite":
        return re.escape(name)
    model, constraint = _constraint(name)
    if isinstance(constraint, models.UniqueConstraint):
        if constraint.fields:
            table = model._meta.db_table
            columns = [model._meta.get_field(field).column for field in constraint.fields]
            return re.escape(", ".join(f"{table}.{column}" for column in columns))
        return re.escape(f"index '{name}'")
    return re.escape(name)
