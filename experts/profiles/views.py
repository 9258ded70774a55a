"""An expert's profile: the expert's own page (expert door) and the coordinator's form to add or
change an expert (coordinator door)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from experts.access import get_expert_for_user, get_own_expert
from experts.middleware import open_while_waiting_for_parent, waiting_for_parent
from experts.models import Expert
from experts.parental.selectors import current_parental_request
from samen.accounts.permissions import coordinator_required, expert_required
from samen.forms import add_service_errors

from . import services
from .forms import ExpertForm
from .selectors import expert_for_user


@expert_required
@open_while_waiting_for_parent
def home(request: HttpRequest) -> HttpResponse:
    """The expert's own page: profile, availability, consents and trainings. The first time,
    the welcome comes first. An expert under 16 without a parent's consent to take part sees
    the waiting state instead: who was asked, and a way to ask (again)."""
    expert = expert_for_user(request.user)
    if expert is not None and expert.welcomed_at is None:
        return redirect("expert:welcome")
    waiting = expert is not None and waiting_for_parent(request)
    return render(
        request,
        "experts/profiles/home.html",
        {
            "expert": expert,
            "waiting": waiting,
            "parent_link": current_parental_request(expert) if waiting else None,
        },
    )


class _WelcomeForm(forms.Form):
    """Where to go after the welcome: choosing consents now, or later."""

    then = forms.ChoiceField(choices=[("consents", "consents"), ("later", "later")])


@expert_required
@open_while_waiting_for_parent
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    """The welcome of the expert's own door, in plain words: what Samen is, what it keeps
    about you, who sees it and why. Then on to the consents (or later: the home page, where
    the welcome can be read again)."""
    expert = get_own_expert(request)
    if request.method == "POST":
        form = _WelcomeForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest()
        services.expert_welcome_seen(expert=expert)
        if form.cleaned_data["then"] == "later":
            return redirect("expert:home")
        return redirect("expert:my_consents_choose")
    return render(
        request,
        "experts/profiles/welcome.html",
        {"expert": expert, "first_time": expert.welcomed_at is None},
    )


def _save_form(form: ExpertForm, expert: Expert | None) -> Expert | None:
    """Write through the service; its validation errors land on the form."""
    try:
        if expert is None:
            return services.expert_create(**form.service_kwargs())
        return services.expert_update(expert=expert, **form.service_kwargs())
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _after_save(request: HttpRequest, expert: Expert, text: str) -> HttpResponse:
    messages.success(request, text)
    if expert.is_missing_parental_consent(on=timezone.localdate()):
        messages.warning(
            request,
            _(
                "This expert is under 16. Record the consent of a parent or guardian "
                "before they take part."
            ),
        )
    return redirect("coordinator:expert_detail", pk=expert.pk)


@coordinator_required
@require_http_methods(["GET", "POST"])
def expert_create(request: HttpRequest) -> HttpResponse:
    """Register a new expert."""
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expert = _save_form(form, None)
        if expert is not None:
            return _after_save(request, expert, _("The expert was added."))
    return render(request, "experts/profiles/form.html", {"form": form, "expert": None})


@coordinator_required
@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an expert's profile."""
    expert = get_expert_for_user(
        request, pk, queryset=Expert.objects.prefetch_related("preferred_roles")
    )
    form = ExpertForm(request.POST or None, instance=expert)
    if request.method == "POST" and form.is_valid():
        saved = _save_form(form, expert)
        if saved is not None:
            return _after_save(request, saved, _("The changes were saved."))
    return render(request, "experts/profiles/form.html", {"form": form, "expert": expert})
