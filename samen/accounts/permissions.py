"""Door checks: one decorator per door. Anonymous visitors go to the login page; a logged-in
visitor of another door gets 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def _door(check: Callable[[object], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


coordinator_required = _door(lambda user: user.is_coordinator)
lead_required = _door(lambda user: user.is_lead)
expert_required = _door(lambda user: user.is_expert)
