"""The coordinator's page of hours waiting for approval, the expert's own hours (log, change,
take back), and the receipts, served only here: they have no URL of their own
(``samen.storage.PrivateStorage``)."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from experts.access import get_own_expert
from experts.consents.services import SCAN_CONTENT_TYPES
from participation.access import get_activity_log_for_user
from participation.models import ActivityLog, ActivityStatus
from samen.accounts.permissions import coordinator_required, expert_required
from samen.forms import add_service_errors
from samen.params import page_of

from . import selectors, services
from .forms import ActivityLogForm

WAITING_PER_PAGE = 50


@coordinator_required
@require_GET
def activity_waiting(request: HttpRequest) -> HttpResponse:
    """Hours that experts logged and that still wait for the coordinator's approval."""
    page = page_of(request, selectors.waiting_activity_logs(), WAITING_PER_PAGE)
    return render(
        request,
        "participation/hours/waiting.html",
        {"page": page},
    )


# The expert's own hours (``/mijn/uren/``).

OWN_PER_PAGE = 25


@expert_required
@require_GET
def my_hours(request: HttpRequest) -> HttpResponse:
    """The expert's logged hours, newest first, each with its state in words, and their hours
    this week, month and year against the hours they gave."""
    expert = get_own_expert(request)
    page = page_of(request, selectors.own_activity_logs(expert), OWN_PER_PAGE)
    return render(
        request,
        "participation/hours/mine.html",
        {
            "expert": expert,
            "page": page,
            "totals": selectors.hours_totals(expert, day=timezone.localdate()),
        },
    )


def _receipt_again(request: HttpRequest, form: ActivityLogForm) -> None:
    # A browser never keeps a chosen file when the page comes back.
    if form.errors and request.FILES.get("receipt") and "receipt" not in form.errors:
        form.add_error("receipt", _("Choose the file again."))


@expert_required
@require_http_methods(["GET", "POST"])
def my_hours_create(request: HttpRequest) -> HttpResponse:
    """Log hours and travel costs, with an optional receipt."""
    expert = get_own_expert(request)
    form = ActivityLogForm(request.POST or None, request.FILES or None, expert=expert)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_log_submit(
                expert=expert,
                by=request.user,
                receipt=form.cleaned_data["receipt"],
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your hours are saved. The coordinator will check them."))
            return redirect("expert:my_hours")
    _receipt_again(request, form)
    return render(request, "participation/hours/mine_form.html", {"form": form, "log": None})


@expert_required
@require_http_methods(["GET", "POST"])
def my_hours_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change hours that still wait for approval."""
    log = get_activity_log_for_user(request, pk, write=True)
    if log.status != ActivityStatus.SUBMITTED:
        messages.info(request, _("These hours are checked already. You can no longer change them."))
        return redirect("expert:my_hours")
    form = ActivityLogForm(request.POST or None, request.FILES or None, expert=log.expert, log=log)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_log_change(
                log=log,
                by=request.user,
                receipt=form.cleaned_data["receipt"],
                remove_receipt=form.cleaned_data.get("remove_receipt", False),
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your hours are changed."))
            return redirect("expert:my_hours")
    _receipt_again(request, form)
    return render(request, "participation/hours/mine_form.html", {"form": form, "log": log})


@expert_required
@require_http_methods(["GET", "POST"])
def my_hours_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then take back hours that still wait for approval."""
    log = get_activity_log_for_user(request, pk, write=True)
    if log.status != ActivityStatus.SUBMITTED:
        messages.info(request, _("These hours are checked already. You can no longer change them."))
        return redirect("expert:my_hours")
    if request.method == "POST":
        try:
            services.activity_log_withdraw(log=log, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your hours are taken back."))
        return redirect("expert:my_hours")
    return render(request, "participation/hours/mine_withdraw.html", {"log": log})


def _receipt_response(log: ActivityLog) -> FileResponse:
    if not log.receipt:
        raise Http404
    extension = PurePath(log.receipt.name).suffix
    try:
        file = log.receipt.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"{slugify(_('receipt'))}-{log.pk}{extension}",
        content_type=SCAN_CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@expert_required
@require_GET
def my_hours_receipt(request: HttpRequest, pk: int) -> FileResponse:
    """The receipt of the expert's own logged hours, as a download; 404 without one."""
    return _receipt_response(get_activity_log_for_user(request, pk))


@coordinator_required
@require_GET
def activity_receipt(request: HttpRequest, pk: int) -> FileResponse:
    """The receipt of logged hours, as a download for the coordinator; 404 without one."""
    return _receipt_response(get_activity_log_for_user(request, pk))
