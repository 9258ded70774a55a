from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a coordinator without MFA may still open: setting up MFA, logging out, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/health/")


class RequireMFAMiddleware:
    """Send coordinators and admins without a second factor to the MFA set-up page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.SAMEN_REQUIRE_MFA
            and user is not None
            and user.is_authenticated
            and user.needs_mfa
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _("Your role needs two-step login. Set it up first, then you can continue."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
