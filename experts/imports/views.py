"""The coordinator imports experts from a spreadsheet: upload, (choose what the columns and
values mean,) preview, confirm.

The table read from the file waits in a ``PendingImport`` of its coordinator until the import
is confirmed or cancelled, for an hour at most; never in the session, never as a file on disk.
The upload itself is only read during the request that carries it. Each step reads the table
again with the current mapping, so a changed choice is checked as the first upload was.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts.access import get_pending_import_for_user
from experts.models import Expert, PendingImport
from samen.accounts.permissions import coordinator_required
from samen.params import text_param
from samen.signals import bulk_written

from .forms import MAX_VALUES_TO_CHOOSE, ExpertImportForm, ImportMappingForm
from .parsing import (
    ExpertImportError,
    Mapping,
    Table,
    max_bytes,
    max_rows,
    parse_table,
    read_rows,
    template_csv,
    values_to_choose,
)
from .selectors import remembered_mapping
from .services import (
    experts_import,
    import_mapping_save,
    pending_import_discard,
    pending_import_remap,
    pending_import_start,
    pending_import_take,
)

PREVIEW_LIMIT = 500  # rows shown on the preview page; all rows are imported


def _upload_page(
    request: HttpRequest, form: ExpertImportForm, errors=(), *, can_map: bool = False
) -> HttpResponse:
    return render(
        request,
        "experts/imports/upload.html",
        {
            "form": form,
            "errors": list(errors) or form.errors.get("file", []),
            "can_map": can_map,
            "max_bytes": max_bytes(),
            "max_rows": max_rows(),
        },
    )


def _pending(request: HttpRequest) -> tuple[PendingImport, Table, Mapping] | None:
    pending = get_pending_import_for_user(request)
    if pending is None:
        return None
    return pending, Table.from_json(pending.table), Mapping.from_data(pending.mapping)


def _no_pending(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Choose a file to import first."))
    return redirect("coordinator:expert_import")


def _has_values_to_choose(table: Table, mapping: Mapping) -> bool:
    return any(
        not value.chosen
        for found in values_to_choose(table, mapping, limit=MAX_VALUES_TO_CHOOSE)
        for value in found.values
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def expert_import(request: HttpRequest) -> HttpResponse:
    """Upload a file. Every row good: the preview. Columns Samen cannot place: the step to
    choose them. Bad rows: every problem here; when some are values Samen does not know, a way
    to say what they mean."""
    if request.method == "POST":
        form = ExpertImportForm(request.POST, request.FILES)
        if form.is_valid():
            table = form.table
            mapping = remembered_mapping(table.header)
            parsed = parse_table(table, mapping)
            keep = {
                "owner": request.user,
                "filename": form.cleaned_data["file"].name,
                "table": table,
                "mapping": mapping,
            }
            if parsed.column_problems:
                pending_import_start(**keep)
                return redirect("coordinator:expert_import_mapping")
            if parsed.errors:
                can_map = _has_values_to_choose(table, mapping)
                if can_map:
                    pending_import_start(**keep)
                else:
                    pending_import_discard(owner=request.user)
                return _upload_page(request, form, parsed.messages, can_map=can_map)
            pending_import_start(**keep)
            return redirect("coordinator:expert_import_preview")
    else:
        form = ExpertImportForm()
    return _upload_page(request, form)


@coordinator_required
@require_GET
def expert_import_template(request: HttpRequest) -> HttpResponse:
    """An empty file with the column names."""
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ervaringsdeskundigen-sjabloon.csv"'
    return response


@coordinator_required
@require_http_methods(["GET", "POST"])
def expert_import_mapping(request: HttpRequest) -> HttpResponse:
    """Say which column holds what, and what unknown values mean; then preview again. The
    choices are remembered for the next file with the same column names."""
    found = _pending(request)
    if found is None:
        return _no_pending(request)
    pending, table, mapping = found
    form = ImportMappingForm(
        request.POST if request.method == "POST" else None, table=table, mapping=mapping
    )
    if request.method == "POST" and form.is_valid():
        if not pending_import_remap(pending=pending, mapping=form.mapping):
            return _no_pending(request)
        import_mapping_save(header=table.header, mapping=form.mapping, user=request.user)
        return redirect("coordinator:expert_import_preview")
    parsed = parse_table(table, mapping)
    return render(
        request,
        "experts/imports/mapping.html",
        {
            "pending": pending,
            "form": form,
            "column_problems": parsed.column_problems,
            "row_errors": parsed.messages if not parsed.column_problems else [],
            "max_values": MAX_VALUES_TO_CHOOSE,
        },
    )


@coordinator_required
@require_GET
def expert_import_preview(request: HttpRequest) -> HttpResponse:
    """What the import will add. Nothing is written here. A file that cannot go in as it is
    read now goes to the step where the coordinator chooses how to read it."""
    found = _pending(request)
    if found is None:
        return _no_pending(request)
    pending, table, mapping = found
    parsed = parse_table(table, mapping)
    if parsed.column_problems or parsed.errors:
        return redirect("coordinator:expert_import_mapping")
    return render(
        request,
        "experts/imports/preview.html",
        {
            "pending": pending,
            "ignored_columns": parsed.ignored_columns,
            "rows": parsed.rows[:PREVIEW_LIMIT],
            "total": len(parsed.rows),
            "hidden": max(len(parsed.rows) - PREVIEW_LIMIT, 0),
        },
    )


@coordinator_required
@require_POST
def expert_import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed rows in one go, or cancel. Either way the waiting file is deleted
    first: a failed import is uploaded again."""
    found = _pending(request)
    token = text_param(request.POST, "token", max_length=100)
    if (
        found is None
        or not constant_time_compare(token, found[0].token)
        or not pending_import_take(pending=found[0], token=token)
    ):
        messages.error(request, _("This preview is no longer valid. Choose the file again."))
        return redirect("coordinator:expert_import")
    _pending_import, table, mapping = found
    if text_param(request.POST, "action") == "cancel":
        messages.info(request, _("The import was cancelled. Nothing was saved."))
        return redirect("coordinator:expert_import")
    # Read again without the database; experts_import checks against it once, in its
    # transaction.
    parsed = read_rows(table, mapping)
    try:
        if parsed.column_problems or parsed.errors:
            raise ExpertImportError(parsed.messages)
        created = experts_import(rows=parsed.rows)
    except ExpertImportError as exc:
        return _upload_page(request, ExpertImportForm(), errors=exc.messages)
    # bulk_create sends no post_save; caches counting experts (the dashboard) learn it here.
    bulk_written.send(sender=Expert, created=True)
    messages.success(
        request,
        ngettext("%(count)d expert was imported.", "%(count)d experts were imported.", len(created))
        % {"count": len(created)},
    )
    return redirect("coordinator:expert_list")
