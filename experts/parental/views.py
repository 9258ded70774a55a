"""A parent's consent through a link: the expert asks their parent (expert door), the parent
answers or withdraws through the link (no account), the coordinator sends the link again.

The link's page shows the expert's first name and, per purpose, what it means and whether a
parent or guardian gave it; nothing else about the expert. It answers once: after the parent's
answer it only withdraws, until it expires. An unknown token is 404, a link replaced by a newer
one or expired is 410, each with a page in plain Dutch that says what to do."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from experts.access import get_expert_for_user, get_own_expert
from experts.consents.forms import PurposeForm
from experts.consents.selectors import purpose_states
from experts.invitations.selectors import latest_invitation
from experts.middleware import open_while_waiting_for_parent
from experts.models import ParentalConsentRequest, ParentalLinkState
from samen.accounts.permissions import coordinator_required, expert_required
from samen.forms import add_service_errors

from . import services
from .forms import ParentAnswerForm, ParentAskForm, ResendForm
from .selectors import current_parental_request, link_for_token

# The expert's door --------------------------------------------------------------------------


@expert_required
@open_while_waiting_for_parent
@require_http_methods(["GET", "POST"])
def parent_ask(request: HttpRequest) -> HttpResponse:
    """The expert under 16 names their parent or guardian and their e-mail address; Samen
    sends them the link. Again, or to someone else: the link before stops working."""
    expert = get_own_expert(request)
    if not expert.needs_parental_consent:
        messages.info(
            request, _("You are 16 or older, so you decide about your consents yourself.")
        )
        return redirect("expert:my_consents")
    current = current_parental_request(expert)
    initial = {"latest": current.pk if current else 0}
    if current is not None:
        initial.update(
            parent_name=current.parent_name,
            parent_email=current.parent_email,
            relation=current.relation,
        )
    form = ParentAskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            asked = services.parental_consent_ask(
                expert=expert,
                parent_name=form.cleaned_data["parent_name"],
                parent_email=form.cleaned_data["parent_email"],
                relation=form.cleaned_data["relation"],
                requested_by=request.user,
                latest_seen=form.cleaned_data["latest"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Samen sends an e-mail with a link to %(email)s.")
                % {"email": asked.parent_email},
            )
            return redirect("expert:home")
    return render(
        request,
        "experts/parental/ask.html",
        {"form": form, "current": current},
        status=400 if form.errors else 200,
    )


# The coordinator's door ---------------------------------------------------------------------


@require_POST
@coordinator_required
def expert_parent_link_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the parent's link again, to the same parent and address, with a new link."""
    expert = get_expert_for_user(request, pk)
    form = ResendForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    try:
        asked = services.parental_consent_ask_again(
            expert=expert, requested_by=request.user, latest_seen=form.cleaned_data["latest"]
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The link was sent again to %(email)s. The link before no longer works.")
            % {"email": asked.parent_email},
        )
    return redirect("coordinator:expert_detail", pk=expert.pk)


# Without an account: the link -----------------------------------------------------------------

# The page for a link that does not open, and its status.
_CLOSED = {
    "unknown": 404,
    ParentalLinkState.REPLACED: 410,
    ParentalLinkState.EXPIRED: 410,
    "grown_up": 410,
}


def _closed(
    request: HttpRequest, link: ParentalConsentRequest | None, token: str
) -> HttpResponse | None:
    """The page for a link that no longer opens, or None for one that works."""
    if link is None:
        situation = "unknown"
    elif link.state() in (ParentalLinkState.REPLACED, ParentalLinkState.EXPIRED):
        situation = link.state()
    elif not link.expert.needs_parental_consent:
        situation = "grown_up"
    else:
        return None
    return _closed_page(request, situation, link, token)


def _closed_page(
    request: HttpRequest, situation: str, link: ParentalConsentRequest | None, token: str
) -> HttpResponse:
    return render(
        request,
        "experts/parental/closed.html",
        {
            "situation": situation,
            "link": link,
            "token": token,
            "child": link.expert.first_name if link else "",
        },
        status=_CLOSED.get(situation, 200),
    )


def _coordinator(link: ParentalConsentRequest):
    """Who to ask: the coordinator who invited the expert, when Samen knows them."""
    invitation = latest_invitation(link.expert)
    return invitation.sent_by if invitation is not None else None


@never_cache
@require_http_methods(["GET", "POST"])
def parental_consent(request: HttpRequest, token: str) -> HttpResponse:
    """The page the parent's link opens: per purpose what it means and its state; the form to
    answer (once); a button to withdraw what a parent gave."""
    link = link_for_token(token)
    closed = _closed(request, link, token)
    if closed is not None:
        return closed
    child = link.expert.first_name
    today = timezone.localdate()
    states = purpose_states(link.expert, on=today, child=child)
    form = None
    if link.answered_at is None:
        form = ParentAnswerForm(
            request.POST or None, states=[state for state in states if not state.given]
        )
    if request.method == "POST":
        if form is None:
            messages.info(request, _("Your answer was already recorded."))
            return redirect("parental_consent", token=token)
        if form.is_valid():
            try:
                services.parental_consent_answer(
                    request=link,
                    name=form.cleaned_data["name"],
                    answers=form.answers(),
                    today=today,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you. Your answer is recorded."))
                return redirect("parental_consent", token=token)
    return render(
        request,
        "experts/parental/link.html",
        {
            "link": link,
            "token": token,
            "child": child,
            "states": states,
            "form": form,
            # After the answer: a new link is worth asking for only to say yes to something.
            "can_say_yes": any(not state.given for state in states),
            "coordinator": _coordinator(link),
        },
        status=400 if form is not None and form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def parental_consent_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """Withdraw, through the link, one consent a parent gave (``?purpose=``): what that does
    first, then "yes, withdraw"."""
    link = link_for_token(token)
    closed = _closed(request, link, token)
    if closed is not None:
        return closed
    purpose_form = PurposeForm(request.POST if request.method == "POST" else request.GET)
    if not purpose_form.is_valid():
        return HttpResponseBadRequest()
    purpose = purpose_form.cleaned_data["purpose"]
    child = link.expert.first_name
    states = purpose_states(link.expert, on=timezone.localdate(), child=child)
    state = next(state for state in states if state.purpose == purpose)
    if request.method == "POST":
        try:
            withdrawn = services.parental_consent_withdraw(request=link, purpose=purpose)
        except ValidationError:
            return redirect("parental_consent", token=token)
        if withdrawn is not None:
            messages.success(
                request,
                _("The consent for “%(purpose)s” is withdrawn.") % {"purpose": state.label},
            )
        return redirect("parental_consent", token=token)
    return render(
        request,
        "experts/parental/withdraw.html",
        {"link": link, "token": token, "child": child, "state": state},
    )


@never_cache
@require_POST
def parental_consent_renew(request: HttpRequest, token: str) -> HttpResponse:
    """From an expired or answered link: send a new link to the address this one went to."""
    link = link_for_token(token)
    if link is None:
        return _closed_page(request, "unknown", None, token)
    state = link.state()
    if state == ParentalLinkState.REPLACED:
        return _closed_page(request, ParentalLinkState.REPLACED, link, token)
    if state not in services.RENEWABLE_STATES:
        return redirect("parental_consent", token=token)
    if services.parental_consent_renew(request=link) is None:
        return _closed_page(request, "grown_up", link, token)
    return _closed_page(request, "renewed", link, token)
