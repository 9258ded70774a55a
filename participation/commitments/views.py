"""The expert's page of commitments (``/mijn/afspraken/``): their placements with the
agreements, the proposals to answer, the coming meetings with their answer, and their calendar
link. Plus that calendar link itself, which needs no login: its token is the key."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from experts.access import get_own_expert
from participation.access import get_match_for_user, get_meeting_for_user
from participation.attendance.services import attendance_answer
from participation.models import AttendanceStatus, Match, MatchSide, MatchStatus
from participation.requests import services as request_services
from samen.accounts.permissions import expert_required

from . import selectors, services
from .calendar import calendar_file
from .forms import MeetingAnswerForm, ProposalAnswerForm
from .models import CalendarFeed


def _render_page(
    request: HttpRequest, *, bound: ProposalAnswerForm | None = None, bound_pk: int | None = None
) -> HttpResponse:
    try:
        expert = get_own_expert(request)
    except Http404:
        return render(request, "participation/commitments/page.html", {"expert": None})
    found = selectors.commitments_for(expert, now=timezone.now())
    for match in found.to_answer:
        match.answer_form = bound if match.pk == bound_pk else ProposalAnswerForm()
    feed = CalendarFeed.objects.filter(expert=expert).first()
    feed_url = (
        request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""
    )
    return render(
        request,
        "participation/commitments/page.html",
        {
            "expert": expert,
            "commitments": found,
            "feed_url": feed_url,
            "coming": AttendanceStatus.COMING,
            "declined": AttendanceStatus.DECLINED,
        },
        status=400 if bound is not None else 200,
    )


@expert_required
@require_GET
def commitments(request: HttpRequest) -> HttpResponse:
    return _render_page(request)


def _back_to(anchor: str) -> HttpResponse:
    return redirect(reverse("expert:commitments") + f"#{anchor}")


@require_POST
@expert_required
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's own answer to a proposal, recorded as the coordinator records it: yes,
    or no with the reason. Sending the same answer twice changes nothing."""
    match = get_match_for_user(
        request, pk, write=True, queryset=Match.objects.select_related("request")
    )
    form = ProposalAnswerForm(request.POST)
    if not form.is_valid():
        return _render_page(request, bound=form, bound_pk=match.pk)
    try:
        if form.cleaned_data["answer"] == ProposalAnswerForm.YES:
            match = request_services.match_confirm(
                match=match, side=MatchSide.EXPERT, by=request.user
            )
        else:
            match = request_services.match_decline(
                match=match,
                side=MatchSide.EXPERT,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
    except ValidationError:
        # The service's messages speak to the coordinator; the expert gets their own.
        if match.status != MatchStatus.PROPOSED:
            messages.error(request, _("This question is already closed. Your answer is not saved."))
        else:
            messages.error(
                request,
                _(
                    "Your answer is not saved yet: the coordinator still has to write down "
                    "what is expected and how much time it takes. Ask the coordinator."
                ),
            )
        return _back_to("proposals-heading")
    if match.is_confirmed:
        messages.success(request, _("Thank you! Both sides said yes, so it is settled."))
    elif match.status == MatchStatus.DECLINED:
        messages.success(request, _("Thank you for your answer. We told the coordinator."))
    else:
        messages.success(
            request, _("Thank you! You said yes. We are now waiting for the other side.")
        )
    return _back_to("proposals-heading")


@require_POST
@expert_required
def meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert says whether they come to one of their meetings. Only for themselves: the
    expert is the logged-in one, never an id from the form."""
    meeting = get_meeting_for_user(request, pk, write=True)
    expert = get_own_expert(request)
    form = MeetingAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["answer"]))
        return _back_to(f"meeting-{meeting.pk}")
    try:
        attendance_answer(meeting=meeting, expert=expert, status=form.cleaned_data["answer"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to(f"meeting-{meeting.pk}")
    if form.cleaned_data["answer"] == AttendanceStatus.COMING:
        text = _("Nice that you are coming to “%(meeting)s”.")
    else:
        text = _("Thank you for letting us know that you are not coming to “%(meeting)s”.")
    messages.success(request, text % {"meeting": meeting.title})
    return _back_to(f"meeting-{meeting.pk}")


@require_POST
@expert_required
def calendar_feed_renew(request: HttpRequest) -> HttpResponse:
    """Make the expert's calendar link, or a new one in its place (the old one stops)."""
    expert = get_own_expert(request)
    had_one = CalendarFeed.objects.filter(expert=expert).exists()
    services.calendar_feed_renew(expert=expert)
    if had_one:
        messages.success(
            request,
            _("You have a new calendar link. The old link no longer works."),
        )
    else:
        messages.success(request, _("Your calendar link is ready."))
    return _back_to("calendar-heading")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The expert's meetings and placements as an iCalendar file, for a calendar app. No
    login: the random token is the key, and a replaced token is 404. Never cached by anyone
    but the calendar app itself."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("expert"), token=token)
    now = timezone.now()
    meetings, placements = selectors.calendar_items(feed.expert, now=now)
    # A calendar app sends its own language, or none; the expert reads Samen in its language.
    with translation.override(settings.LANGUAGE_CODE):
        content = calendar_file(meetings, placements, now=now)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="samen.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
