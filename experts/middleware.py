"""An expert under 16 without a parent's consent to take part waits: until that consent is in
force, every page of the expert's door sends them to their home page, which shows the waiting
state and lets them ask their parent (again). Only the pages marked
``open_while_waiting_for_parent`` stay open: home, the welcome, their consents, asking a
parent.

A middleware, not a check in each view: a page added to the door later is closed too without
remembering it. One query per page of the expert's door (``missing_parental_consent``), none
elsewhere."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert

View = Callable[..., HttpResponse]


def open_while_waiting_for_parent(view: View) -> View:
    """Mark a page of the expert's door that an expert waiting for a parent may open."""
    view.open_while_waiting_for_parent = True
    return view


def waiting_for_parent(request: HttpRequest) -> bool:
    """Whether the logged-in expert waits for a parent's consent to take part
    (``ExpertQuerySet.missing_parental_consent`` today). Asked once per request."""
    if not hasattr(request, "_waiting_for_parent"):
        request._waiting_for_parent = (
            Expert.objects.filter(user=request.user)
            .missing_parental_consent(on=timezone.localdate())
            .exists()
        )
    return request._waiting_for_parent


class WaitingForParentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: View, args, kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.namespace != "expert":
            return None
        user = getattr(request, "user", None)
        # Anyone else gets the door's own answer (log in, 403) from its decorator.
        if user is None or not user.is_authenticated or not user.is_expert:
            return None
        if getattr(view, "open_while_waiting_for_parent", False):
            return None
        if not waiting_for_parent(request):
            return None
        messages.info(
            request,
            _("You can use this page once your parent or guardian has given consent."),
        )
        return redirect("expert:home")
