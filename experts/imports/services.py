"""Write the checked rows of an import: every expert, or none. Remember how a file is read.
Keep a file read while its coordinator checks it (``PendingImport``), and let it go."""

import secrets
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from experts.models import Expert, ExpertPreferredRole, ImportMapping, PendingImport
from samen.accounts.models import User

from .parsing import (
    Cell,
    ExpertImportError,
    ExpertRow,
    Mapping,
    Table,
    check_rows,
    column_names,
    header_key,
    messages_in_row_order,
)

FILENAME_MAX_LENGTH = 255


def _token() -> str:
    return secrets.token_urlsafe(16)


@transaction.atomic
def pending_import_start(
    *, owner: User, filename: str, table: Table, mapping: Mapping
) -> PendingImport:
    """Keep a file just read for its coordinator, with a new token; an import they still had
    waiting is replaced (one per coordinator). The hour starts now."""
    fields = {
        "created_at": timezone.now(),
        "token": _token(),
        "filename": filename[:FILENAME_MAX_LENGTH],
        "table": table.to_json(),
        "mapping": mapping.to_data(),
    }
    # The owner is the one making the request: no need to look them up again.
    PendingImport(owner=owner, **fields).full_clean(exclude=["owner"], validate_unique=False)
    pending, _created = PendingImport.objects.update_or_create(owner=owner, defaults=fields)
    return pending


def pending_import_remap(*, pending: PendingImport, mapping: Mapping) -> bool:
    """Read the waiting file with other choices. A new token: a preview shown before the change
    cannot confirm it. False when the import is gone meanwhile (confirmed or cancelled in
    another tab, or expired)."""
    token = _token()
    data = mapping.to_data()
    if not PendingImport.objects.filter(pk=pending.pk).update(mapping=data, token=token):
        return False
    pending.mapping, pending.token = data, token
    return True


def pending_import_take(*, pending: PendingImport, token: str) -> bool:
    """End the waiting import (to import it or to cancel it). The delete is the claim: of two
    posts of the same preview, or a post and a change of the mapping, one wins; the other
    finds nothing to take."""
    deleted, _per_model = PendingImport.objects.filter(pk=pending.pk, token=token).delete()
    return deleted > 0


def pending_import_discard(*, owner: User) -> None:
    """Forget the coordinator's waiting import, if any: a new file could not go in."""
    PendingImport.objects.filter(owner=owner).delete()


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
