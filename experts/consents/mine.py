"""The expert's own consents (``/mijn/toestemming/``): each purpose with what it means and its
state; giving or withdrawing one, with what that does said first; and the yes-or-no per
purpose after the welcome. Recorded online by the same services as everywhere, with the
expert as the giver and their account as who recorded it.

Under 16 a parent or guardian decides, through the link in their e-mail: these pages show the
state and send the expert to ask their parent instead."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from experts.access import get_own_expert
from experts.middleware import open_while_waiting_for_parent
from experts.parental.selectors import current_parental_request
from samen.accounts.permissions import expert_required

from . import services
from .forms import ConsentChoicesForm, PurposeForm
from .selectors import purpose_states


def _parent_decides(request: HttpRequest) -> HttpResponse:
    messages.info(
        request,
        _("You are under 16, so your parent or guardian decides. Samen asks them by e-mail."),
    )
    return redirect("expert:parent_ask")


@expert_required
@open_while_waiting_for_parent
@require_GET
def my_consents(request: HttpRequest) -> HttpResponse:
    """Every purpose: what it means, whether it is given (by whom, since when) or withdrawn,
    and a button to give or withdraw it. Under 16: the same, and the parent's link."""
    expert = get_own_expert(request)
    today = timezone.localdate()
    under_16 = expert.needs_parental_consent_on(today)
    return render(
        request,
        "experts/consents/mine.html",
        {
            "expert": expert,
            "states": purpose_states(expert, on=today),
            "under_16": under_16,
            "parent_link": current_parental_request(expert) if under_16 else None,
        },
    )


@expert_required
@open_while_waiting_for_parent
@require_http_methods(["GET", "POST"])
def my_consents_choose(request: HttpRequest) -> HttpResponse:
    """Yes or no for every purpose not given yet, in one form (after the welcome). A yes is
    recorded, a no leaves it open; the same form sent twice records nothing twice."""
    expert = get_own_expert(request)
    today = timezone.localdate()
    if expert.needs_parental_consent_on(today):
        return _parent_decides(request)
    states = [state for state in purpose_states(expert, on=today) if not state.given]
    form = ConsentChoicesForm(request.POST or None, states=states)
    if request.method == "POST" and form.is_valid():
        yes = [purpose for purpose, answer in form.answers().items() if answer]
        try:
            services.consents_give_online(
                expert=expert, purposes=yes, recorded_by=request.user, today=today
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("Your choices are saved. You can change them on “My consents” at any time."),
            )
            return redirect("expert:home")
    return render(
        request,
        "experts/consents/choose.html",
        {"form": form, "nothing_to_choose": not states},
        status=400 if form.errors else 200,
    )


def _purpose(request: HttpRequest) -> str | None:
    form = PurposeForm(request.POST if request.method == "POST" else request.GET)
    return form.cleaned_data["purpose"] if form.is_valid() else None


@expert_required
@open_while_waiting_for_parent
@require_http_methods(["GET", "POST"])
def my_consent_give(request: HttpRequest) -> HttpResponse:
    """Give one consent (``?purpose=``): what it means first, then "yes, I agree"."""
    purpose = _purpose(request)
    if purpose is None:
        return HttpResponseBadRequest()
    expert = get_own_expert(request)
    today = timezone.localdate()
    if expert.needs_parental_consent_on(today):
        return _parent_decides(request)
    state = next(state for state in purpose_states(expert, on=today) if state.purpose == purpose)
    if request.method == "POST":
        try:
            services.consents_give_online(
                expert=expert, purposes=[purpose], recorded_by=request.user, today=today
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("You gave consent for “%(purpose)s”.") % {"purpose": state.label},
            )
        return redirect("expert:my_consents")
    return render(request, "experts/consents/give.html", {"state": state})


@expert_required
@open_while_waiting_for_parent
@require_http_methods(["GET", "POST"])
def my_consent_withdraw(request: HttpRequest) -> HttpResponse:
    """Withdraw one consent (``?purpose=``) from today: what that does first, then "yes,
    withdraw". Withdrawing twice changes nothing."""
    purpose = _purpose(request)
    if purpose is None:
        return HttpResponseBadRequest()
    expert = get_own_expert(request)
    today = timezone.localdate()
    if expert.needs_parental_consent_on(today):
        return _parent_decides(request)
    state = next(state for state in purpose_states(expert, on=today) if state.purpose == purpose)
    if request.method == "POST":
        withdrawn = services.consent_withdraw_online(
            expert=expert, purpose=purpose, withdrawn_by=request.user, today=today
        )
        if withdrawn is not None:
            messages.success(
                request,
                _("You withdrew your consent for “%(purpose)s”.") % {"purpose": state.label},
            )
        return redirect("expert:my_consents")
    return render(request, "experts/consents/withdraw_mine.html", {"state": state})
