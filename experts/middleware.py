"""An expert under 16 without a parent's consent to take part waits: until that consent is in
force, every page of the expert's door sends them to their home page, which shows the waiting
state and lets them ask their parent (again). Only the pages marked
``open_while_waiting_for_parent`` stay open: home, the welcome, their consents, asking a
parent.

A middleware, not a check in each view: a page added to the door later is closed too without
remembering it. It reads the expert's record with the answer (``experts.access.own_expert``),
once per request, and ``get_own_expert`` hands the page that same record: a page that reaches
the expert through it costs no query more. Nothing is read outside the expert's door."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from experts.access import own_expert

View = Callable[..., HttpResponse]


def open_while_waiting_for_parent(view: View) -> View:
    """Mark a page of the expert's door that an expert waiting for a parent may open."""
    view.open_while_waiting_for_parent = True
    return view


def waiting_for_parent(request: HttpRequest) -> bool:
    """Whether the logged-in expert waits for a parent's consent to take part
    (``ExpertQuerySet.missing_parental_consent`` today), read with their record
    (``own_expert``): the page's ``get_own_expert`` costs no second query."""
    expert = own_expert(request)
    return expert is not None and expert.is_waiting_for_parent


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
