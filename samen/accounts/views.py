from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from samen import health as health_checks

from . import selectors, services
from .access import get_user_session_for_user
from .forms import LanguageForm
from .models import Door, Role
from .permissions import expert_required, lead_required

DOOR_HOMES = {
    Door.COORDINATOR: "coordinator:dashboard",
    Door.LEAD: "lead:home",
    Door.EXPERT: "expert:home",
}
# The doors with an account page of their own (``<door>:account``).
ACCOUNT_DOORS = {Door.EXPERT, Door.LEAD}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each visitor to the home page of their own door."""
    user = request.user
    if user.role == Role.ADMIN or user.is_superuser:
        return redirect("admin:index")
    if user.door is None:
        return render(request, "no_door.html", status=403)
    return redirect(DOOR_HOMES[user.door])


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the proxy, docker-compose and monitoring: the state of each part (database, cache,
    Celery broker) as JSON. 200 while the database answers, even with a part down (named in
    ``down``: the pages still answer); 503 when the database is down."""
    report, serving = health_checks.health()
    return JsonResponse(report, status=200 if serving else 503)


def _remember_language(response: HttpResponse, language: str) -> None:
    """The language cookie, as Django's ``set_language`` sets it: this browser's pages."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def language_set(request: HttpRequest) -> HttpResponse:
    """The language switch in the menu: Django's ``set_language`` (the cookie, back to the
    page), and for a logged-in user their language too, so their e-mails follow it."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        form = LanguageForm(request.POST)
        if form.is_valid():
            services.user_language_set(user=request.user, language=form.cleaned_data["language"])
    return response


def _account(request: HttpRequest) -> HttpResponse:
    """A user's own account: how they log in (password, the optional second step), where
    they are logged in, and their language. Experts and leads; coordinators and admins reach
    the same allauth pages from the menu's account pages."""
    user = request.user
    form = LanguageForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        services.user_language_set(user=user, language=language)
        translation.activate(language)  # the message below in the language just chosen
        messages.success(request, _("Your language is saved."))
        response = redirect(f"{request.resolver_match.namespace}:account")
        _remember_language(response, language)
        return response
    sessions = selectors.sessions_of(user, current_key=request.session.session_key)
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "session_count": len(sessions),
            "second_step": selectors.has_second_step(user),
        },
        status=400 if form.errors else 200,
    )


expert_account = expert_required(require_http_methods(["GET", "POST"])(_account))
lead_account = lead_required(require_http_methods(["GET", "POST"])(_account))


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest) -> HttpResponse:
    """Where the user is logged in (allauth's ``usersessions_list``, drawn by Samen): each
    session's browser, IP address, login and last visit. POST logs out everywhere else."""
    current_key = request.session.session_key
    if request.method == "POST":
        others = list(
            UserSession.objects.filter(user=request.user).exclude(session_key=current_key)
        )
        services.sessions_end(request=request, sessions=others)
        messages.success(request, _("You are logged out everywhere else."))
        return redirect("usersessions_list")
    rows = selectors.sessions_of(request.user, current_key=current_key)
    door = request.user.door
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": rows,
            "others": [row for row in rows if not row.is_current],
            "account_url_name": f"{door}:account" if door in ACCOUNT_DOORS else "",
        },
    )


@login_required
@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Log out on one device: one of the user's own sessions (404 for anyone else's)."""
    session = get_user_session_for_user(request, pk)
    device = selectors.describe_device(session.user_agent)
    current = session.session_key == request.session.session_key
    services.sessions_end(request=request, sessions=[session])
    if current:
        return redirect(settings.LOGIN_URL)
    messages.success(request, _("You are logged out on %(device)s.") % {"device": device})
    return redirect("usersessions_list")
