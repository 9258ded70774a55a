"""The coordinator's requests and matches: list, detail with ranked suggestions, create and
edit, propose experts, record each side's answer, and the matches waiting for an answer.

Every page here is for coordinators (and admins) only; they see every request."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts.models import Expertise, ExpertKind
from participation.access import (
    get_match_for_user,
    get_request_for_user,
    matches_visible_to,
    requests_visible_to,
)
from participation.models import ExpertiseWanted, Match, MatchStatus, Perspective, Request
from participation.registry.filters import CONSENT_MISSING
from samen.accounts.permissions import coordinator_required
from samen.forms import add_service_errors
from samen.params import page_of, safe_next

from . import services
from .forms import (
    WAITING_YES,
    MatchAnswerForm,
    MatchFilterForm,
    MatchProposeForm,
    RequestFilterForm,
    RequestForm,
)
from .matching import LeftOut, suggestions_for_request

PAGE_SIZE = 25


def _match_counts(requests: QuerySet[Request]) -> QuerySet[Request]:
    return requests.annotate(
        proposed_count=Count("matches", filter=Q(matches__status=MatchStatus.PROPOSED)),
        confirmed_count=Count(
            "matches", filter=Q(matches__status__in=[MatchStatus.CONFIRMED, MatchStatus.DONE])
        ),
        closed_count=Count(
            "matches",
            filter=Q(matches__status__in=[MatchStatus.DECLINED, MatchStatus.WITHDRAWN]),
        ),
    )


@coordinator_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Every request, newest first, with its matches counted by state; 25 per page. Filters:
    the status, ``?waiting=yes`` for the requests still waiting for a match
    (``RequestQuerySet.waiting_for_match``, as the dashboard counts them), and
    ``?organisation=<pk>`` for one organisation's requests."""
    form = RequestFilterForm(request.GET)
    requests = _match_counts(
        requests_visible_to(
            request.user,
            Request.objects.select_related("network", "organisation").order_by(
                "-created_at", "-pk"
            ),
        )
    )
    organisation = None
    if form.is_valid():
        if form.cleaned_data["status"]:
            requests = requests.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["waiting"] == WAITING_YES:
            requests = requests.waiting_for_match()
        if organisation := form.cleaned_data["organisation"]:
            requests = requests.filter(organisation=organisation)
    page = page_of(request, requests, PAGE_SIZE)
    return render(
        request,
        "participation/requests/list.html",
        {"form": form, "page": page, "organisation": organisation},
    )


def _render_detail(
    request: HttpRequest, request_: Request, propose_form: MatchProposeForm | None = None
) -> HttpResponse:
    matches = (
        matches_visible_to(request.user)
        .filter(request=request_)
        .select_related("expert")
        .order_by("-proposed_at")
    )
    can_propose = request_.status in services.PROPOSABLE_REQUEST_STATUSES
    suggestions, left_out = [], LeftOut()
    if can_propose:
        ranking = suggestions_for_request(request_)
        suggestions, left_out = ranking.shown, ranking.left_out
    if propose_form is None:
        propose_form = MatchProposeForm(initial={"hours": request_.expected_hours or None})
    checked = set()
    if propose_form.is_bound:
        checked = {str(pk) for pk in propose_form.data.getlist("experts")}
    return render(
        request,
        "participation/requests/detail.html",
        {
            "request_": request_,
            "matches": matches,
            "suggestions": suggestions,
            "left_out": left_out,
            "consent_missing_query": _consent_missing_query(request_),
            "can_propose": can_propose,
            "propose_form": propose_form,
            "checked": checked,
            "answer_form": MatchAnswerForm(),
        },
    )


def _consent_missing_query(request_: Request) -> str:
    """The expert list's filters for the people without consent that the request could ask."""
    params = {"consent": CONSENT_MISSING}
    kinds = {Perspective.YOUTH: ExpertKind.YOUTH, Perspective.PARENT: ExpertKind.PARENT}
    if request_.perspective in kinds:
        params["kind"] = kinds[request_.perspective]
    if request_.expertise_wanted == ExpertiseWanted.EXPERTISE:
        params["expertise"] = Expertise.EXPERTISE
    return urlencode(params)


def _detail_queryset() -> QuerySet[Request]:
    return Request.objects.select_related("network", "organisation", "created_by").prefetch_related(
        "themes"
    )


@coordinator_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: the question and what it needs, its matches, and the ranked suggestions
    with the reasons, factor by factor, to propose from."""
    request_ = get_request_for_user(request, pk, queryset=_detail_queryset())
    return _render_detail(request, request_)


def _form_kwargs(form: RequestForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("status", None)
    return data


@coordinator_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    """Record a new request for expert input."""
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_ = services.request_create(created_by=request.user, **_form_kwargs(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The request is saved. Now propose experts."))
            return redirect("coordinator:request_detail", pk=request_.pk)
    return render(request, "participation/requests/form.html", {"form": form})


@coordinator_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a request, or close or reopen it."""
    request_ = get_request_for_user(request, pk, write=True)
    form = RequestForm(request.POST or None, instance=request_)
    if request.method == "POST" and form.is_valid():
        try:
            update = services.request_update(
                request=request_,
                status=form.cleaned_data.get("status"),
                by=request.user,
                **_form_kwargs(form),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The request is saved."))
            _closing_messages(request, update)
            return redirect("coordinator:request_detail", pk=request_.pk)
    return render(request, "participation/requests/form.html", {"form": form, "request_": request_})


def _closing_messages(request: HttpRequest, update: services.RequestUpdate) -> None:
    """What closing the request did to its matches: the proposals withdrawn, and the confirmed
    matches that stay and need a word from the coordinator."""
    if update.proposals_withdrawn:
        messages.info(
            request,
            ngettext(
                "%(count)s proposal was withdrawn. Nobody gets an e-mail or reminder about it.",
                "%(count)s proposals were withdrawn. Nobody gets an e-mail or reminder about them.",
                update.proposals_withdrawn,
            )
            % {"count": update.proposals_withdrawn},
        )
    if update.confirmed_kept:
        messages.warning(
            request,
            ngettext(
                "%(count)s confirmed match stays. Tell the expert yourself that the request "
                "is closed.",
                "%(count)s confirmed matches stay. Tell the experts yourself that the request "
                "is closed.",
                update.confirmed_kept,
            )
            % {"count": update.confirmed_kept},
        )


@require_POST
@coordinator_required
def match_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose the checked experts for a request; each gets an e-mail."""
    request_ = get_request_for_user(request, pk, write=True, queryset=_detail_queryset())
    form = MatchProposeForm(request.POST)
    if form.is_valid():
        try:
            matches = services.match_propose(
                request=request_,
                experts=form.cleaned_data["experts"],
                proposed_by=request.user,
                expectations=form.cleaned_data["expectations"],
                hours=form.cleaned_data["hours"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s expert proposed. They get an e-mail and can say yes or no.",
                    "%(count)s experts proposed. They get an e-mail and can say yes or no.",
                    len(matches),
                )
                % {"count": len(matches)},
            )
            return redirect("coordinator:request_detail", pk=request_.pk)
    return _render_detail(request, request_, form)


@require_POST
@coordinator_required
def match_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the answer of the expert or the requester to a proposed match: yes, or no with
    the reason. (Experts will answer for themselves in their own door.) A refused answer comes
    back on a page of its own with what was chosen, and what is missing next to the field."""
    match = get_match_for_user(
        request, pk, write=True, queryset=Match.objects.select_related("request", "expert")
    )
    next_url = safe_next(request, reverse("coordinator:request_detail", args=[match.request_id]))
    form = MatchAnswerForm(request.POST)
    if form.is_valid():
        side = form.cleaned_data["side"]
        try:
            if form.cleaned_data["answer"] == MatchAnswerForm.CONFIRM:
                match = services.match_confirm(match=match, side=side, by=request.user)
            else:
                match = services.match_decline(
                    match=match, side=side, reason=form.cleaned_data["reason"], by=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return render(
            request,
            "participation/requests/answer.html",
            {"match": match, "form": form, "next": next_url},
        )
    if match.is_confirmed:
        messages.success(
            request,
            _("Both sides said yes: the match is confirmed. E-mails are on their way."),
        )
    elif match.status == MatchStatus.DECLINED:
        messages.success(request, _("The answer is saved: this match is declined."))
    else:
        messages.success(
            request,
            _("The answer is saved. Still waiting for: %(sides)s.")
            % {"sides": ", ".join(str(side.label) for side in match.missing_sides)},
        )
    return redirect(next_url)


@coordinator_required
@require_GET
def match_list(request: HttpRequest) -> HttpResponse:
    """Matches, by state; ``?status=proposed`` lists those waiting for an answer, the longest
    waiting first, with the side that has not answered yet."""
    form = MatchFilterForm(request.GET)
    matches = (
        matches_visible_to(request.user)
        .select_related("expert", "request__network", "request__organisation")
        .order_by("-proposed_at", "-pk")
    )
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if status:
        matches = matches.filter(status=status)
    if status == MatchStatus.PROPOSED:
        matches = matches.order_by("proposed_at", "pk")
    page = page_of(request, matches, PAGE_SIZE)
    return render(
        request,
        "participation/requests/match_list.html",
        {"form": form, "page": page, "status": status, "answer_form": MatchAnswerForm()},
    )
