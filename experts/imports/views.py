"""The coordinator imports experts from a spreadsheet: upload, preview, confirm.

The checked rows wait in the session between the preview and the confirmation, never as a
file on disk; the upload itself is only read during the request that carries it.
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

from .forms import ExpertImportForm
from .parsing import ExpertImportError, ExpertRow, max_bytes, max_rows, template_csv
from .services import experts_import

SESSION_KEY = "experts:expert_import"
PREVIEW_LIMIT = 500  # rows shown on the preview page; all rows are imported


def _upload_page(request: HttpRequest, form: ExpertImportForm, errors=()) -> HttpResponse:
    return render(
        request,
        "experts/imports/upload.html",
        {
            "form": form,
            "errors": list(errors) or form.errors.get("file", []),
            "max_bytes": max_bytes(),
            "max_rows": max_rows(),
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def expert_import(request: HttpRequest) -> HttpResponse:
    """Upload a file; when every row is good, show the preview."""
    if request.method == "POST":
        form = ExpertImportForm(request.POST, request.FILES)
        if form.is_valid():
            request.session[SESSION_KEY] = {
                "token": secrets.token_urlsafe(16),
                "filename": form.cleaned_data["file"].name,
                "ignored_columns": form.parsed.ignored_columns,
                "rows": [row.to_session() for row in form.parsed.rows],
            }
            return redirect("coordinator:expert_import_preview")
    else:
        form = ExpertImportForm()
    return _upload_page(request, form)


@coordinator_required
@require_GET
def expert_import_template(request: HttpRequest) -> HttpResponse:
    """An empty file with the column names. The BOM makes Excel read it as UTF-8."""
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ervaringsdeskundigen-sjabloon.csv"'
    return response


@coordinator_required
@require_GET
def expert_import_preview(request: HttpRequest) -> HttpResponse:
    """What the import will add. Nothing is written here."""
    pending = request.session.get(SESSION_KEY)
    if not pending:
        messages.info(request, _("Choose a file to import first."))
        return redirect("coordinator:expert_import")
    rows = [ExpertRow.from_session(data) for data in pending["rows"][:PREVIEW_LIMIT]]
    return render(
        request,
        "experts/imports/preview.html",
        {
            "pending": pending,
            "rows": rows,
            "total": len(pending["rows"]),
            "hidden": max(len(pending["rows"]) - PREVIEW_LIMIT, 0),
        },
    )


@coordinator_required
@require_POST
def expert_import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed rows in one go, or cancel."""
    pending = request.session.get(SESSION_KEY)
    if not pending or not constant_time_compare(request.POST.get("token", ""), pending["token"]):
        messages.error(request, _("This preview is no longer valid. Choose the file again."))
        return redirect("coordinator:expert_import")
    del request.session[SESSION_KEY]
    if request.POST.get("action") == "cancel":
        messages.info(request, _("The import was cancelled. Nothing was saved."))
        return redirect("coordinator:expert_import")
    rows = [ExpertRow.from_session(data) for data in pending["rows"]]
    try:
        created = experts_import(rows=rows)
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
