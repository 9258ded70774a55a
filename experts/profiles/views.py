"""An expert's profile: the expert's own page (expert door) and the coordinator's form to add or
change an expert (coordinator door)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from experts.access import get_expert_for_user
from experts.models import Expert
from samen.accounts.permissions import coordinator_required, expert_required
from samen.forms import add_service_errors

from . import services
from .forms import ExpertForm
from .selectors import expert_for_user


@expert_required
def home(request: HttpRequest) -> HttpResponse:
    """The expert's own page: profile, availability, consents and trainings."""
    expert = expert_for_user(request.user)
    return render(request, "experts/profiles/home.html", {"expert": expert})


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
