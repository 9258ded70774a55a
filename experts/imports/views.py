"""The coordinator imports experts from a spreadsheet: upload, (choose what the columns and
values mean,) preview, confirm.

The table read from the file waits in the session until the import is confirmed or cancelled,
never as a file on disk; the upload itself is only read during the request that carries it.
Each step reads the table again with the current mapping, so a changed choice is checked as
the first upload was.
"""

import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts.models import Expert
from samen.accounts.permissions import coordinator_required
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
from .services import experts_import, import_mapping_save

SESSION_KEY = "experts:expert_import"
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


def _pending(request: HttpRequest) -> tuple[dict, Table, Mapping] | None:
    pending = request.session.get(SESSION_KEY)
    if not pending or "table" not in pending:
        return None
    return pending, Table.from_session(pending["table"]), Mapping.from_data(pending["mapping"])


def _keep(request: HttpRequest, *, filename: str, table: Table, mapping: Mapping) -> None:
    """A new token with every change: a preview shown before the change cannot confirm it."""
    request.session[SESSION_KEY] = {
        "token": secrets.token_urlsafe(16),
        "filename": filename,
        "table": table.to_session(),
        "mapping": mapping.to_data(),
    }


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
            filename = form.cleaned_data["file"].name
            if parsed.column_problems:
                _keep(request, filename=filename, table=table, mapping=mapping)
                return redirect("coordinator:expert_import_mapping")
            if parsed.errors:
                can_map = _has_values_to_choose(table, mapping)
                if can_map:
                    _keep(request, filename=filename, table=table, mapping=mapping)
                else:
                    request.session.pop(SESSION_KEY, None)
                return _upload_page(request, form, parsed.messages, can_map=can_map)
            _keep(request, filename=filename, table=table, mapping=mapping)
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
        messages.info(request, _("Choose a file to import first."))
        return redirect("coordinator:expert_import")
    pending, table, mapping = found
    form = ImportMappingForm(
        request.POST if request.method == "POST" else None, table=table, mapping=mapping
    )
    if request.method == "POST" and form.is_valid():
        import_mapping_save(header=table.header, mapping=form.mapping, user=request.user)
        _keep(request, filename=pending["filename"], table=table, mapping=form.mapping)
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
        messages.info(request, _("Choose a file to import first."))
        return redirect("coordinator:expert_import")
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
    """Import the previewed rows in one go, or cancel."""
    found = _pending(request)
    if found is None or not constant_time_compare(request.POST.get("token", ""), found[0]["token"]):
        messages.error(request, _("This preview is no longer valid. Choose the file again."))
        return redirect("coordinator:expert_import")
    _pending_data, table, mapping = found
    del request.session[SESSION_KEY]
    if request.POST.get("action") == "cancel":
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
