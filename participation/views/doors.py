from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samen.accounts.permissions import lead_required

from ..selectors import networks_for_lead
from .dashboard import dashboard

__all__ = ["dashboard", "lead_home"]


@lead_required
def lead_home(request: HttpRequest) -> HttpResponse:
    """A lead's own networks and the experts in them."""
    return render(
        request, "participation/lead_home.html", {"networks": networks_for_lead(request.user)}
    )
