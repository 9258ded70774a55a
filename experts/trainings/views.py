"""The expert's development (``/mijn/ontwikkeling/``): where they stand, their trainings and
peer supervision, and asking for a training. And the coordinator's list of training requests,
to mark them handled."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts.access import get_own_expert, get_training_request_for_user
from experts.models import Expertise
from samen.accounts.permissions import coordinator_required, expert_required
from samen.forms import add_service_errors
from samen.params import page_of

from . import selectors, services
from .forms import TrainingRequestForm

REQUESTS_PER_PAGE = 50


@expert_required
@require_GET
def my_development(request: HttpRequest) -> HttpResponse:
    """Where the expert stands (three steps), the trainings they did, the peer supervision
    they attended, and the trainings they asked for."""
    expert = get_own_expert(request)
    trainings, intervision = selectors.training_records(expert)
    return render(
        request,
        "experts/trainings/mine.html",
        {
            "expert": expert,
            "steps": selectors.development_steps(expert),
            "trained": expert.expertise == Expertise.EXPERTISE,
            "trainings": trainings,
            "intervision": intervision,
            "training_requests": selectors.own_training_requests(expert),
        },
    )


@expert_required
@require_http_methods(["GET", "POST"])
def training_request_create(request: HttpRequest) -> HttpResponse:
    """Ask for a training: one from the list or in their own words, with a note."""
    expert = get_own_expert(request)
    form = TrainingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _request, new = services.training_request_submit(
                expert=expert,
                training=form.cleaned_data["training"],
                wish=form.cleaned_data["wish"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if new:
                messages.success(
                    request, _("Your request is sent. The coordinator will get back to you.")
                )
            else:
                messages.info(
                    request,
                    _("You already asked for this training. The coordinator will get back to you."),
                )
            return redirect("expert:my_development")
    return render(request, "experts/trainings/request_form.html", {"form": form})


@coordinator_required
@require_GET
def training_request_list(request: HttpRequest) -> HttpResponse:
    """The open training requests, oldest first, to mark handled; below them the latest
    handled ones."""
    page = page_of(request, selectors.open_training_requests(), REQUESTS_PER_PAGE)
    return render(
        request,
        "experts/trainings/request_list.html",
        {"page": page, "handled_requests": selectors.handled_training_requests()},
    )


@require_POST
@coordinator_required
def training_request_handled(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a training request handled. Sending it twice keeps the first."""
    training_request = get_training_request_for_user(request, pk)
    services.training_request_handle(training_request=training_request, by=request.user)
    messages.success(
        request,
        _("The request of %(name)s is handled.") % {"name": training_request.expert.full_name},
    )
    return redirect("coordinator:training_request_list")
