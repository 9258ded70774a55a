"""Write the checked rows of an import: every expert, or none. Remember how a file is read."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from experts.models import Expert, ExpertPreferredRole, ImportMapping
from samen.accounts.models import User

from .parsing import (
    Cell,
    ExpertImportError,
    ExpertRow,
    Mapping,
    check_rows,
    column_names,
    header_key,
    messages_in_row_order,
)


@transaction.atomic
def import_mapping_save(*, header: Sequence[Cell], mapping: Mapping, user: User) -> ImportMapping:
    """Remember the coordinator's choices for files with these column names, for everyone who
    imports such a file next (the choices replace the ones made before)."""
    fields = {
        "headers": column_names(header),
        "columns": mapping.columns,
        "values": {f: chosen for f, chosen in mapping.values.items() if chosen},
        "updated_by": user,
    }
    # The user is the one making the request: no need to look them up again.
    ImportMapping(headers_key=header_key(header), **fields).full_clean(
        exclude=["updated_by"], validate_unique=False
    )
    saved, _created = ImportMapping.objects.update_or_create(
        headers_key=header_key(header), defaults=fields
    )
    return saved


def experts_import(*, rows: Sequence[ExpertRow]) -> list[Expert]:
    """Create one expert per row, with themes and preferred roles, all or nothing.

    The rows are checked again against the database: themes or experts may have changed since
    the coordinator saw the preview.
    """
    try:
        return _experts_import(rows)
    except IntegrityError as exc:
        raise ExpertImportError(
            [
                _(
                    "Someone added an expert with one of these e-mail addresses just now. "
                    "Nothing was imported. Upload the file again to check it."
                )
            ]
        ) from exc


@transaction.atomic
def _experts_import(rows: Sequence[ExpertRow]) -> list[Expert]:
    if not rows:
        raise ExpertImportError([_("There are no experts to import.")])
    errors, theme_ids = check_rows(rows)
    if errors:
        raise ExpertImportError(messages_in_row_order(errors))
    experts = [row.to_expert() for row in rows]

    # With the first row of each expert's history (what leads may see, the benefit situation),
    # by the coordinator who imports.
    created = bulk_create_with_history(experts, Expert)
    Through = Expert.themes.through
    Through.objects.bulk_create(
        [
            Through(expert_id=expert.pk, theme_id=theme_ids[name])
            for row, expert in zip(rows, created, strict=True)
            for name in row.themes
        ]
    )
    ExpertPreferredRole.objects.bulk_create(
        [
            ExpertPreferredRole(expert=expert, role=role)
            for row, expert in zip(rows, created, strict=True)
            for role in row.roles
        ]
    )
    return created
