from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samen.accounts.permissions import coordinator_required, lead_required

from ..selectors import networks_for_lead, networks_with_composition


@coordinator_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinator's morning screen: the state of every network."""
    networks = list(networks_with_composition())
    return render(
        request,
        "participation/dashboard.html",
        {
            "networks": networks,
            "networks_without_parents": [n for n in networks if n.without_parents],
        },
    )


@lead_required
def lead_home(request: HttpRequest) -> HttpResponse:
    """A lead's own networks and the experts in them."""
    return render(
        request, "participation/lead_home.html", {"networks": networks_for_lead(request.user)}
    )
