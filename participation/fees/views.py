"""The expert's pay (``/mijn/vergoeding/``): what was approved and paid, per month of a year,
each payment's state in words, and where the annual statement comes.

The expert's own pages about money from elsewhere (``/mijn/profiel/``): the allowances
other organisations gave them this year, and their benefit situation, each with why Samen
asks (the volunteer-allowance limits of ``AllowanceLimit``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from experts.access import get_own_expert
from experts.profiles.services import expert_profile_update
from participation.access import get_declared_allowance_for_user
from participation.models import AllowanceLimit, DeclaredAllowance
from samen.accounts.permissions import expert_required
from samen.forms import add_service_errors

from . import selectors, services
from .forms import BenefitForm, DeclaredAllowanceForm, PayYearForm


@expert_required
@require_GET
def my_pay(request: HttpRequest) -> HttpResponse:
    """One year of the expert's pay, this year unless they chose another. A year that is not
    a year answers 400, with this year's page and a message."""
    expert = get_own_expert(request)
    today = timezone.localdate()
    form = PayYearForm(request.GET)
    valid = form.is_valid()
    year = (form.cleaned_data["year"] if valid else None) or today.year
    return render(
        request,
        "participation/fees/mine.html",
        {
            "expert": expert,
            "form": form,
            "today": today,
            "years": selectors.pay_years(expert, today=today),
            "pay": selectors.pay_year(expert, year=year, today=today),
            "next_run": selectors.pay_run_date(today),
            "statement_url": selectors.annual_statement_url(expert, year=year),
        },
        status=200 if valid else 400,
    )


@expert_required
@require_GET
def my_allowances(request: HttpRequest) -> HttpResponse:
    """The allowances the expert declared for this year, their total against this year's
    limits, and why Samen asks."""
    expert = get_own_expert(request)
    return render(
        request,
        "participation/fees/allowances.html",
        {"year": selectors.declared_year(expert, today=timezone.localdate())},
    )


@expert_required
@require_http_methods(["GET", "POST"])
def my_allowance_create(request: HttpRequest) -> HttpResponse:
    """Declare an allowance from another organisation, for a month of this year."""
    expert = get_own_expert(request)
    form = DeclaredAllowanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declared_allowance_add(expert=expert, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The allowance is saved."))
            return redirect("expert:my_allowances")
    return render(
        request, "participation/fees/allowance_form.html", {"form": form, "allowance": None}
    )


def _this_years(request: HttpRequest, allowance: DeclaredAllowance) -> bool:
    if allowance.year == timezone.localdate().year:
        return True
    messages.info(request, _("Allowances of earlier years cannot be changed. Ask the coordinator."))
    return False


@expert_required
@require_http_methods(["GET", "POST"])
def my_allowance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an allowance of this year."""
    allowance = get_declared_allowance_for_user(request, pk)
    if not _this_years(request, allowance):
        return redirect("expert:my_allowances")
    form = DeclaredAllowanceForm(request.POST or None, allowance=allowance)
    if request.method == "POST" and form.is_valid():
        try:
            services.declared_allowance_change(
                allowance=allowance, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The allowance is changed."))
            return redirect("expert:my_allowances")
    return render(
        request,
        "participation/fees/allowance_form.html",
        {"form": form, "allowance": allowance},
    )


@expert_required
@require_http_methods(["GET", "POST"])
def my_allowance_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then remove an allowance of this year."""
    allowance = get_declared_allowance_for_user(request, pk)
    if not _this_years(request, allowance):
        return redirect("expert:my_allowances")
    if request.method == "POST":
        services.declared_allowance_remove(allowance=allowance, by=request.user)
        messages.success(request, _("The allowance is removed."))
        return redirect("expert:my_allowances")
    return render(request, "participation/fees/allowance_delete.html", {"allowance": allowance})


@expert_required
@require_http_methods(["GET", "POST"])
def my_benefit(request: HttpRequest) -> HttpResponse:
    """The expert's benefit situation: optional and private, with why Samen asks."""
    expert = get_own_expert(request)
    form = BenefitForm(request.POST or None, expert=expert)
    if request.method == "POST" and form.is_valid():
        try:
            expert_profile_update(expert=expert, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answer is saved."))
            return redirect("expert:profile")
    today = timezone.localdate()
    return render(
        request,
        "participation/fees/benefit.html",
        {"form": form, "limit": AllowanceLimit.objects.filter(year=today.year).first()},
    )
