"""An expert's profile: the expert's own pages (expert door: the home page, and "my profile"
with a short form per part) and the coordinator's form to add or change an expert
(coordinator door)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from experts.access import get_away_period_for_user, get_expert_for_user, get_own_expert
from experts.middleware import open_while_waiting_for_parent, waiting_for_parent
from experts.models import Expert
from experts.parental.selectors import current_parental_request
from samen.accounts.permissions import coordinator_required, expert_required
from samen.forms import add_service_errors

from . import services
from .forms import (
    AwayPeriodForm,
    ExpertForm,
    OwnAvailabilityForm,
    OwnContactForm,
    OwnGrowthForm,
    OwnSharingForm,
    OwnThemesForm,
)
from .selectors import expert_for_user, shared_profiles, times_by_day, with_own_profile


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


# The expert's own profile (``/mijn/profiel/``): an overview, and a short form per part.


def _own_expert(request: HttpRequest) -> Expert:
    return with_own_profile(get_own_expert(request), today=timezone.localdate())


def _lead_view(expert: Expert):
    """The expert as a lead of their networks sees them: the one selector for it, so the
    preview cannot differ from the lead's page. None when leads see nothing of them."""
    return shared_profiles(Expert.objects.filter(pk=expert.pk)).get(expert.pk)


@expert_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    """Everything the expert told Samen about themselves, part by part, each with a link to
    change it, and what network leads see of them."""
    expert = _own_expert(request)
    return render(
        request,
        "experts/profiles/mine.html",
        {"expert": expert, "times": times_by_day(expert), "lead_view": _lead_view(expert)},
    )


def _own_part(
    request: HttpRequest,
    *,
    form_class: type[forms.Form],  # its cleaned data are expert_profile_update's arguments
    template: str,
    saved: str,
    back_to: str = "expert:profile",
    context: Callable[[Expert], dict[str, Any]] | None = None,
) -> HttpResponse:
    """One part of the profile: its form, saved through ``expert_profile_update``."""
    expert = _own_expert(request)
    form = form_class(request.POST or None, expert=expert)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_profile_update(expert=expert, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, saved)
            return redirect(back_to)
    extra = context(expert) if context else {}
    return render(request, template, {"form": form, "expert": expert, **extra})


@expert_required
@require_http_methods(["GET", "POST"])
def profile_contact(request: HttpRequest) -> HttpResponse:
    """The expert's e-mail address, phone number and place, and how the coordinator may
    reach them (at least one way)."""
    return _own_part(
        request,
        form_class=OwnContactForm,
        template="experts/profiles/mine_contact.html",
        saved=_("Your contact details are saved."),
    )


@expert_required
@require_http_methods(["GET", "POST"])
def profile_availability(request: HttpRequest) -> HttpResponse:
    """Hours per month, the days and parts of the day the expert is usually free, online or
    on site; and the periods they are away, to add, change or remove."""
    return _own_part(
        request,
        form_class=OwnAvailabilityForm,
        template="experts/profiles/mine_availability.html",
        saved=_("Your time is saved."),
        context=lambda expert: {"today": timezone.localdate()},
    )


@expert_required
@require_http_methods(["GET", "POST"])
def profile_themes(request: HttpRequest) -> HttpResponse:
    """The expert's lived-experience themes: private, only they and the coordinators see them."""
    return _own_part(
        request,
        form_class=OwnThemesForm,
        template="experts/profiles/mine_themes.html",
        saved=_("Your themes are saved."),
    )


@expert_required
@require_http_methods(["GET", "POST"])
def profile_growth(request: HttpRequest) -> HttpResponse:
    """Roles the expert wants to grow in, what they want to get out of it, the support they
    need."""
    return _own_part(
        request,
        form_class=OwnGrowthForm,
        template="experts/profiles/mine_growth.html",
        saved=_("Your wishes are saved."),
    )


@expert_required
@require_http_methods(["GET", "POST"])
def profile_sharing(request: HttpRequest) -> HttpResponse:
    """What network leads may see: the introduction, and the e-mail address and phone number
    when the expert shares them; with a preview exactly as a lead sees it. After saving, the
    page comes back with the new preview."""
    return _own_part(
        request,
        form_class=OwnSharingForm,
        template="experts/profiles/mine_sharing.html",
        saved=_("Your choices are saved. Below you see what leads see now."),
        back_to="expert:profile_sharing",
        context=lambda expert: {
            "lead_view": _lead_view(expert),
            "needs_sharing_consent": _needs_sharing_consent(expert),
        },
    )


def _needs_sharing_consent(expert: Expert) -> bool:
    """The expert chose to share contact details, but leads do not see them: the consent to
    share them is not in force (``ExpertQuerySet.with_contact_for_leads``)."""
    chose = expert.share_email_with_leads or expert.share_phone_with_leads
    return chose and not expert.consents.to_share_contact_details().in_force().exists()


@expert_required
@require_http_methods(["GET", "POST"])
def away_create(request: HttpRequest) -> HttpResponse:
    """Add a period the expert is away: they are not asked then."""
    expert = get_own_expert(request)
    form = AwayPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.away_period_add(expert=expert, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The period is saved. You will not be asked then."))
            return redirect("expert:profile_availability")
    return render(request, "experts/profiles/away_form.html", {"form": form, "period": None})


@expert_required
@require_http_methods(["GET", "POST"])
def away_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one of the expert's own away periods."""
    period = get_away_period_for_user(request, pk)
    form = AwayPeriodForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            services.away_period_change(period=period, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The period is changed."))
            return redirect("expert:profile_availability")
    return render(request, "experts/profiles/away_form.html", {"form": form, "period": period})


@expert_required
@require_http_methods(["GET", "POST"])
def away_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then remove one of the expert's own away periods."""
    period = get_away_period_for_user(request, pk)
    if request.method == "POST":
        services.away_period_remove(period=period)
        messages.success(request, _("The period is removed."))
        return redirect("expert:profile_availability")
    return render(request, "experts/profiles/away_delete.html", {"period": period})
