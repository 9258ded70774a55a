"""Invitations: the coordinator invites an expert, sees every invitation, sends one again or
withdraws it; the person who got the e-mail opens its link."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from experts.access import get_expert_for_user, get_invitation_for_user
from experts.models import InvitationState
from samen.accounts.permissions import coordinator_required
from samen.params import page_of, safe_next

from . import selectors
from .filters import InvitationFilter
from .services import (
    expert_invite,
    invitation_resend,
    invitation_set_password_path,
    invitation_withdraw,
)

PAGE_SIZE = 25


class _TimesSentForm(forms.Form):
    """How often the invitation had been sent on the page the button was on: a second click
    of the same button then sends nothing twice."""

    times_sent = forms.IntegerField(min_value=0, max_value=32767)


def _times_sent(request: HttpRequest, *, required: bool) -> int | None:
    """The posted ``times_sent``; None when it may be left out and was. Raises ValueError for a
    value that no button of Samen sends."""
    if not required and "times_sent" not in request.POST:
        return None
    form = _TimesSentForm(request.POST)
    if not form.is_valid():
        raise ValueError
    return form.cleaned_data["times_sent"]


@require_POST
@coordinator_required
def expert_invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the expert to their account by e-mail, or invite them again."""
    expert = get_expert_for_user(request, pk)
    try:
        times_sent = _times_sent(request, required=False)
    except ValueError:
        return HttpResponseBadRequest()
    try:
        invitation = expert_invite(expert=expert, sent_by=request.user, times_sent=times_sent)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The invitation was sent to %(email)s.") % {"email": invitation.email},
        )
    return redirect("coordinator:expert_detail", pk=expert.pk)


@coordinator_required
@require_GET
def invitation_list(request: HttpRequest) -> HttpResponse:
    """Every invitation, newest first, 25 per page: who, sent when and by whom, valid until,
    and its state; open and expired ones can be sent again or withdrawn."""
    invitations = InvitationFilter(request.GET, queryset=selectors.invitations_overview())
    page = page_of(request, invitations.qs, PAGE_SIZE)
    # The tabs count what the search finds, in every state.
    searched = selectors.invitations_overview()
    if words := invitations.form.cleaned_data.get("q"):
        searched = invitations.filter_search(searched, "q", words)
    counts = selectors.invitation_state_counts(searched)
    return render(
        request,
        "experts/invitations/list.html",
        {
            "filter": invitations,
            "page": page,
            "selected_state": invitations.form.cleaned_data.get("state"),
            "state_tabs": [(state, state.label, counts[state]) for state in InvitationState],
            "total": sum(counts.values()),
            "states": InvitationState,
            "valid_days": settings.SAMEN_INVITATION_DAYS,
        },
    )


def _back_to_overview(request: HttpRequest):
    """Back to the overview as it was (its filters and page), never to another site or page."""
    overview = reverse("coordinator:invitation_list")
    return redirect(safe_next(request, overview, within=overview))


@require_POST
@coordinator_required
def invitation_resend_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an open or expired invitation again, with a new link and a new validity."""
    invitation = get_invitation_for_user(request, pk)
    try:
        times_sent = _times_sent(request, required=True)
    except ValueError:
        return HttpResponseBadRequest()
    try:
        sent = invitation_resend(invitation=invitation, sent_by=request.user, times_sent=times_sent)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if sent:
            messages.success(
                request,
                _(
                    "The invitation was sent again to %(email)s, with a new link. "
                    "The link in the earlier e-mail no longer works."
                )
                % {"email": invitation.email},
            )
        else:
            messages.info(request, _("This invitation had already been sent again."))
    return _back_to_overview(request)


@require_POST
@coordinator_required
def invitation_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an open or expired invitation: its link stops working."""
    invitation = get_invitation_for_user(request, pk)
    try:
        invitation_withdraw(invitation=invitation, withdrawn_by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn. Its link no longer works.")
            % {"email": invitation.email},
        )
    return _back_to_overview(request)


# What the page says about a link that does not lead on, and its status: 404 for a link Samen
# does not know, 410 for one that worked once.
_LINK_PAGES = {
    "unknown": 404,
    "expired": 410,
    "withdrawn": 410,
    "replaced": 410,
    "accepted": 200,
}


@never_cache
@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation's e-mail, for anyone who has it. A working link leads on to
    allauth's page to choose a password; any other gets a page that says what happened and
    what to do next."""
    invitation, latest = selectors.invitation_for_link(token)
    if invitation is None:
        situation = "unknown"
    else:
        state = invitation.state()
        user = invitation.expert.user
        if state == InvitationState.ACCEPTED:
            situation = "accepted"
        elif state == InvitationState.WITHDRAWN:
            situation = "withdrawn"
        elif not latest:
            situation = "replaced"
        elif state == InvitationState.EXPIRED:
            situation = "expired"
        elif user is None or not user.is_active or user.email.lower() != invitation.email.lower():
            # The account was removed, switched off or given another address since.
            situation = "withdrawn"
        else:
            return redirect(invitation_set_password_path(user))
    return render(
        request,
        "experts/invitations/link.html",
        {"situation": situation, "invitation": invitation},
        status=_LINK_PAGES[situation],
    )
