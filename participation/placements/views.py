"""The coordinator's placement pages: every network with its composition, one network's
placements and meetings, linking an expert to a network (with a preview of the effect before
saving), changing a placement, ending it and reopening it when it was ended by mistake."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import CheckboxInput, Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_networks.access import get_network_for_user
from participation.access import get_placement_for_user
from participation.hours.selectors import agreed_hours
from participation.models import Placement, PlacementStatus
from samen.accounts.permissions import coordinator_required, lead_required
from samen.formatting import format_hours
from samen.forms import add_service_errors
from samen.params import id_param, text_param

from . import selectors as placement_selectors
from . import services as placement_services
from .forms import (
    EXPERT_SEARCH_LIMIT,
    WITHOUT_PARENTS,
    NetworkFilterForm,
    PlacementCreateForm,
    PlacementEndForm,
    PlacementForm,
)

# A placement with what its pages show.
_PLACEMENT_PAGE = Placement.objects.select_related("expert", "network", "fee_rate")
# Form fields that do not change what is previewed.
_NOT_PREVIEWED = {"csrfmiddlewaretoken", "preview", "save", "previewed", "q", "find"}


def _fingerprint(data: QueryDict) -> str:
    """A digest of what was previewed, so "save" only saves what the coordinator has seen."""
    items = sorted((key, tuple(data.getlist(key))) for key in data if key not in _NOT_PREVIEWED)
    return hashlib.sha256(repr(items).encode()).hexdigest()


def _entered_values(form: Form, data: QueryDict) -> dict:
    """What was entered in each field, as initial values: a search re-renders the form with
    everything kept, without complaining about fields that are not filled in yet."""
    return {
        name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, field in form.fields.items()
        if name in data or isinstance(field.widget, CheckboxInput)
    }


def _expert_search(data: QueryDict) -> dict:
    """The context of the expert search: the words, and the experts they find."""
    options = PlacementCreateForm.expert_options(
        query=text_param(data, "q", max_length=100),
        network_id=id_param(data, "network"),
        selected_id=id_param(data, "expert"),
    )
    return {"expert_search": options, "expert_search_limit": EXPERT_SEARCH_LIMIT}


@coordinator_required
@require_GET
def network_list(request: HttpRequest) -> HttpResponse:
    """Every network with its active ExpEx and parents against the target; ``?parents=none``
    shows only the active networks without parents (``placement_selectors.without_parents``)."""
    form = NetworkFilterForm(request.GET)
    networks = placement_selectors.network_rows(now=timezone.now())
    filtered = form.is_valid() and form.cleaned_data["parents"] == WITHOUT_PARENTS
    if filtered:
        networks = placement_selectors.without_parents(networks)
    return render(
        request,
        "participation/placements/network_list.html",
        {"networks": networks, "form": form, "without_parents": filtered},
    )


@coordinator_required
@require_GET
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One network: its open placements by circle and ladder level, the composition against
    the target, and its recent meetings against the maximum group size."""
    network = get_network_for_user(request, pk)
    placements = placement_selectors.open_placements(network)
    return render(
        request,
        "participation/placements/network_detail.html",
        {
            "network": network,
            "placements": placements,
            "circles": placement_selectors.placements_by_circle(placements),
            "composition": placement_selectors.composition(network),
            "meetings": placement_selectors.recent_meetings(network, now=timezone.now()),
            "group_limit": network.group_size_limit,
            "advised_group_size": settings.SAMEN_ADVISED_GROUP_SIZE,
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def placement_create(request: HttpRequest) -> HttpResponse:
    """Link an expert to a network. "Preview" shows the effect on the network and on the
    expert's hours and saves nothing; "Save" saves what was previewed.

    Opened with ``?expert=<pk>`` (from the expert's page) the expert is fixed. Otherwise the
    expert is found with a search: "find" re-renders the page with the matches and every value
    kept (a POST, so the CSRF token never lands in a URL), and htmx asks for just the matches
    while the coordinator types."""
    if request.htmx and request.method == "GET":
        response = render(
            request, "participation/placements/_expert_search.html", _expert_search(request.GET)
        )
        patch_vary_headers(response, ["HX-Request"])
        return response

    fixed_pk = id_param(request.GET, "expert")
    fixed_expert = PlacementCreateForm.expert_for(fixed_pk) if fixed_pk is not None else None
    entered = request.POST if request.method == "POST" else request.GET
    effect = None
    fingerprint = ""
    changed_since_preview = False
    if request.method == "POST" and "find" not in request.POST:
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
                add_service_errors(form, exc)
        if not form.errors:
            fingerprint = _fingerprint(request.POST)
            if "save" in request.POST:
                if constant_time_compare(text_param(request.POST, "previewed"), fingerprint):
                    try:
                        placement = placement_services.placement_create(
                            **rules,
                            ladder_level=data["ladder_level"],
                            starts_on=data["starts_on"],
                            circle=form.chosen_circle(),
                            created_by=request.user,
                        )
                    except ValidationError as exc:
                        add_service_errors(form, exc)
                    else:
                        messages.success(
                            request,
                            _("%(expert)s is now linked to %(network)s.")
                            % {
                                "expert": placement.expert.full_name,
                                "network": placement.network.name,
                            },
                        )
                        return redirect("coordinator:network_detail", placement.network_id)
                else:
                    changed_since_preview = True
        if not form.errors:
            effect = placement_selectors.placement_effect(
                expert=data["expert"],
                network=data["network"],
                hours_per_month=data["hours_per_month"],
                now=timezone.now(),
                starts_on=data["starts_on"],
            )
    elif request.method == "POST":
        form = PlacementCreateForm(initial=_entered_values(PlacementCreateForm(), request.POST))
    else:
        initial = {}
        if (network_pk := id_param(request.GET, "network")) is not None:
            initial["network"] = network_pk
        if fixed_expert is not None:
            initial["expert"] = fixed_expert.pk
            initial |= PlacementCreateForm.initial_for_expert(
                fixed_expert, agreed_hours=placement_selectors.agreed_hours(fixed_expert)
            )
        form = PlacementCreateForm(initial=initial)

    create_url = reverse("coordinator:placement_create")
    network_pk = id_param(entered, "network")
    context = {
        "form": form,
        "effect": effect,
        "fingerprint": fingerprint,
        "changed_since_preview": changed_since_preview,
        "expert": effect and form.cleaned_data["expert"],
        "network": effect and form.cleaned_data["network"],
        "fixed_expert": fixed_expert,
        "unplaceable_expert": fixed_pk is not None and fixed_expert is None,
        "form_action": (
            f"{create_url}?{urlencode({'expert': fixed_expert.pk})}" if fixed_expert else create_url
        ),
        "choose_another_url": (
            f"{create_url}?{urlencode({'network': network_pk})}" if network_pk else create_url
        ),
    }
    if fixed_expert is None:
        context.update(_expert_search(entered))
    response = render(request, "participation/placements/create.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@coordinator_required
@require_http_methods(["GET", "POST"])
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the ladder level, circle, roles and agreements; the page shows every change of
    the ladder level with its date and who made it."""
    placement = get_placement_for_user(request, pk, write=True, queryset=_PLACEMENT_PAGE)
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
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The placement has been changed."))
                hours = agreed_hours(placement.expert)
                if hours > placement.expert.availability_hours_per_month:
                    messages.warning(
                        request,
                        _(
                            "%(expert)s now has %(hours)s hours per month agreed, more than "
                            "the %(available)s they gave. Talk about it with them."
                        )
                        % {
                            "expert": placement.expert.full_name,
                            "hours": format_hours(hours),
                            "available": format_hours(
                                placement.expert.availability_hours_per_month
                            ),
                        },
                    )
                return redirect("coordinator:placement_edit", placement.pk)
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
    placement = get_placement_for_user(request, pk, write=True, queryset=_PLACEMENT_PAGE)
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
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The placement of %(expert)s in %(network)s has ended.")
                % {"expert": placement.expert.full_name, "network": placement.network.name},
            )
            return redirect("coordinator:network_detail", placement.network_id)
    return render(
        request, "participation/placements/end.html", {"placement": placement, "form": form}
    )


@require_POST
@coordinator_required
def placement_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen an ended placement, with the checks of a new link; back to the placement."""
    placement = get_placement_for_user(request, pk, write=True, queryset=_PLACEMENT_PAGE)
    try:
        placement = placement_services.placement_reopen(
            placement=placement, reopened_by=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The placement of %(expert)s in %(network)s is active again.")
            % {"expert": placement.expert.full_name, "network": placement.network.name},
        )
    return redirect("coordinator:placement_edit", placement.pk)


@lead_required
@require_GET
def lead_home(request: HttpRequest) -> HttpResponse:
    """A lead's own networks and the experts in them, with only what each expert shares."""
    return render(
        request,
        "participation/placements/lead_home.html",
        {"networks": placement_selectors.networks_for_lead(request.user)},
    )
