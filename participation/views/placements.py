"""The coordinator's placement pages: every network with its composition, one network's
placements and meetings, linking an expert to a network (with a preview of the effect before
saving), changing a placement and ending it."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learning_networks.models import LearningNetwork
from samen.accounts.permissions import coordinator_required

from .. import placement_selectors, placement_services
from ..models import Placement, PlacementStatus
from ..placement_forms import PlacementCreateForm, PlacementEndForm, PlacementForm

# Form fields that do not change what is previewed.
_NOT_PREVIEWED = {"csrfmiddlewaretoken", "preview", "save", "previewed"}


def get_network_for_coordinator(request: HttpRequest, pk: int) -> LearningNetwork:
    """The one access rule for a network on these pages: a coordinator sees every network."""
    if not request.user.is_coordinator:
        raise Http404
    return get_object_or_404(LearningNetwork, pk=pk)


def get_placement_for_coordinator(request: HttpRequest, pk: int) -> Placement:
    """The one access rule for a placement on these pages: a coordinator sees every one."""
    if not request.user.is_coordinator:
        raise Http404
    return get_object_or_404(
        Placement.objects.select_related("expert", "network", "fee_rate"), pk=pk
    )


def _fingerprint(data: QueryDict) -> str:
    """A digest of what was previewed, so "save" only saves what the coordinator has seen."""
    items = sorted((key, tuple(data.getlist(key))) for key in data if key not in _NOT_PREVIEWED)
    return hashlib.sha256(repr(items).encode()).hexdigest()


def _add_errors(form: Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form, by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@coordinator_required
@require_GET
def network_list(request: HttpRequest) -> HttpResponse:
    """Every network with its active ExpEx and parents against the target."""
    networks = placement_selectors.network_rows(now=timezone.now())
    return render(request, "participation/placements/network_list.html", {"networks": networks})


@coordinator_required
@require_GET
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One network: its open placements by circle and ladder level, the composition against
    the target, and its recent meetings against the maximum group size."""
    network = get_network_for_coordinator(request, pk)
    placements = placement_selectors.open_placements(network)
    return render(
        request,
        "participation/placements/network_detail.html",
        {
            "network": network,
            "placements": placements,
            "circles": placement_selectors.placements_by_circle(placements),
            "composition": placement_selectors.composition_of(network, placements),
            "meetings": placement_selectors.recent_meetings(network, now=timezone.now()),
            "group_limit": network.group_size_limit,
            "advised_group_size": settings.SAMEN_ADVISED_GROUP_SIZE,
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def placement_create(request: HttpRequest) -> HttpResponse:
    """Link an expert to a network. "Preview" shows the effect on the network and on the
    expert's hours and saves nothing; "Save" saves what was previewed."""
    effect = None
    fingerprint = ""
    changed_since_preview = False
    if request.method == "POST":
        form = PlacementCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            rules = {
                "expert": data["expert"],
                "network": data["network"],
                "roles": data["roles"],
                "agreements": form.agreements(),
            }
            try:
                placement_services.placement_check(**rules)
            except ValidationError as exc:
                _add_errors(form, exc)
        if not form.errors:
            fingerprint = _fingerprint(request.POST)
            if "save" in request.POST:
                if constant_time_compare(request.POST.get("previewed", ""), fingerprint):
                    try:
                        placement = placement_services.placement_create(
                            **rules,
                            ladder_level=data["ladder_level"],
                            starts_on=data["starts_on"],
                            circle=form.chosen_circle(),
                            created_by=request.user,
                        )
                    except ValidationError as exc:
                        _add_errors(form, exc)
                    else:
                        messages.success(
                            request,
                            _("%(expert)s is now linked to %(network)s.")
                            % {
                                "expert": placement.expert.full_name,
                                "network": placement.network.name,
                            },
                        )
                        return redirect("participation:network_detail", placement.network_id)
                else:
                    changed_since_preview = True
        if not form.errors:
            effect = placement_selectors.placement_effect(
                expert=data["expert"],
                network=data["network"],
                hours_per_month=data["hours_per_month"],
                now=timezone.now(),
            )
    else:
        initial = {}
        for name in ("expert", "network"):
            if (pk := _int_param(request, name)) is not None:
                initial[name] = pk
        form = PlacementCreateForm(initial=initial)
    return render(
        request,
        "participation/placements/create.html",
        {
            "form": form,
            "effect": effect,
            "fingerprint": fingerprint,
            "changed_since_preview": changed_since_preview,
            "expert": effect and form.cleaned_data["expert"],
            "network": effect and form.cleaned_data["network"],
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the ladder level, circle, roles and agreements; the page shows every change of
    the ladder level with its date and who made it."""
    placement = get_placement_for_coordinator(request, pk)
    form = None
    if placement.status != PlacementStatus.ENDED:
        form = PlacementForm(
            request.POST or None,
            initial=PlacementForm.initial_for(placement),
            current_rate=placement.fee_rate,
        )
        if request.method == "POST" and form.is_valid():
            try:
                placement = placement_services.placement_update(
                    placement=placement,
                    ladder_level=form.cleaned_data["ladder_level"],
                    roles=form.cleaned_data["roles"],
                    agreements=form.agreements(),
                    circle=form.chosen_circle(),
                    changed_by=request.user,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The placement has been changed."))
                hours = placement_selectors.agreed_hours(placement.expert)
                if hours > placement.expert.availability_hours_per_month:
                    messages.warning(
                        request,
                        _(
                            "%(expert)s now has %(hours)s hours per month agreed, more than "
                            "the %(available)s they gave. Talk about it with them."
                        )
                        % {
                            "expert": placement.expert.full_name,
                            "hours": hours,
                            "available": placement.expert.availability_hours_per_month,
                        },
                    )
                return redirect("participation:placement_edit", placement.pk)
    elif request.method == "POST":
        messages.error(request, _("This placement has ended. It can no longer be changed."))
    return render(
        request,
        "participation/placements/edit.html",
        {
            "placement": placement,
            "form": form,
            "history": placement_selectors.ladder_history(placement),
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the reason and the end date, then end the placement."""
    placement = get_placement_for_coordinator(request, pk)
    form = PlacementEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            placement = placement_services.placement_end(
                placement=placement,
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
                ended_by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The placement of %(expert)s in %(network)s has ended.")
                % {"expert": placement.expert.full_name, "network": placement.network.name},
            )
            return redirect("participation:network_detail", placement.network_id)
    return render(
        request, "participation/placements/end.html", {"placement": placement, "form": form}
    )
