"""The coordinator's recruitment pages: organisations by type, recruitment contacts with their
follow-up (marked done here), and which channels and organisations brought experts who are
active today."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts.access import get_organisation_for_user, get_recruitment_contact_for_user
from samen.accounts.permissions import coordinator_required
from samen.forms import add_service_errors
from samen.params import id_param, page_of, safe_next

from . import selectors, services
from .forms import (
    OrganisationFilter,
    OrganisationForm,
    RecruitmentContactFilter,
    RecruitmentContactForm,
)

PAGE_SIZE = 25


# --- Organisations -----------------------------------------------------------------------------


@coordinator_required
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Organisations by type, with a search and a type filter, 25 per page."""
    organisations = OrganisationFilter(
        request.GET, queryset=selectors.organisations_with_contacts()
    )
    page = page_of(request, organisations.qs, PAGE_SIZE)
    return render(
        request,
        "experts/recruitment/organisation_list.html",
        {"filter": organisations, "page": page, "kinds": selectors.organisation_kind_counts()},
    )


def _organisation_fields(form: OrganisationForm) -> dict:
    return {name: form.cleaned_data[name] for name in OrganisationForm.Meta.fields}


@coordinator_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(**_organisation_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": organisation})
            return redirect("coordinator:organisation_list")
    return render(request, "experts/recruitment/organisation_form.html", {"form": form})


@coordinator_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, pk)
    saved_name = organisation.name  # the form changes the instance while it validates
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_update(
                organisation=organisation, **_organisation_fields(form)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been changed.") % {"name": organisation})
            return redirect("coordinator:organisation_list")
    return render(
        request,
        "experts/recruitment/organisation_form.html",
        {"form": form, "organisation": organisation, "saved_name": saved_name},
    )


# --- Recruitment contacts ----------------------------------------------------------------------


@coordinator_required
@require_GET
def recruitment_list(request: HttpRequest) -> HttpResponse:
    """Recruitment contacts, newest first, 25 per page; a follow-up date that has passed is
    marked as overdue, and a follow-up that is due can be marked done."""
    contacts = RecruitmentContactFilter(request.GET, queryset=selectors.recruitment_contacts())
    page = page_of(request, contacts.qs, PAGE_SIZE)
    today = timezone.localdate()
    for contact in page.object_list:
        contact.overdue = selectors.follow_up_overdue(contact, today)
        contact.due = contact.follow_up_is_due(today)
    return render(
        request,
        "experts/recruitment/contact_list.html",
        {"filter": contacts, "page": page, "here": request.get_full_path()},
    )


def _contact_fields(form: RecruitmentContactForm) -> dict:
    return {name: form.cleaned_data[name] for name in RecruitmentContactForm.Meta.fields}


@coordinator_required
@require_http_methods(["GET", "POST"])
def recruitment_create(request: HttpRequest) -> HttpResponse:
    """Record a recruitment contact; ?organisation=<pk> chooses the organisation."""
    initial = {}
    if organisation := id_param(request.GET, "organisation"):
        initial["organisation"] = organisation
    form = RecruitmentContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recruitment_contact_create(**_contact_fields(form), created_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The recruitment contact has been saved."))
            return redirect("coordinator:recruitment_list")
    return render(request, "experts/recruitment/contact_form.html", {"form": form})


@coordinator_required
@require_http_methods(["GET", "POST"])
def recruitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_recruitment_contact_for_user(request, pk)
    # The follow-up to get back to (its date), read before validating a POST changes it.
    follow_up_due = contact.follow_up_on if contact.follow_up_is_due(timezone.localdate()) else None
    form = RecruitmentContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.recruitment_contact_update(contact=contact, **_contact_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The recruitment contact has been changed."))
            return redirect("coordinator:recruitment_list")
    return render(
        request,
        "experts/recruitment/contact_form.html",
        {
            "form": form,
            "contact": contact,
            "follow_up_due": follow_up_due,
        },
    )


@require_POST
@coordinator_required
def recruitment_follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a contact's follow-up as done; the list and the dashboard stop showing it."""
    contact = get_recruitment_contact_for_user(request, pk)
    try:
        contact = services.recruitment_follow_up_done(contact=contact, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The follow-up with %(organisation)s is done.")
            % {"organisation": contact.organisation.name},
        )
    return redirect(safe_next(request, reverse("coordinator:recruitment_list")))


@coordinator_required
@require_GET
def recruitment_channels(request: HttpRequest) -> HttpResponse:
    """Which channels and organisations brought how many experts who are active today, next
    to the youth and parents their contacts reached."""
    return render(
        request,
        "experts/recruitment/channels.html",
        {
            "channels": selectors.recruitment_by_channel(),
            "organisations": selectors.recruitment_by_organisation(),
        },
    )
