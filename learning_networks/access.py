"""Who may open which network, for every door. Views fetch networks through this helper only.

404 when the user may not see the network; PermissionDenied when they may see it but not
change it."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import LearningNetwork


def get_network_for_user(
    request: HttpRequest,
    pk: int,
    *,
    write: bool = False,
    queryset: QuerySet[LearningNetwork] | None = None,
) -> LearningNetwork:
    """A coordinator sees and changes every network. A lead sees the networks they lead and
    cannot change a network's settings (target, group size, leads: the coordinator's work).
    An expert reaches a network only through their own placement, never by its id."""
    user = request.user
    networks = LearningNetwork.objects.all() if queryset is None else queryset
    if user.is_coordinator:
        return get_object_or_404(networks, pk=pk)
    if user.is_lead:
        network = get_object_or_404(networks.led_by(user), pk=pk)
        if write:
            raise PermissionDenied
        return network
    raise Http404
