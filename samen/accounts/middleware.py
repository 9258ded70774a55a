import hashlib
import time
from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

# Paths a coordinator without MFA may still open: setting up MFA, logging out, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/health/")


class NoStoreForUsersMiddleware:
    """Every answer to a logged-in user says ``Cache-Control: private, no-store``: their pages
    hold personal data, which no browser cache (the back button after logging out, a shared
    computer) or proxy may keep. An answer that sets its own Cache-Control (a download,
    ``never_cache``) keeps it: the view decided."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


def passed_second_step(request: HttpRequest) -> bool:
    """Whether this session's login included a second step (a code from the app or a recovery
    code). allauth records every step of a login in the session; having set up MFA is not
    enough, a session opened another way (a password alone) has no "mfa" record."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class RequireMFAMiddleware:
    """Coordinators and admins must have passed the second step in this session: without a
    second factor they are sent to set one up, with one to enter a code."""

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
            # Read from the session first: a session that passed the second step costs no query.
            and not passed_second_step(request)
        ):
            if not is_mfa_enabled(user):
                messages.warning(
                    request,
                    _("Your role needs two-step login. Set it up first, then you can continue."),
                )
                return redirect(reverse("mfa_activate_totp"))
            messages.warning(
                request, _("Your role needs two-step login. Enter the code from your app.")
            )
            next_path = request.get_full_path() if request.method == "GET" else "/"
            return redirect_to_login(next_path, reverse("mfa_reauthenticate"))
        return self.get_response(request)


# When a coordinator's or admin's session began and when they last did something (seconds
# since the epoch). Stored in the session, so the server decides, not the browser's cookie.
SESSION_STARTED_KEY = "samen_session_started"
SESSION_ACTIVE_KEY = "samen_session_active"
# The last activity is written at most this often: a session write on every request would cost
# a database write per page; the idle time is then at most this much longer than the setting.
ACTIVITY_WRITE_SECONDS = 60


def start_staff_session(sender, request: HttpRequest, user, **kwargs) -> None:
    """At login (``user_logged_in``): the clock of a coordinator's or admin's session starts,
    and the session ends when the browser closes. Done here rather than on the first page, so
    that page does not write the session once more."""
    if user.needs_mfa and hasattr(request, "session"):
        _start(request.session, time.time())


def _start(session, now: float) -> None:
    session[SESSION_STARTED_KEY] = session[SESSION_ACTIVE_KEY] = now
    session.set_expiry(0)


class StaffSessionTimeoutMiddleware:
    """Coordinators and admins see special-category data, so their session ends after
    SAMEN_STAFF_IDLE_MINUTES without a request, after SAMEN_STAFF_SESSION_HOURS in any case,
    and when the browser closes (no "remember me"). Experts and leads keep the normal session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.needs_mfa:
            ended = self._end_if_expired(request)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _end_if_expired(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        now = time.time()
        started = session.get(SESSION_STARTED_KEY)
        active = session.get(SESSION_ACTIVE_KEY)
        if not isinstance(started, int | float) or not isinstance(active, int | float):
            # A session from before these limits, or a user who became a coordinator.
            _start(session, now)
            return None
        idle_minutes = settings.SAMEN_STAFF_IDLE_MINUTES
        max_hours = settings.SAMEN_STAFF_SESSION_HOURS
        if now - active > idle_minutes * 60:
            reason = _(
                "You were logged out because you did nothing for %(minutes)s minutes. "
                "Log in again to continue."
            ) % {"minutes": idle_minutes}
        elif now - started > max_hours * 3600:
            reason = _(
                "You were logged out because you were logged in for %(hours)s hours. "
                "Log in again to continue."
            ) % {"hours": max_hours}
        else:
            if now - active > ACTIVITY_WRITE_SECONDS:
                session[SESSION_ACTIVE_KEY] = now
            if not session.get_expire_at_browser_close():
                # allauth's "remember me" set a lasting cookie after the login stamped it.
                session.set_expiry(0)
            return None
        logout(request)
        messages.info(request, reason)
        return _to_login(request)


def _to_login(request: HttpRequest) -> HttpResponse:
    """Back to the login page; after logging in, to the page asked for (a GET only)."""
    if request.htmx:
        # A fragment would put the login page inside the page; htmx loads it as a whole.
        return HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
    if request.method == "GET":
        return redirect_to_login(request.get_full_path())
    return redirect(settings.LOGIN_URL)


# A session whose login allauth recorded (``UserSession``): only those have a "last seen".
SESSION_RECORDED_KEY = "samen_session_recorded"
# "Last seen" is written at most this often per session: a write on every page would cost a
# query per request (allauth's USERSESSIONS_TRACK_ACTIVITY does that, so it is off).
LAST_SEEN_WRITE_SECONDS = 300


def mark_recorded_session(sender, request: HttpRequest, **kwargs) -> None:
    """At a login through allauth (its ``user_logged_in``, after which it has recorded the
    session): this session has a record whose "last seen" is kept."""
    if hasattr(request, "session"):
        request.session[SESSION_RECORDED_KEY] = True


class SessionLastSeenMiddleware:
    """Keeps "last seen" of the user's sessions (their sessions page) up to date within
    LAST_SEEN_WRITE_SECONDS: one UPDATE per session at most that often, remembered in the
    cache, never in the session (a session write would move its expiry). A session that
    was ended or timed out has no user here and is not touched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            user is not None
            and user.is_authenticated
            and session is not None
            and session.session_key
            and session.get(SESSION_RECORDED_KEY)
        ):
            key = "samen:seen:" + hashlib.sha256(session.session_key.encode()).hexdigest()
            if cache.add(key, 1, timeout=LAST_SEEN_WRITE_SECONDS):
                UserSession.objects.filter(session_key=session.session_key, user_id=user.pk).update(
                    last_seen_at=timezone.now()
                )
        return self.get_response(request)
