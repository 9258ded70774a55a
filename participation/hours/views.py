"""The coordinator's page of hours waiting for approval."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samen.accounts.permissions import coordinator_required

from . import selectors

WAITING_PER_PAGE = 50


@coordinator_required
@require_GET
def activity_waiting(request: HttpRequest) -> HttpResponse:
    """Hours that experts logged and that still wait for the coordinator's approval."""
    page = Paginator(selectors.waiting_activity_logs(), WAITING_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participation/hours/waiting.html",
        {"page": page},
    )
