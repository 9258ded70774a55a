"""The expert's page of their own data (``/mijn/gegevens/``): download everything Samen holds
about them, and ask for erasure. The coordinator's pages to answer erasure requests
(``/coordinator/wissen/``)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts.access import get_own_expert
from participation.access import get_data_export_for_user, get_erasure_request_for_user
from samen.accounts.permissions import coordinator_required, expert_required

from . import selectors, services
from .forms import ErasureAskForm, ErasureConfirmForm, ErasureRefuseForm
from .models import UNFINISHED_EXPORT_STATES, DataExportState, ErasureState
from .registry import PAYMENT_RETENTION_YEARS


@expert_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """The expert's downloads with their state, and their erasure request. While a download
    is being made, htmx asks for the list of downloads again every few seconds; without
    JavaScript the page has a link to look again."""
    try:
        expert = get_own_expert(request)
    except Http404:
        return render(request, "participation/mydata/page.html", {"expert": None})
    now = timezone.now()
    downloads = selectors.downloads_of(expert)
    for download in downloads:
        download.current_state = download.state_on(now)
    context = {
        "expert": expert,
        "downloads": downloads,
        "working": any(d.state in UNFINISHED_EXPORT_STATES for d in downloads),
        "states": DataExportState,
        "erasure": selectors.erasure_request_of(expert),
        "erasure_states": ErasureState,
        "export_days": settings.SAMEN_DATA_EXPORT_DAYS,
    }
    if request.htmx:
        return render(request, "participation/mydata/_downloads.html", context)
    return render(request, "participation/mydata/page.html", context)


@require_POST
@expert_required
def my_data_export(request: HttpRequest) -> HttpResponse:
    """Ask for a download; a background job makes it. Asking twice makes one."""
    services.data_export_request(expert=get_own_expert(request))
    messages.success(
        request,
        _("Your download is being made. This takes a minute. We will also e-mail you."),
    )
    return redirect("expert:my_data")


@expert_required
@require_GET
def my_data_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The ZIP file of the expert's own download, while it is ready. Logged before it is
    sent. Another expert's download is 404; an expired one says so on the page."""
    export = get_data_export_for_user(request, pk)
    state = export.state_on(timezone.now())
    if state != DataExportState.READY:
        if state == DataExportState.EXPIRED:
            messages.info(request, _("This download has expired. Ask for a new one."))
        else:
            messages.info(request, _("This download is not ready."))
        return redirect("expert:my_data")
    try:
        file = export.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.data_export_downloaded(export=export, by=request.user)
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"samen-{slugify(_('my data'))}-{export.finished_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@expert_required
@require_http_methods(["GET", "POST"])
def my_data_erasure(request: HttpRequest) -> HttpResponse:
    """What erasure does and keeps; then the expert asks for it. Asking twice sends one."""
    expert = get_own_expert(request)
    erasure = selectors.erasure_request_of(expert)
    if erasure is not None and erasure.state == ErasureState.WAITING:
        messages.info(request, _("You already asked. The coordinator will answer soon."))
        return redirect("expert:my_data")
    form = ErasureAskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.erasure_request_create(expert=expert)
        messages.success(
            request,
            _("Your request is sent. The coordinator checks it and then erases your data."),
        )
        return redirect("expert:my_data")
    return render(
        request,
        "participation/mydata/erasure.html",
        {"form": form, "expert": expert, "retention_years": PAYMENT_RETENTION_YEARS},
        status=400 if form.errors else 200,
    )


@require_POST
@expert_required
def my_data_erasure_cancel(request: HttpRequest) -> HttpResponse:
    """Take back a request for erasure that still waits."""
    if services.erasure_request_cancel(expert=get_own_expert(request)):
        messages.success(request, _("Your request is taken back. Nothing is erased."))
    else:
        messages.info(request, _("There was no request waiting."))
    return redirect("expert:my_data")


# The coordinator's door ----------------------------------------------------------------------


@coordinator_required
@require_GET
def erasure_list(request: HttpRequest) -> HttpResponse:
    """Erasure requests that wait for an answer, and the latest answered ones."""
    return render(
        request,
        "participation/mydata/erasure_list.html",
        {
            "waiting": list(selectors.erasure_requests_waiting()),
            "answered": selectors.erasure_requests_answered(),
        },
    )


def _render_erasure(
    request: HttpRequest,
    erasure,
    *,
    confirm_form: ErasureConfirmForm | None = None,
    refuse_form: ErasureRefuseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    waiting = erasure.state == ErasureState.WAITING
    return render(
        request,
        "participation/mydata/erasure_detail.html",
        {
            "erasure": erasure,
            "parts": selectors.erasure_preview(erasure.expert) if waiting else [],
            "confirm_form": confirm_form or ErasureConfirmForm(),
            "refuse_form": refuse_form or ErasureRefuseForm(),
            "waiting": waiting,
        },
        status=status,
    )


@coordinator_required
@require_GET
def erasure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: whose, when, and what erasing would delete and keep; the forms to erase or
    to refuse with a reason."""
    return _render_erasure(request, get_erasure_request_for_user(request, pk))


@require_POST
@coordinator_required
def erasure_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase, in one transaction. A second click changes nothing."""
    erasure = get_erasure_request_for_user(request, pk)
    form = ErasureConfirmForm(request.POST)
    if not form.is_valid():
        return _render_erasure(request, erasure, confirm_form=form, status=400)
    try:
        services.erasure_confirm(erasure=erasure, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The data is erased. The person gets a last e-mail."))
    return redirect("coordinator:erasure_list")


@require_POST
@coordinator_required
def erasure_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse, with a reason the expert reads on their page."""
    erasure = get_erasure_request_for_user(request, pk)
    form = ErasureRefuseForm(request.POST)
    if not form.is_valid():
        return _render_erasure(request, erasure, refuse_form=form, status=400)
    try:
        services.erasure_refuse(
            erasure=erasure, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request is refused. The person sees why on their page."))
    return redirect("coordinator:erasure_list")
